"""Per-cell lower bounds on what is left of a route, computed once per set of targets.

Moves cost the same both ways, so a Dijkstra from the targets gives, for every cell, the least cost
from it to its nearest target. Two kinds of cost are used:

- units: the least chakra to reach any target (a state with less left than this is dropped);
- seconds + price * units, for a price in seconds per unit: with r units left, the time still needed
  is at least (that least priced cost - price * r), whatever the route (a Lagrangian relaxation).
  Price 0 gives the fastest time with unlimited chakra; a forbidding price gives the walking time
  with no chakra at all, exact when not even the cheapest chakra move is affordable.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from refuge.terrain.search_kernel import (
    NO_CHAKRA, grow, heap_pop, heap_push, mode_steps, neighbour, step_length,
)  # fmt: skip


@njit(cache=True, nogil=True)
def least_priced(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, price, sources):
    """Least seconds + price * units (price < 0: units alone) from every cell to the nearest source."""
    best = np.full(rows * cols, np.inf)
    keys, items = np.empty(1 << 16), np.empty(1 << 16, dtype=np.int64)
    size = 0
    for source in sources:
        if best[source] > 0.0:
            best[source] = 0.0
            if size == keys.shape[0]:
                keys, items = grow(keys), grow(items)
            size = heap_push(keys, items, size, 0.0, source)
    while size > 0:
        key, cell, size = heap_pop(keys, items, size)
        if key > best[cell]:
            continue
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0:
                continue
            walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, other, cell, step_length(cell_size, direction),
                                                      units_per_chakra)
            if price < 0:
                step = min(walk_u if walk_s < np.inf else np.inf, run_u if run_s < np.inf else np.inf)
            else:
                step = min(walk_s + price * walk_u if walk_s < np.inf else np.inf,
                           run_s + price * run_u if run_s < np.inf else np.inf)
            if key + step < best[other]:
                best[other] = key + step
                if size == keys.shape[0]:
                    keys, items = grow(keys), grow(items)
                size = heap_push(keys, items, size, key + step, other)
    return best


def least_units(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, sources) -> np.ndarray:
    """Least chakra units from every cell to the nearest source (NO_CHAKRA where none is reachable)."""
    best = least_priced(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, -1.0, sources)
    return np.where(np.isfinite(best), best, NO_CHAKRA).astype(np.int64)


@njit(cache=True, nogil=True)
def nearest_sources(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, price, sources, count):
    """For every cell, the `count` nearest distinct sources by seconds + price * units, nearest first:
    their costs (exact, as the bounds must be for routes that tie to tie) and their indexes in `sources`
    (-1 past the last source reachable). Any source not listed costs at least the last cost listed."""
    cells = rows * cols
    costs = np.full((cells, count), np.inf)
    found = np.full((cells, count), -1, dtype=np.int16)
    filled = np.zeros(cells, dtype=np.int64)
    keys, items = np.empty(1 << 16), np.empty(1 << 16, dtype=np.int64)
    size = 0
    n_sources = sources.shape[0]
    for index in range(n_sources):
        if size == keys.shape[0]:
            keys, items = grow(keys), grow(items)
        size = heap_push(keys, items, size, 0.0, sources[index] * n_sources + index)
    while size > 0:
        key, item, size = heap_pop(keys, items, size)
        cell, source = item // n_sources, item % n_sources
        if filled[cell] >= count or _lists(found, filled, cell, source):
            continue
        costs[cell, filled[cell]], found[cell, filled[cell]] = key, source
        filled[cell] += 1
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0 or filled[other] >= count or _lists(found, filled, other, source):
                continue
            walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, other, cell, step_length(cell_size, direction),
                                                      units_per_chakra)
            step = min(walk_s + price * walk_u if walk_s < np.inf else np.inf,
                       run_s + price * run_u if run_s < np.inf else np.inf)
            if step < np.inf:
                if size == keys.shape[0]:
                    keys, items = grow(keys), grow(items)
                size = heap_push(keys, items, size, key + step, other * n_sources + source)
    return costs, found


@njit(cache=True, inline="always")
def _lists(found, filled, cell, source):
    for k in range(filled[cell]):
        if found[cell, k] == source:
            return True
    return False
