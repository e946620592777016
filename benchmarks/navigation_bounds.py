"""How close the route search's bounds come to the exact time still needed, on the slowest five-shelter questions
of a band (running, 5-20 chakra): how many states a best-first search must expand with each kind of bound.

A search for the five fastest shelters must expand every state (a cell and the chakra spent there, not dominated)
whose time so far plus its bound is below the time of the next shelter to be found, with the bound aimed at the
shelters not found yet. That count is computed here for four bounds, from exact tables over a window around the
start and its five shelters (MARGIN cells beyond them; routes that leave the window are not counted):

- the search's own kind: per shelter, the Lagrangian lines at the searcher's prices (the least of time + price x
  chakra over every route, whatever it spends), the least over the shelters still open;
- the same with a hundred more prices;
- lines from the routes that spend at most the question's budget (the least of time + price x chakra over those);
- the exact time still needed (a Dijkstra per chakra unit from each shelter): the perfect bound, which leaves no
  state below the next shelter's time, only those tying with it.

The search's own count (entries expanded, with its residue bounds and slack) is printed beside them. Nothing is
timed but the searches that pick the slowest questions.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
from numba import njit

from benchmarks.databases import Places
from benchmarks.harness import Options, Result, console
from benchmarks.navigation_search import active_shelters
from refuge.terrain.search import UNITS_PER_CHAKRA, Searcher, budget_units
from refuge.terrain.search_bounds import least_priced
from refuge.terrain.search_kernel import heap_pop, heap_push, mode_steps, neighbour, step_length
from refuge.terrain.travel import default_travel_model, move_costs

NAME = "navigation-bounds"
PROFILE, LOW, HIGH = "running", 5.0, 20.0
LIMIT = 5
STARTS_FULL, STARTS_QUICK = 200, 20
SLOWEST_FULL, SLOWEST_QUICK = 2, 1
MARGIN = 40  # cells of window beyond the start and the five shelters
MORE_PRICES = 100
SEED = 7


def run(places: Places, options: Options) -> list[Result]:
    del places  # no database: the search runs on the terrain alone
    terrain, shelters = active_shelters()
    costs = move_costs(terrain, default_travel_model(), PROFILE)
    started = time.perf_counter()
    searcher = Searcher(costs, shelters)
    console.print(f"{NAME}: {PROFILE} searcher built in {time.perf_counter() - started:.1f} s")
    rng = np.random.default_rng(SEED)
    land = np.flatnonzero(searcher.passable)  # any cell the search starts from (water too)
    count = STARTS_QUICK if options.quick else STARTS_FULL
    questions = [(divmod(int(cell), terrain.cols), float(rng.uniform(LOW, HIGH))) for cell in rng.choice(land, count)]
    searcher.search(*questions[0], LIMIT)  # compiled
    timed = []
    for start, budget in questions:
        began = time.perf_counter()
        searcher.search(start, budget, LIMIT)
        timed.append((time.perf_counter() - began, start, budget))
    timed.sort(reverse=True)
    for spent, start, budget in timed[:SLOWEST_QUICK if options.quick else SLOWEST_FULL]:
        answer = searcher.search(start, budget, LIMIT)
        console.print(f"  from {start} with {budget:.2f} chakra: {spent * 1e3:.0f} ms, "
                      f"{int(searcher.last_work[2]):,} entries expanded by the search; shelters at "
                      + ", ".join(f"{reach.key} {reach.time_s:,.0f} s" for reach in answer))
        for name, below, tied in _states(searcher, start, budget, answer):
            console.print(f"    {name}: {below:,} states below the next shelter's time"
                          + (f", {tied:,} tying with it" if tied is not None else ""))
    return []


def _states(searcher: Searcher, start: tuple[int, int], budget: float, answer: list
            ) -> list[tuple[str, int, int | None]]:
    """Per kind of bound, the states below the next shelter's time (and, for the exact bound, those tying)."""
    rows, cols = searcher.shape
    target_rows, target_cols = (part.tolist() for part in np.divmod(searcher.target_cells, cols))
    place = {key: (row, col) for key, row, col in zip(searcher.keys, target_rows, target_cols)}
    cells = [start] + [place[reach.key] for reach in answer]
    top, left = max(0, min(r for r, _ in cells) - MARGIN), max(0, min(c for _, c in cells) - MARGIN)
    bottom, right = min(rows, max(r for r, _ in cells) + MARGIN + 1), min(cols, max(c for _, c in cells) + MARGIN + 1)
    high, wide = bottom - top, right - left
    index = (np.arange(top, bottom)[:, None] * cols + np.arange(left, right)[None, :]).ravel()
    grid = (searcher.seconds[index], searcher.chakra[index], searcher.passable[index], high, wide, searcher.cell_size,
            float(UNITS_PER_CHAKRA))
    units = budget_units(budget)
    times = np.array([reach.time_s * 1e6 for reach in answer])
    found = [reach.key for reach in answer]
    inside = {key: (row - top) * wide + (col - left) for key, (row, col) in place.items()
              if top <= row < bottom and left <= col < right and grid[2][(row - top) * wide + (col - left)]}
    # the states: (cell, units spent) not dominated, reached before the last shelter's time
    reached = _least_times(*grid, (start[0] - top) * wide + (start[1] - left), units)
    earlier = np.vstack([np.full((1, reached.shape[1]), np.inf), reached[:-1]])
    spent, cell = np.nonzero((reached < earlier) & (reached < times[-1]))
    now, still = reached[spent, cell], units - spent
    prices = searcher.bounds[1]
    more = np.unique(np.concatenate([prices, np.geomspace(prices[prices > 0].min() / 2, prices.max(), MORE_PRICES)]))
    targets = {key: np.array([target]) for key, target in inside.items()}
    # the search's kind first: every other bound is at least as high, so only the states below it can count
    ours = "the search's kind (per shelter, its prices, any route)"
    design = ((key, _lines(np.array([least_priced(*grid, price, target) for price in prices]), prices, cell, still))
              for key, target in targets.items())
    below, tied, matter = _below(design, now, times, found)
    counts = [(ours, int(below.sum()), None)]
    del reached, earlier
    cell, still, now = cell[below | tied], still[below | tied], now[below | tied]
    exact_name = "the exact time still needed"
    bounds: dict[str, dict] = {name: {} for name in (f"the same with {MORE_PRICES} more prices",
                                                     "lines of the routes within the budget", exact_name)}
    steps = np.arange(units + 1)[:, None]
    for key, target in targets.items():
        if key not in matter:  # no state is below or level with its bound: with a higher one, none is either
            continue
        priced = np.array([least_priced(*grid, price, target) for price in more])
        bounds[f"the same with {MORE_PRICES} more prices"][key] = _lines(priced, more, cell, still)
        exact = _least_times(*grid, target[0], units)
        within = np.array([np.min(exact + price * steps, axis=0) for price in prices])
        bounds["lines of the routes within the budget"][key] = _lines(within, prices, cell, still)
        bounds[exact_name][key] = exact[still, cell]
    for name, per_shelter in bounds.items():
        below, tied, _ = _below(per_shelter.items(), now, times, found)
        counts.append((name, int(below.sum()), int(tied.sum()) if name == exact_name else None))
    return counts


