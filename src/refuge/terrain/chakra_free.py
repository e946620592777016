"""Fastest routes when no chakra may be spent: a plain shortest-path search.

With a budget too small for any move that costs chakra, every route is made of free moves (walking
on land), each cell has a single best label, and the exact resource-constrained search of
`refuge.terrain.search` reduces to Dijkstra's algorithm. The travel-time matrix (once per base and
shelter, over the whole map) and the nearest shelter for a traveller with no chakra to spend get this
simpler, faster search; the answers are the same (property tests compare them).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable, Mapping

import numpy as np
from numba import njit

from refuge.terrain.search import MODE_NAMES, UNITS_PER_CHAKRA, Cell, MoveCosts, Reach, budget_units, \
    least_move_units, mode_tables
from refuge.terrain.search_kernel import grow, heap_pop, heap_push, mode_steps, neighbour, step_length


class FreeSearcher:
    """Nearest targets from a start using only moves that cost no chakra: the exact answer to questions
    whose budget cannot pay for any move that costs chakra (`affords_nothing`). Holds one profile's
    cost tables; the targets come with each question."""

    def __init__(self, costs: MoveCosts) -> None:
        self.seconds, self.chakra, self.passable = mode_tables(costs)
        self.rows, self.cols = costs.walk_s_per_m.shape
        self.cell_size = float(costs.cell_size)
        self.least_units = least_move_units(self.chakra, self.cell_size)
        n = self.rows * self.cols  # scratch per cell, as new on entry and on return of every search
        self._scratch = (np.full(n, np.inf), np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int8),
                         np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.int64))
        self._lock = threading.Lock()

    def affords_nothing(self, budget: float) -> bool:
        return budget_units(budget) < self.least_units

    def search(self, start: Cell, targets: Mapping[Hashable, Cell], limit: int | None = None) -> list[Reach]:
        """The targets reachable from `start` without chakra, fastest first (the `limit` fastest)."""
        keys = list(targets)
        cells = np.array([row * self.cols + col for row, col in targets.values()], dtype=np.int64)
        cap = len(keys) if limit is None else min(limit, len(keys))
        with self._lock:
            best, parent, mode, done, per_cell = self._scratch
            touched = free_nearest(self.seconds, self.chakra, self.passable, self.rows, self.cols, self.cell_size,
                                   float(UNITS_PER_CHAKRA), start[0] * self.cols + start[1], cells, cap, *self._scratch)
            try:
                reached = sorted((float(best[cell]), i) for i, cell in enumerate(cells) if done[cell])[:cap]
                return [self._reach(keys[i], seconds, *path_to(parent, mode, cells[i])) for seconds, i in reached]
            finally:
                forget(touched, cells, *self._scratch)

    def _reach(self, key: Hashable, seconds: float, path: np.ndarray, modes: np.ndarray) -> Reach:
        rows, cols = np.divmod(path, self.cols)
        diagonal = (np.diff(rows) != 0) & (np.diff(cols) != 0)
        distance = self.cell_size * float(np.count_nonzero(~diagonal) + math.sqrt(2.0) * np.count_nonzero(diagonal))
        return Reach(key=key, time_s=seconds, chakra=0.0, path=list(zip(rows.tolist(), cols.tolist(), strict=True)),
                     distance_m=distance, modes=[MODE_NAMES[m] for m in modes.tolist()])


@njit(cache=True, nogil=True)
def free_nearest(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, start, targets, limit,
                 best, parent, mode, done, per_cell):
    """Dijkstra from `start` over moves that cost no chakra, in the caller's scratch arrays, until `limit`
    of the `targets` cells' targets are settled; returns the cells it touched (for `forget`)."""
    for cell in targets:
        per_cell[cell] += 1
    touched = np.empty(1 << 12, dtype=np.int64)
    count = 0
    if not passable[start] or limit <= 0:
        return touched[:0]
    keys, items = np.empty(1 << 12), np.empty(1 << 12, dtype=np.int64)
    best[start] = 0.0
    touched[0], count = start, 1
    size = heap_push(keys, items, 0, 0.0, start)
    settled = 0
    while size > 0:
        key, cell, size = heap_pop(keys, items, size)
        if done[cell]:
            continue
        done[cell] = True
        settled += per_cell[cell]
        if settled >= limit:
            break
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0 or done[other]:
                continue
            walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, cell, other, step_length(cell_size, direction),
                                                      units_per_chakra)
            step, how = np.inf, 0
            if walk_s < np.inf and walk_u == 0:
                step = walk_s
            if run_s < step and run_u == 0:
                step, how = run_s, 1
            if step < np.inf and key + step < best[other]:
                if best[other] == np.inf:
                    if count == touched.shape[0]:
                        touched = grow(touched)
                    touched[count], count = other, count + 1
                best[other], parent[other], mode[other] = key + step, cell, how
                if size == keys.shape[0]:
                    keys, items = grow(keys), grow(items)
                size = heap_push(keys, items, size, key + step, other)
    return touched[:count]


@njit(cache=True, nogil=True)
def forget(touched, targets, best, parent, mode, done, per_cell):
    """Put the scratch arrays back as new after `free_nearest`."""
    for cell in touched:
        best[cell], parent[cell], mode[cell], done[cell] = np.inf, -1, 0, False
    for cell in targets:
        per_cell[cell] = 0


@njit(cache=True)
def path_to(parent, mode, cell):
    """The cells from the start to `cell`, and the mode of each move, from a search's parents."""
    steps, at = 0, cell
    while parent[at] >= 0:
        steps, at = steps + 1, parent[at]
    cells, modes = np.empty(steps + 1, dtype=np.int64), np.empty(steps, dtype=np.int8)
    at = cell
    for i in range(steps, 0, -1):
        cells[i], modes[i - 1], at = at, mode[at], parent[at]
    cells[0] = at
    return cells, modes
