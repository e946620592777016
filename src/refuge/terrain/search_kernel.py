"""Compiled building blocks of the route search: the move model on flat arrays, and a binary heap.

The model is documented in `refuge.terrain.search`. Here cells are numbered row * cols + col and a
travel profile is two tables shaped (cells, 2), column 0 walking and column 1 running:
`seconds[cell, mode]` and `chakra[cell, mode]` per metre, a water cell holding its water-walking
values in both columns (water can only be water-walked, whatever the mode). Time is counted in whole
microseconds (each move's rounded to the nearest), held in float64 (exact for any integer below 2**53),
so that sums are exact and equal times compare equal.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

WALK = 0
RUN = 1
NO_CHAKRA = np.iinfo(np.int64).max // 4  # "cannot be reached", with room to add to it
ROUNDING_SLACK = 1e-9  # units; absorbs float noise so that an exact whole unit rounds to itself
MICROSECONDS = 1e6  # time unit per second
ROW_STEP = np.array([-1, -1, 0, 1, 1, 1, 0, -1], dtype=np.int64)  # N, NE, E, SE, S, SW, W, NW
COL_STEP = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)


@njit(cache=True, inline="always")
def move_seconds(seconds, a, b, mode, length):
    """Half the move's length in each cell at that cell's seconds per metre, in whole microseconds
    (inf: not allowed)."""
    exact = 0.5 * length * (seconds[a, mode] + seconds[b, mode])
    return np.round(exact * MICROSECONDS) if exact < np.inf else np.inf


@njit(cache=True, inline="always")
def move_units(chakra, a, b, mode, length, units_per_chakra):
    """The move's chakra in whole units, rounded up; only meaningful for an allowed move."""
    exact = units_per_chakra * 0.5 * length * (chakra[a, mode] + chakra[b, mode])
    return np.int64(math.ceil(exact - ROUNDING_SLACK))


@njit(cache=True, inline="always")
def neighbour(passable, rows, cols, cell, direction):
    """The neighbouring cell in `direction`, or -1 when it is off the grid, impassable, or reached
    by cutting the corner between two impassable cells."""
    row, col = cell // cols, cell % cols
    nrow, ncol = row + ROW_STEP[direction], col + COL_STEP[direction]
    if nrow < 0 or nrow >= rows or ncol < 0 or ncol >= cols or not passable[nrow * cols + ncol]:
        return -1
    if direction % 2 == 1 and not passable[row * cols + ncol] and not passable[nrow * cols + col]:
        return -1
    return nrow * cols + ncol


@njit(cache=True, inline="always")
def step_length(cell_size, direction):
    return cell_size * (math.sqrt(2.0) if direction % 2 == 1 else 1.0)


@njit(cache=True, inline="always")
def mode_steps(seconds, chakra, a, b, length, units_per_chakra):
    """Seconds and units of the move walking and running; a mode no better than the other in both
    (or not allowed) comes back with inf seconds."""
    walk_s = move_seconds(seconds, a, b, WALK, length)
    run_s = move_seconds(seconds, a, b, RUN, length)
    walk_u = move_units(chakra, a, b, WALK, length, units_per_chakra) if walk_s < np.inf else NO_CHAKRA
    run_u = move_units(chakra, a, b, RUN, length, units_per_chakra) if run_s < np.inf else NO_CHAKRA
    if walk_s <= run_s and walk_u <= run_u:
        run_s = np.inf
    elif run_s <= walk_s and run_u <= walk_u:
        walk_s = np.inf
    return walk_s, walk_u, run_s, run_u


# ---------------------------------------------------------------- a binary heap of (key, item)


@njit(cache=True)
def grow(array):
    """The array at twice its length, its entries kept."""
    grown = np.empty(2 * array.shape[0], dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown


@njit(cache=True)
def heap_push(keys, items, size, key, item):
    """Add an entry at index `size` (the caller made room) and sift it up; returns the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i], items[i] = keys[parent], items[parent]
        i = parent
    keys[i], items[i] = key, item
    return size + 1


@njit(cache=True)
def heap_pop(keys, items, size):
    """Remove the least entry; returns (key, item, new size)."""
    key, item = keys[0], items[0]
    size -= 1
    last_key, last_item = keys[size], items[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= last_key:
            break
        keys[i], items[i] = keys[child], items[child]
        i = child
    keys[i], items[i] = last_key, last_item
    return key, item, size


# ---------------------------------------------------------------- a binary heap of (key, tie, item)


@njit(cache=True, inline="always")
def _before(key_a, tie_a, key_b, tie_b):
    return key_a < key_b or (key_a == key_b and tie_a < tie_b)


@njit(cache=True, inline="always")
def pair_push(keys, ties, items, size, key, tie, item):
    """Add an entry ordered by key, then tie, at index `size` (the caller made room); returns the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if not _before(key, tie, keys[parent], ties[parent]):
            break
        keys[i], ties[i], items[i] = keys[parent], ties[parent], items[parent]
        i = parent
    keys[i], ties[i], items[i] = key, tie, item
    return size + 1


@njit(cache=True, inline="always")
def pair_pop(keys, ties, items, size):
    """Remove the least entry (by key, then tie); returns (key, item, new size)."""
    key, item = keys[0], items[0]
    size -= 1
    last_key, last_tie, last_item = keys[size], ties[size], items[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and _before(keys[child + 1], ties[child + 1], keys[child], ties[child]):
            child += 1
        if not _before(keys[child], ties[child], last_key, last_tie):
            break
        keys[i], ties[i], items[i] = keys[child], ties[child], items[child]
        i = child
    keys[i], ties[i], items[i] = last_key, last_tie, last_item
    return key, item, size