def _below(per_shelter: Iterable[tuple[str, np.ndarray]], now: np.ndarray, times: np.ndarray, found: list
           ) -> tuple[np.ndarray, np.ndarray, set]:
    """Which states are below the time of the shelter sought when their bound is the least over the shelters not
    found yet (the k-th sought once the first k - 1 are found), which tie with it (and are not below), and the
    shelters whose bound puts some state below or level with it."""
    least = np.full((len(found), now.size), np.inf)
    matter = set()
    for key, bound in per_shelter:
        for k in range(len(found)):
            if key not in found[:k]:
                np.minimum(least[k], now + bound, out=least[k])
                if key not in matter and (now + bound <= times[k] + 0.5).any():
                    matter.add(key)
    below = (least < times[:, None] - 0.5).any(axis=0)
    tied = (np.abs(least - times[:, None]) <= 0.5).any(axis=0)
    return below, tied & ~below, matter


def _lines(priced: np.ndarray, prices: np.ndarray, cell: np.ndarray, still: np.ndarray) -> np.ndarray:
    """Per state, the upper envelope of the lines priced cost - price x units left; `priced` is (price, cell)."""
    bound = np.full(still.size, -np.inf)
    for cost, price in zip(priced, prices):
        bound = np.maximum(bound, cost[cell] - price * still)
    return bound


@njit(cache=True)
def _least_times(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, source, units):
    """The least microseconds between every cell and `source` spending at most u units, for u = 0 .. units (moves
    cost the same both ways): per u, the moves that cost chakra read from the units before, then a Dijkstra over
    the moves that cost none."""
    cells = rows * cols
    other = np.full((cells, 8), -1, dtype=np.int64)
    step_s, step_u = np.full((cells, 8, 2), np.inf), np.zeros((cells, 8, 2), dtype=np.int64)
    for cell in range(cells):
        for direction in range(8 if passable[cell] else 0):
            other[cell, direction] = neighbour(passable, rows, cols, cell, direction)
            if other[cell, direction] >= 0:
                walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, cell, other[cell, direction],
                                                          step_length(cell_size, direction), units_per_chakra)
                step_s[cell, direction, 0], step_u[cell, direction, 0] = walk_s, walk_u
                step_s[cell, direction, 1], step_u[cell, direction, 1] = run_s, run_u
    least = np.full((units + 1, cells), np.inf)
    keys, items = np.empty(20 * cells), np.empty(20 * cells, dtype=np.int64)
    for u in range(units + 1):
        label = least[u]
        if u > 0:
            label[:] = least[u - 1]
        for cell in range(cells):
            for direction in range(8):
                for mode in range(2):
                    spend = step_u[cell, direction, mode]
                    if other[cell, direction] >= 0 and step_s[cell, direction, mode] < np.inf and 0 < spend <= u:
                        label[cell] = min(label[cell], step_s[cell, direction, mode]
                                          + least[u - spend, other[cell, direction]])
        label[source] = 0.0
        size = 0
        for cell in range(cells):
            if label[cell] < np.inf:
                size = heap_push(keys, items, size, label[cell], cell)
        while size > 0:
            key, cell, size = heap_pop(keys, items, size)
            if key > label[cell]:
                continue
            for direction in range(8):
                there = other[cell, direction]
                for mode in range(2):
                    if there >= 0 and step_u[cell, direction, mode] == 0 and \
                            key + step_s[cell, direction, mode] < label[there]:
                        label[there] = key + step_s[cell, direction, mode]
                        size = heap_push(keys, items, size, label[there], there)
    return least
