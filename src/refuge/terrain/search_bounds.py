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
    NO_CHAKRA, WALK, grow, heap_pop, heap_push, mode_steps, move_units, neighbour, step_length,
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
            if price < 0:
                walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, other, cell,
                                                          step_length(cell_size, direction), units_per_chakra)
                step = min(walk_u if walk_s < np.inf else np.inf, run_u if run_s < np.inf else np.inf)
            else:
                step = _priced_step(seconds, chakra, other, cell, cell_size, direction, units_per_chakra, price)
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
            step = _priced_step(seconds, chakra, other, cell, cell_size, direction, units_per_chakra, price)
            if step < np.inf:
                if size == keys.shape[0]:
                    keys, items = grow(keys), grow(items)
                size = heap_push(keys, items, size, key + step, other * n_sources + source)
    return costs, found


# ---------------------------------------------------------------- routes that cannot cross wide water
#
# Chakra buys two things: running, which saves time a move at a time, and water-walking, which opens
# whole routes at once (across a river, over a lake). The priced bound treats both as divisible: a
# route with a few tenths left is bounded as if it could pay for part of a crossing, so on the near
# bank of a wide river the bound believes in a ford it cannot afford, and the search floods the bank
# until the bridge's time is reached. A route spends at least as many units as its moves would walking
# (walking costs chakra only in water: a move's "water units"), so with a budget below `limit` every
# route spends fewer than `limit` in water. The least priced cost over those shallow routes alone
# bounds such a search, and it knows that a river costing `limit` or more to cross is crossed only by
# its bridges.


@njit(cache=True, nogil=True)
def shallow_sources(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, price, sources, count, limit):
    """As `nearest_sources`, over the routes spending fewer than `limit` water units (each move's units
    walking): a Dijkstra over (cell, source, water units so far), in which a state is dropped once its
    source was settled at the cell with no more water, or `count` other sources were (whatever it
    reaches, they reach as soon with as much water to spare). A cell lists the `count` nearest
    distinct sources, each at its least cost over the water units."""
    cells = rows * cols
    n_sources = sources.shape[0]
    costs = np.full((cells, count), np.inf)
    found = np.full((cells, count), -1, dtype=np.int16)
    filled = np.zeros(cells, dtype=np.int64)
    least_water = np.full(cells * n_sources, limit, dtype=np.int16)  # per (cell, source): least settled
    within = np.zeros(cells * limit, dtype=np.int16)  # per (cell, w): sources settled with at most w
    keys, items = np.empty(1 << 16), np.empty(1 << 16, dtype=np.int64)
    size = 0
    for index in range(n_sources):
        if size == keys.shape[0]:
            keys, items = grow(keys), grow(items)
        size = heap_push(keys, items, size, 0.0, sources[index] * limit * n_sources + index)
    while size > 0:
        key, item, size = heap_pop(keys, items, size)
        node, source = item // n_sources, item % n_sources
        cell, water = node // limit, node % limit
        before = least_water[cell * n_sources + source]
        if before <= water or within[node] >= count:
            continue
        least_water[cell * n_sources + source] = water
        for spent in range(water, before):
            within[cell * limit + spent] += 1
        if filled[cell] < count and not _lists(found, filled, cell, source):
            costs[cell, filled[cell]], found[cell, filled[cell]] = key, source
            filled[cell] += 1
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0:
                continue
            length = step_length(cell_size, direction)
            wet = water + move_units(chakra, other, cell, WALK, length, units_per_chakra)
            if wet >= limit or least_water[other * n_sources + source] <= wet or within[other * limit + wet] >= count:
                continue
            step = _priced_step(seconds, chakra, other, cell, cell_size, direction, units_per_chakra, price)
            if step < np.inf:
                if size == keys.shape[0]:
                    keys, items = grow(keys), grow(items)
                size = heap_push(keys, items, size, key + step, (other * limit + wet) * n_sources + source)
    return costs, found


@njit(cache=True, inline="always")
def _lists(found, filled, cell, source):
    for k in range(filled[cell]):
        if found[cell, k] == source:
            return True
    return False


# ---------------------------------------------------------------- residue classes of the chakra spent
#
# The priced bound above prices chakra as if any amount could be spent at the best rate; a route spends
# whole moves. Where the rate that binds is that of moves of k units, a route with r units left can
# spend them all at that rate only when r is a multiple of k; otherwise it must waste some or spend
# them on moves at a worse rate, and the bound is low by up to a move's worth. The same Dijkstra over
# states (cell, units spent modulo k) gives, for every residue rho, the least priced cost of the routes
# whose units are congruent to rho: with r left, a route spending r - w units (w >= 0 wasted) costs at
# least min over rho of (cost(rho) + price * ((r - rho) mod k)) - price * r. That bound is exact where
# the plain one was low only for want of whole moves, and it is what lets the search go straight down
# one of the many routes that tie rather than through all of them (see `search_dense`).


@njit(cache=True, nogil=True)
def residue_priced(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, price, modulus, sources,
                   member, exits):
    """Least seconds + price * units from every cell of `member` to the sources, per residue of the units
    modulo `modulus` (shape (cells, modulus); inf outside `member`). Routes stay in `member`, or leave it:
    a route leaving it for a cell b costs at least `exits[b]` from there (whatever its residue)."""
    best = np.full((rows * cols, modulus), np.inf)
    keys, items = np.empty(1 << 16), np.empty(1 << 16, dtype=np.int64)
    size = 0
    for source in sources:
        if best[source, 0] > 0.0:
            best[source, 0] = 0.0
            if size == keys.shape[0]:
                keys, items = grow(keys), grow(items)
            size = heap_push(keys, items, size, 0.0, source * modulus)
    for cell in range(rows * cols):
        if not member[cell]:
            continue
        leaving = np.inf
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0 or member[other] or exits[other] == np.inf:
                continue
            leaving = min(leaving, _priced_step(seconds, chakra, cell, other, cell_size, direction, units_per_chakra,
                                                price) + exits[other])
        if leaving < np.inf:
            for residue in range(modulus):
                if leaving < best[cell, residue]:
                    best[cell, residue] = leaving
                    if size == keys.shape[0]:
                        keys, items = grow(keys), grow(items)
                    size = heap_push(keys, items, size, leaving, cell * modulus + residue)
    while size > 0:
        key, item, size = heap_pop(keys, items, size)
        cell, residue = item // modulus, item % modulus
        if key > best[cell, residue]:
            continue
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0 or not member[other]:
                continue
            walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, other, cell, step_length(cell_size, direction),
                                                      units_per_chakra)
            for mode in range(2):
                step_s, step_u = (walk_s, walk_u) if mode == 0 else (run_s, run_u)
                if step_s == np.inf:
                    continue
                cost, there = key + step_s + price * step_u, (residue + step_u) % modulus
                if cost < best[other, there]:
                    best[other, there] = cost
                    if size == keys.shape[0]:
                        keys, items = grow(keys), grow(items)
                    size = heap_push(keys, items, size, cost, other * modulus + there)
    return best


@njit(cache=True, inline="always")
def _priced_step(seconds, chakra, a, b, cell_size, direction, units_per_chakra, price):
    walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, a, b, step_length(cell_size, direction),
                                              units_per_chakra)
    return min(walk_s + price * walk_u if walk_s < np.inf else np.inf,
               run_s + price * run_u if run_s < np.inf else np.inf)
