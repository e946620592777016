"""The forecast command: expected use, days to minimum and to empty, stock-out risk, expiry waste."""

from __future__ import annotations

from typing import Annotated

import typer

from refuge.cli.context import ready
from refuge.cli.options import AsOf, Json, OnlyShelter, _option, day
from refuge.cli.output import print_json, say, show, table

By = Annotated[str | None, _option("--by", "DATE", "The day to give the stock-out risk for (default six weeks ahead).")]
#: Without a shelter, the table keeps the items whose risk by the date is at least this (JSON has all).
RISK_SHOWN = 0.10


def forecast(ctx: typer.Context, shelter: OnlyShelter = None, by: By = None, as_of: AsOf = None,
             as_json: Json = False) -> None:
    """Forecast use and stock-outs per shelter and item from the ledger (rates pooled across the network)."""
    from refuge.api.forecast import ForecastOut
    from refuge.services.forecast import forecast as forecast_service

    found = forecast_service(ready(ctx), shelter, day(as_of), day(by, "by"))
    if as_json:
        return print_json(ForecastOut.of(found))
    ahead = (found.by - found.as_of).days
    rows, shown, total = [], 0, 0
    for place in found.shelters:
        for item in place.items:
            total += 1
            seen = item.outlook
            at_risk = seen.p_out_by >= RISK_SHOWN or (seen.days_to_min is not None and seen.days_to_min <= ahead)
            if shelter is None and not at_risk:
                continue
            shown += 1
            rows.append([place.code, item.sku, f"{item.on_hand:g}", "" if item.min is None else f"{item.min:g}",
                         f"{30 * seen.daily_use:.2f}", _days(seen.days_to_min), _days(seen.days_to_empty),
                         f"{100 * seen.p_out_by:.0f}%", f"{seen.expiring_unused:.1f}" if seen.expiring_unused else ""])
    if shelter is None:
        rows.sort(key=lambda row: (-float(row[7].rstrip("%")), row[0], row[1]))
        say(f"{shown} of {total} shelter items at risk by {found.by} (out of stock with {RISK_SHOWN:.0%} chance or "
            f"more, or below minimum by then); `refuge forecast SHELTER` lists every item")
    else:
        say(f"{found.shelters[0].code} {found.shelters[0].name}: forecast from {found.as_of}, risk by {found.by}")
    show(table(None, ["code", "sku", "on hand", "min", "use/30d", "to min", "to empty", "P(out)", "expires"], rows))
    say(f"use/30d: expected units used in 30 days; to min, to empty: median days from {found.as_of}; "
        f"P(out): chance of nothing usable left by {found.by}; expires: units expected to expire unused")


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"
