"""Field navigation search on the full Land of Fire (900 × 1,200 cells of 100 m): latency of the exact
route search (`refuge.terrain.search.Searcher`, warm) from random starts on passable land to the
nearest shelters, p50 and p95 per travel profile and chakra budget band (target: p95 under 50 ms).

Baseline, measured in the same run from the same starts: a fresh scikit-image `MCP_Geometric` per
query over the walking-time surface (one chakra-free Dijkstra from the start, stopped at the
shelters), as the issue names it. It answers an easier question (no chakra, no running): it is the
price of one plain shortest-path search on this grid.

Each band is measured asking for the single nearest shelter over all its queries, and asking for
the `LIMIT` fastest (the `refuge nearest` default) over the first `FEW` of them (those searches take
longer). Queries that stop at the search's cap are counted and reported, and so is the work done
(rows of times made, pages of 64 entries made, and entries expanded, mean per query).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from skimage.graph import MCP_Geometric

from benchmarks.databases import Places
from benchmarks.harness import Options, Result, console, median, p95, say, seconds
from refuge.domain.network import ShelterStatus
from refuge.scenarios.land_of_fire import land_of_fire
from refuge.terrain.landcover import land_of_fire_terrain
from refuge.terrain.model import Terrain
from refuge.terrain.search import Searcher
from refuge.terrain.travel import default_travel_model, move_costs

NAME = "navigation-search"
TARGET_SECONDS = 0.050
LIMIT = 5  # `refuge nearest` lists five shelters unless told otherwise
FULL, QUICK = 1000, 30  # queries per profile and budget band (nearest shelter)
FEW_FULL, FEW_QUICK = 200, 10  # of those, how many ask for LIMIT shelters
BASELINE_QUERIES = 10  # MCP_Geometric runs per band (each is a whole-grid search: about a second)
SEED = 2026
#: Budget bands in chakra points (a person's maximum in the Land of Fire is 60 to 400).
BANDS = {"walking": [(0.0, 0.0)], "injured": [(0.0, 0.0), (0.0, 20.0), (20.0, 400.0)],
         "running": [(0.0, 0.0), (0.0, 5.0), (5.0, 20.0), (20.0, 60.0), (60.0, 400.0)]}


@dataclass(frozen=True)
class Query:
    start: tuple[int, int]
    budget: float


def run(places: Places, options: Options) -> list[Result]:
    del places  # no database: the search runs on the terrain alone
    per_band = QUICK if options.quick else FULL
    few = FEW_QUICK if options.quick else FEW_FULL
    started = time.perf_counter()
    terrain, shelters = active_shelters()
    model = default_travel_model()
    console.print(f"{NAME}: the Land of Fire, {terrain.rows} × {terrain.cols} cells, {len(shelters)} active shelters, "
                  f"built in {time.perf_counter() - started:.1f} s (not timed); {per_band} queries per band")
    rng = np.random.default_rng(SEED)
    results = []
    for profile, bands in BANDS.items():
        costs = move_costs(terrain, model, profile)
        started = time.perf_counter()
        searcher = Searcher(costs, shelters)
        console.print(f"  \\[{profile}] searcher built in {time.perf_counter() - started:.1f} s (bounds, once per "
                      "profile and shelter set; not in the figures)")
        land = np.flatnonzero(np.isfinite(costs.walk_s_per_m).ravel())
        walking = np.where(np.isfinite(costs.walk_s_per_m), costs.walk_s_per_m, costs.water_s_per_m)
        for low, high in bands:
            starts = [divmod(int(cell), terrain.cols) for cell in rng.choice(land, per_band)]
            queries = [Query(start, float(rng.uniform(low, high))) for start in starts]
            baseline = _baseline(walking, terrain.cell_size, list(shelters.values()), starts[:BASELINE_QUERIES])
            results.append(_measure(searcher, queries, 1, profile, (low, high), baseline))
            results.append(_measure(searcher, queries[:few], LIMIT, profile, (low, high), baseline))
    return results


def active_shelters() -> tuple[Terrain, dict[str, tuple[int, int]]]:
    """The Land of Fire's terrain and the cell of each active shelter on it."""
    scenario = land_of_fire(datetime(2026, 11, 23, tzinfo=timezone.utc), seed=SEED)
    terrain = land_of_fire_terrain(scenario.features, scenario.places, scenario.shelters)
    return terrain, {s.code: terrain.cell_of(s.x, s.y) for s in scenario.shelters
                     if s.status is ShelterStatus.ACTIVE and terrain.contains(s.x, s.y)}


def _measure(searcher: Searcher, queries: list[Query], limit: int, profile: str, band: tuple[float, float],
             baseline: list[float]) -> Result:
    searcher.search(queries[0].start, queries[0].budget, limit)  # warm: compiled, caches loaded
    samples, incomplete, work = [], 0, np.zeros(5)
    for query in queries:
        began = time.perf_counter()
        searcher.search(query.start, query.budget, limit)
        samples.append(time.perf_counter() - began)
        incomplete += not searcher.last_complete
        work += searcher.last_work
    worst = int(np.argmax(samples))
    band_text = "budget 0" if band[1] == 0 else f"budget {band[0]:g}-{band[1]:g}"
    result = Result(
        benchmark=NAME, database="-", size=f"{profile}, {band_text}, {limit} shelter{'s' if limit > 1 else ''}",
        figure=f"p95 {seconds(p95(samples))} (p50 {seconds(median(samples))}, max {seconds(max(samples))})",
        seconds=p95(samples), baseline="fresh MCP_Geometric, walking, p95", baseline_seconds=p95(baseline),
        target_seconds=TARGET_SECONDS,
        details={"p50_s": median(samples), "max_s": max(samples), "queries": len(samples), "incomplete": incomplete,
                 "worst_start": queries[worst].start, "worst_budget": queries[worst].budget,
                 "baseline_p50_s": median(baseline), "rows": work[0] / len(samples),
                 "entries_expanded": work[2] / len(samples), "pages": work[4] / len(samples)},
    )
    done = f"; {work[0] / len(samples):,.0f} rows, {work[4] / len(samples):,.0f} pages, " \
        f"{work[2] / len(samples):,.0f} entries expanded a query"
    say(result, done + (f"; {incomplete} of {len(samples)} stopped at the cap" if incomplete else ""))
    return result


def _baseline(walking: np.ndarray, cell_size: float, shelters: list[tuple[int, int]],
              starts: list[tuple[int, int]]) -> list[float]:
    """Seconds per query of a fresh MCP_Geometric over the walking-time surface, stopped at the shelters."""
    surface = np.where(np.isfinite(walking), walking * cell_size, -1.0)  # negative: impassable to skimage
    samples = []
    for start in starts:
        began = time.perf_counter()
        MCP_Geometric(surface, fully_connected=True).find_costs([start], shelters, find_all_ends=True)
        samples.append(time.perf_counter() - began)
    return samples
