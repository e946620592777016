"""The season simulation: resupply policies side by side over a year of mission traffic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from refuge.cli.context import ready
from refuge.cli.options import Json, _option
from refuge.cli.output import print_json, say, show, table

Days = Annotated[int, typer.Option("--days", metavar="N", help="Length of the season in days.")]
Policies = Annotated[list[str] | None, _option("--policy", "NAME", "planner, fixed-cycle or on-alarm; repeat to "
                                               "compare (default: all three).")]
Seed = Annotated[int, typer.Option("--seed", metavar="N", help="Seed of the random season (the same seed, the same season).")]
Plot = Annotated[Path | None, _option("--plot", "FILE.png", "Also plot stock-outs over time.")]
Volunteers = Annotated[list[str] | None, _option("--volunteer", "NAME", "Who walks the runs, on the days their "
                                                 "calendars leave free; repeat (default: four volunteers each free "
                                                 "on 70% of days).")]
Capacity = Annotated[float, typer.Option("--capacity", metavar="KG", help="What each named volunteer carries, kg.")]
Hours = Annotated[float, typer.Option("--hours", metavar="H", help="Hours each named volunteer walks a day.")]


def simulate(ctx: typer.Context, days: Days = 365, policy: Policies = None, seed: Seed = 1, plot: Plot = None,
             volunteer: Volunteers = None, capacity: Capacity = 20.0, hours: Hours = 8.0,
             as_json: Json = False) -> None:
    """Play a season of mission traffic under resupply policies and compare stock-outs, hours and runs."""
    from refuge.services.simulation import compare, plot as draw

    found = compare(ready(ctx), policy or ["planner", "fixed-cycle", "on-alarm"], days, seed,
                    volunteers=volunteer, capacity_kg=capacity, hours_a_day=hours)
    if plot is not None:
        draw(found, plot)
    if as_json:
        return print_json({"start": found.start.isoformat(), "days": found.days, "seed": found.seed,
                           "travel": found.travel, "volunteers": list(found.volunteers),
                           "policies": [{"policy": s.policy, "stockout_shelter_days": s.stockout_shelter_days,
                                         "short_units": round(s.short_units, 3), "hours_walked": round(s.hours_walked, 1),
                                         "runs": s.runs, "delivered_units": round(s.delivered_units, 3),
                                         "expired_units": round(s.expired_units, 3), "daily_out": s.daily_out}
                                        for s in found.seasons]})
    say(f"{found.days} days from {found.start}, seed {found.seed}; travel times from {found.travel}; "
        f"runs walked by {', '.join(found.volunteers)}")
    show(table(None, ["policy", "out-days", "short", "hours", "runs", "delivered", "expired"],
               [[s.policy, f"{s.stockout_shelter_days:,}", f"{s.short_units:,.0f}", f"{s.hours_walked:,.0f}",
                 f"{s.runs:,}", f"{s.delivered_units:,.0f}", f"{s.expired_units:,.0f}"] for s in found.seasons]))
    say("out-days: shelter-days with an item that has a minimum run out; short: units missions wanted and "
        "did not find; hours: walked on runs; delivered, expired: units")
    if plot is not None:
        say(f"plot written to {plot}")
