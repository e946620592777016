"""Use case: forecast consumption and stock-outs for every shelter and item from the ledger (docs/forecasts.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.errors import InvalidInput
from refuge.domain.forecast import Outlook, Prior, fit_prior, outlook, posterior, seed_for
from refuge.domain.network import Item, ShelterStatus
from refuge.domain.values import utc_now
from refuge.services.clock import end_of
from refuge.store import forecast as forecast_store
from refuge.store import register as register_store
from refuge.store.database import Database

WINDOW_DAYS = 365
HORIZON_DAYS = 365
DRAWS = 2000
#: The default date asked about: six weeks ahead, a summer's resupply horizon.
DEFAULT_AHEAD_DAYS = 42


@dataclass(frozen=True)
class ItemForecast:
    sku: str
    name: str
    category: str
    unit: str
    on_hand: float  # usable (unexpired) stock at the end of the forecast's day
    expired_on_shelf: float  # stock past its expiry still on the shelf (to be written off, not usable)
    min: float | None
    target: float | None
    consumption_days: int  # days with consumption in the window
    exposure_days: float
    prior: Prior
    outlook: Outlook


@dataclass(frozen=True)
class ShelterForecast:
    code: str
    name: str
    items: list[ItemForecast]


@dataclass(frozen=True)
class Forecasts:
    as_of: date
    by: date
    window_days: int
    shelters: list[ShelterForecast]


def forecast(db: Database, shelter: str | None = None, as_of: date | None = None, by: date | None = None,
             window_days: int = WINDOW_DAYS, draws: int = DRAWS, clearance: int = FULL_CLEARANCE) -> Forecasts:
    """Forecasts for every item stocked (with a par level, or with stock) at every active shelter, or at one,
    of those cleared for `clearance`. The network-wide prior pools every shelter's history: it is one
    rate per item and names no shelter."""
    today = utc_now().date()
    as_of = as_of or today
    if as_of > today:
        raise InvalidInput(f"a forecast starts from what is known: {as_of} is in the future")
    by = by or as_of + timedelta(days=DEFAULT_AHEAD_DAYS)
    if by <= as_of:
        raise InvalidInput(f"the date to forecast stock-outs by ({by}) must come after the forecast's day ({as_of})")
    if window_days <= 0:
        raise InvalidInput(f"the history window must be at least one day, not {window_days}")
    cutoff = end_of(as_of)
    since = end_of(as_of - timedelta(days=window_days))
    with db.reading() as session:
        wanted = register_store.shelter_row(session, shelter, clearance=clearance).code if shelter else None
        shelters = [s for s in register_store.shelters(session, clearance)
                    if s.status is ShelterStatus.ACTIVE or s.code == wanted]
        ids = {code: i for i, code in register_store.codes_by_id(session).items()}
        item_ids = {sku: i for i, sku in register_store.skus_by_id(session).items()}
        items = register_store.items(session)
        days = forecast_store.daily_consumption(session, since, cutoff)
        first = forecast_store.first_movements(session, cutoff)
        lots = forecast_store.all_lots(session, cutoff)
        pars = forecast_store.par_levels(session)

    def exposure(pair: tuple[int, int]) -> float:
        start = first.get(pair)
        begins = max(since, start) if start else cutoff
        return max(0.0, (cutoff - begins).total_seconds() / 86400)

    stocked = {pair for pair in pars} | {pair for pair in lots}
    priors = {}
    for item in items:
        pairs = [pair for pair in stocked if pair[1] == item_ids[item.sku]]
        priors[item.sku] = fit_prior(np.array([len(days.get(p, {})) for p in pairs]),
                                     np.array([exposure(p) for p in pairs]))
    amounts = {sku: np.array([float(q) for (s, i), found in days.items() if i == item_ids[sku]
                              for q in found.values()]) for sku in item_ids}
    horizon = max(HORIZON_DAYS, (by - as_of).days)
    result = []
    for shelter_ in shelters:
        if wanted and shelter_.code != wanted:
            continue
        rows = []
        for item in items:
            pair = (ids[shelter_.code], item_ids[item.sku])
            if pair not in stocked:
                continue
            rows.append(_item(item, pair, shelter_.code, as_of, by, horizon, priors[item.sku], amounts[item.sku],
                              len(days.get(pair, {})), exposure(pair), lots.get(pair, []), pars.get(pair), draws))
        result.append(ShelterForecast(shelter_.code, shelter_.name, rows))
    return Forecasts(as_of, by, window_days, result)


def _item(item: Item, pair, code: str, as_of: date, by: date, horizon: int, prior: Prior, amounts: np.ndarray,  # type: ignore[no-untyped-def]
          used_days: int, exposed: float, lots, par, draws: int) -> ItemForecast:
    usable = [((e - as_of).days if e else None, float(q)) for e, q in lots if e is None or e >= as_of]
    expired = sum(float(q) for e, q in lots if e is not None and e < as_of)
    minimum = float(par[0]) if par else 0.0
    seen = outlook(posterior(prior, used_days, exposed), amounts, usable, minimum, float((by - as_of).days), horizon,
                   draws, seed_for(code, item.sku, as_of.isoformat()))
    return ItemForecast(item.sku, item.name, item.category.value, item.unit, sum(q for _e, q in usable), expired,
                        minimum if par else None, float(par[1]) if par else None, used_days, round(exposed, 1),
                        prior, seen)
