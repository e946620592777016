"""The settled labels of each cell as a Pareto staircase, for an exact dominance check in O(log n).

A cell's staircase lists its settled (units, seconds) sorted by units ascending, seconds strictly
descending: every entry is faster than all with less chakra. A label is dominated when the last entry
with no more units than it is no slower. Staircases live in one pool: `slots[slot]` holds (cell,
start, size, capacity) of a run of `pool_units` / `pool_seconds`, and `cell_slot[cell]` its slot.
A full run moves to the pool's end at twice the capacity; the pool grows by doubling.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from refuge.terrain.search_kernel import grow

FIRST_CAPACITY = 4


@njit(cache=True)
def _grow_rows(table):
    grown = np.empty((2 * table.shape[0], table.shape[1]), dtype=table.dtype)
    grown[: table.shape[0]] = table
    return grown


@njit(cache=True, inline="always")
def _after_units(pool_units, start, size, used):
    """Index (from start) of the first entry with more units than `used`."""
    low, high = 0, size
    while low < high:
        middle = (low + high) >> 1
        if pool_units[start + middle] <= used:
            low = middle + 1
        else:
            high = middle
    return low


@njit(cache=True)
def dominated(cell_slot, slots, pool_units, pool_seconds, cell, elapsed, used):
    """Whether a label settled at the cell was as fast with no more chakra."""
    slot = cell_slot[cell]
    if slot < 0:
        return False
    start, size = slots[slot, 1], slots[slot, 2]
    last = _after_units(pool_units, start, size, used) - 1
    return last >= 0 and pool_seconds[start + last] <= elapsed


@njit(cache=True)
def new_fronts(cells_hint):
    """An empty pool: (slots, slot count, pool_units, pool_seconds, pool end)."""
    capacity = max(64, cells_hint)
    slots = np.empty((capacity, 4), dtype=np.int64)
    return slots, 0, np.empty(capacity * FIRST_CAPACITY, dtype=np.int64), np.empty(capacity * FIRST_CAPACITY), 0


@njit(cache=True)
def _reserve(pool_units, pool_seconds, pool_end, count):
    while pool_end + count > pool_units.shape[0]:
        pool_units, pool_seconds = grow(pool_units), grow(pool_seconds)
    return pool_units, pool_seconds


@njit(cache=True)
def insert(cell_slot, fronts, cell, elapsed, used):
    """Add an undominated label to the cell's staircase, dropping the entries it dominates."""
    slots, count, pool_units, pool_seconds, pool_end = fronts
    slot = cell_slot[cell]
    if slot < 0:
        if count == slots.shape[0]:
            slots = _grow_rows(slots)
        pool_units, pool_seconds = _reserve(pool_units, pool_seconds, pool_end, FIRST_CAPACITY)
        slots[count, 0], slots[count, 1], slots[count, 2], slots[count, 3] = cell, pool_end, 0, FIRST_CAPACITY
        slot, cell_slot[cell] = count, count
        count, pool_end = count + 1, pool_end + FIRST_CAPACITY
    start, size, capacity = slots[slot, 1], slots[slot, 2], slots[slot, 3]
    first = _after_units(pool_units, start, size, used - 1)  # first entry with units >= used
    beyond = first
    while beyond < size and pool_seconds[start + beyond] >= elapsed:
        beyond += 1  # entries [first, beyond) have as much chakra and are no faster: dominated
    if beyond == first and size == capacity:
        pool_units, pool_seconds = _reserve(pool_units, pool_seconds, pool_end, 2 * capacity)
        pool_units[pool_end:pool_end + size] = pool_units[start:start + size]
        pool_seconds[pool_end:pool_end + size] = pool_seconds[start:start + size]
        start, capacity, pool_end = pool_end, 2 * capacity, pool_end + 2 * capacity
        slots[slot, 1], slots[slot, 3] = start, capacity
    shift = 1 - (beyond - first)
    if shift > 0:
        for i in range(size - 1, beyond - 1, -1):
            pool_units[start + i + shift], pool_seconds[start + i + shift] = pool_units[start + i], pool_seconds[start + i]
    elif shift < 0:
        for i in range(beyond, size):
            pool_units[start + i + shift], pool_seconds[start + i + shift] = pool_units[start + i], pool_seconds[start + i]
    pool_units[start + first], pool_seconds[start + first] = used, elapsed
    slots[slot, 2] = size + shift
    return slots, count, pool_units, pool_seconds, pool_end


@njit(cache=True)
def clear(cell_slot, fronts):
    """Return the cells' slots to -1 (the scratch array is reused by the next search)."""
    slots, count = fronts[0], fronts[1]
    for slot in range(count):
        cell_slot[slots[slot, 0]] = -1
