"""The world a season simulation plays in, read once from the database: shelters, stock, demand, travel.

Demand comes from mission traffic as the ledger saw it: each shelter's mission stops (days with
consumption) arrive at the rate the forecasts estimate (pooled across the network), and each stop
takes a basket of supplies drawn from the baskets taken at that shelter (or, for a shelter with few,
across the network) in the last year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from refuge.domain.errors import InvalidInput
from refuge.domain.forecast import fit_prior, posterior
from refuge.domain.network import ShelterStatus
from refuge.services.clock import end_of
from refuge.store import forecast as forecast_store
from refuge.store import register as register_store
from refuge.store import terrain as terrain_store
from refuge.store.database import Database

#: Walking pace over the straight line when the network has no terrain (a fit volunteer with a load).
STRAIGHT_LINE_KMH = 4.0
#: A shelter with fewer baskets of its own than this borrows the network's.
OWN_BASKETS = 5


@dataclass(frozen=True)
class SimItem:
    sku: str
    kg: float
    shelf_life_days: int | None


@dataclass(frozen=True)
class SimShelter:
    code: str
    stops_per_day: float  # expected mission stops a day
    baskets: tuple[dict[str, float], ...]  # what a stop takes


@dataclass(frozen=True)
class World:
    start: date
    base: str
    shelters: list[SimShelter]
    items: dict[str, SimItem]
    #: (min, target, capacity) per (shelter, sku)
    pars: dict[tuple[str, str], tuple[float, float, float]]
    #: usable lots at the start, per (shelter, sku): [(expires on, quantity)]
    lots: dict[tuple[str, str], list[tuple[date | None, float]]]
    #: seconds between points (the base and shelter codes); None where there is no way
    seconds: dict[tuple[str, str], float | None]
    travel_source: str

    def leg(self, a: str, b: str) -> float | None:
        return 0.0 if a == b else self.seconds.get((a, b))


def load_world(db: Database, start: date, navigator=None) -> World:  # type: ignore[no-untyped-def]
    """Read the network as it stands at the end of `start`: stock, pars, a year of demand, travel times."""
    cutoff, since = end_of(start), end_of(start - timedelta(days=365))
    with db.reading() as session:
        shelters = [s for s in register_store.shelters(session) if s.status is ShelterStatus.ACTIVE]
        bases = [p for p in register_store.places(session) if p.is_base]
        items = register_store.items(session)
        codes, skus = register_store.codes_by_id(session), register_store.skus_by_id(session)
        days = forecast_store.daily_consumption(session, since, cutoff)
        first = forecast_store.first_movements(session, cutoff)
        lots = forecast_store.all_lots(session, cutoff)
        pars = forecast_store.par_levels(session)
        has_terrain = terrain_store.terrain_digest(session) is not None
    if not bases:
        raise InvalidInput("the network has no base to start runs from; mark a place as a base")
    if not shelters:
        raise InvalidInput("the network has no active shelters to simulate")
    base = bases[0]
    baskets: dict[str, dict[date, dict[str, float]]] = {}
    for (shelter_id, item_id), found in days.items():
        for day, quantity in found.items():
            baskets.setdefault(codes[shelter_id], {}).setdefault(day, {})[skus[item_id]] = float(quantity)
    network_baskets = tuple(b for per in baskets.values() for b in per.values())
    exposure = {}
    for code_id, code in codes.items():
        starts = [t for (s, _i), t in first.items() if s == code_id]
        begins = max(since, min(starts)) if starts else cutoff
        exposure[code] = max(0.0, (cutoff - begins).total_seconds() / 86400)
    active = [s.code for s in shelters]
    prior = fit_prior(np.array([len(baskets.get(c, {})) for c in active]), np.array([exposure[c] for c in active]))
    sim_shelters = []
    for code in active:
        own = tuple(baskets.get(code, {}).values())
        rate = posterior(prior, len(own), exposure[code]).mean
        sim_shelters.append(SimShelter(code, rate, own if len(own) >= OWN_BASKETS else network_baskets))
    points = {base.name: (base.x, base.y), **{s.code: (s.x, s.y) for s in shelters}}
    if has_terrain:
        from refuge.services.navigation import Navigator

        matrix = (navigator or Navigator(db)).matrix()
        seconds = {(a.key, b.key): matrix.seconds[i][j] for i, a in enumerate(matrix.points)
                   for j, b in enumerate(matrix.points)}
        source = "the travel-time matrix (walking, no chakra)"
    else:
        seconds = {(a, b): math.dist(pa, pb) / 1000 / STRAIGHT_LINE_KMH * 3600
                   for a, pa in points.items() for b, pb in points.items()}
        source = f"straight lines at {STRAIGHT_LINE_KMH:g} km/h"
    return World(
        start, base.name, sim_shelters,
        {i.sku: SimItem(i.sku, float(i.unit_weight_kg), i.shelf_life_days) for i in items},
        {(codes[s], skus[i]): (float(a), float(b), float(c)) for (s, i), (a, b, c) in pars.items() if codes[s] in points},
        {(codes[s], skus[i]): [(e, float(q)) for e, q in found if e is None or e >= start]
         for (s, i), found in lots.items() if codes[s] in points},
        seconds, source,
    )
