"""Fastest routes when no chakra may be spent: a plain shortest-path search.

With a budget too small for any move that costs chakra, every route is made of free moves (walking
on land), each cell has a single best state, and the exact resource-constrained search of
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

from refuge.terrain.search import MODE_NAMES, Cell, MoveCosts, Reach, budget_units, least_move_units, mode_tables
from refuge.terrain.search_kernel import COL_STEP, MICROSECONDS, ROW_STEP, grow, heap_pop, heap_push


class FreeSearcher:
    """Nearest targets from a start using only moves that cost no chakra: the exact answer to questions
    whose budget cannot pay for any move that costs chakra (`affords_nothing`). Holds one profile's
    cost tables; the targets come with each question."""

    def __init__(self, costs: MoveCosts) -> None:
        seconds, chakra, self.passable = mode_tables(costs)
        self.rows, self.cols = costs.walk_s_per_m.shape
        self.cell_size = float(costs.cell_size)
        self.least_units = least_move_units(chakra, self.cell_size)
        # Seconds per metre of each mode where it costs no chakra (a move spends half its length in each
        # cell, so it is free exactly when both cells are): inf where the mode costs chakra or is closed.
        self.free = np.ascontiguousarray(np.where(chakra == 0, seconds, np.inf))
        self._scratch: tuple | None = None  # per cell, as new on entry and on return of every search
        self._lock = threading.Lock()
        self._trees: dict[int, np.ndarray] = {}

    def affords_nothing(self, budget: float) -> bool:
        return budget_units(budget) < self.least_units

    def _space(self) -> tuple:
        """The scratch arrays, made on the first search (about 26 bytes a cell)."""
        if self._scratch is None:
            n = self.rows * self.cols
            self._scratch = (np.full(n, np.inf), np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int8),
                             np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.int64))
        return self._scratch

    # --- shortest-path trees: for a server that answers many questions about the same targets ---

    def tree(self, target: Cell) -> np.ndarray:
        """The shortest-path tree rooted at `target` over the whole grid, one byte per cell: the direction
        of the next move towards the target (and its mode in bit 3), or -1 where the target is out of
        reach. Moves cost the same both ways (half the length in each cell at that cell's pace, the
        corner rule the same either way), so the tree of fastest ways *from* the target is the tree of
        fastest ways *to* it. About 1 byte per cell; built once per target."""
        cell = target[0] * self.cols + target[1]
        if cell not in self._trees:
            with self._lock:
                space = self._space()
                touched = free_nearest(self.free, self.passable, self.rows, self.cols, self.cell_size, cell,
                                       np.empty(0, dtype=np.int64), 1, *space)
                try:
                    self._trees[cell] = as_tree(space[1], space[2], self.cols)
                finally:
                    forget(touched, np.empty(0, dtype=np.int64), *space)
        return self._trees[cell]

    def search_trees(self, start: Cell, targets: Mapping[Hashable, Cell], limit: int | None = None) -> list[Reach]:
        """What `search` answers, read off each target's tree (built on first use): a walk from the start
        down each tree instead of a search."""
        keys = list(targets)
        begin = start[0] * self.cols + start[1]
        found = []
        for i, cell in enumerate(targets.values()):
            seconds, steps = tree_time(self.tree(cell), self.free, self.cols, self.cell_size, begin,
                                       cell[0] * self.cols + cell[1])
            if steps >= 0 and self.passable[begin]:
                found.append((seconds, i, steps))
        found.sort()
        cap = len(keys) if limit is None else limit
        return [self._reach(keys[i], seconds, *tree_path(self.tree(targets[keys[i]]), self.cols, begin, steps))
                for seconds, i, steps in found[:cap]]

    def search(self, start: Cell, targets: Mapping[Hashable, Cell], limit: int | None = None) -> list[Reach]:
        """The targets reachable from `start` without chakra, fastest first (the `limit` fastest): one
        Dijkstra search from the start until they are settled."""
        keys = list(targets)
        cells = np.array([row * self.cols + col for row, col in targets.values()], dtype=np.int64)
        cap = len(keys) if limit is None else min(limit, len(keys))
        with self._lock:
            space = self._space()
            best, parent, mode, done, _per_cell = space
            touched = free_nearest(self.free, self.passable, self.rows, self.cols, self.cell_size,
                                   start[0] * self.cols + start[1], cells, cap, *space)
            try:
                reached = sorted((float(best[cell]) / MICROSECONDS, i)
                                 for i, cell in enumerate(cells) if done[cell])[:cap]
                return [self._reach(keys[i], seconds, *path_to(parent, mode, cells[i])) for seconds, i in reached]
            finally:
                forget(touched, cells, *space)

    def _reach(self, key: Hashable, seconds: float, path: np.ndarray, modes: np.ndarray) -> Reach:
        rows, cols = np.divmod(path, self.cols)
        diagonal = (np.diff(rows) != 0) & (np.diff(cols) != 0)
        distance = self.cell_size * float(np.count_nonzero(~diagonal) + math.sqrt(2.0) * np.count_nonzero(diagonal))
        return Reach(key=key, time_s=seconds, chakra=0.0, path=list(zip(rows.tolist(), cols.tolist(), strict=True)),
                     distance_m=distance, modes=[MODE_NAMES[m] for m in modes.tolist()])


@njit(cache=True, nogil=True)
def free_nearest(free, passable, rows, cols, cell_size, start, targets, limit, best, parent, mode, done, per_cell):
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
    straight, diagonal = 0.5 * cell_size, 0.5 * cell_size * math.sqrt(2.0)
    while size > 0:
        key, cell, size = heap_pop(keys, items, size)
        if done[cell]:
            continue
        done[cell] = True
        settled += per_cell[cell]
        if settled >= limit:
            break
        row, col = cell // cols, cell % cols
        walk, run = free[cell, 0], free[cell, 1]
        for direction in range(8):
            nrow, ncol = row + ROW_STEP[direction], col + COL_STEP[direction]
            if nrow < 0 or nrow >= rows or ncol < 0 or ncol >= cols:
                continue
            other = nrow * cols + ncol
            if done[other] or not passable[other]:
                continue
            odd = direction & 1
            if odd and not passable[row * cols + ncol] and not passable[nrow * cols + col]:
                continue  # no cutting the corner between two impassable cells
            half = diagonal if odd else straight  # times in whole microseconds, each move's rounded (the model)
            step, how = np.round(half * (walk + free[other, 0]) * MICROSECONDS), 0
            running = np.round(half * (run + free[other, 1]) * MICROSECONDS)
            if running < step:
                step, how = running, 1
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


@njit(cache=True)
def as_tree(parent, mode, cols):
    """Parents as one byte per cell: the direction (0-7) of the move to the parent, the mode in bit 3."""
    tree = np.full(parent.shape[0], -1, dtype=np.int8)
    for cell in range(parent.shape[0]):
        up = parent[cell]
        if up >= 0:
            drow, dcol = up // cols - cell // cols, up % cols - cell % cols
            for direction in range(8):
                if ROW_STEP[direction] == drow and COL_STEP[direction] == dcol:
                    tree[cell] = direction | (mode[cell] << 3)
    return tree


@njit(cache=True)
def tree_time(tree, free, cols, cell_size, start, root):
    """Seconds from `start` down the tree to its `root` (summed in whole microseconds per move, as the
    search counts them), and the moves taken (-1: the root is out of reach)."""
    straight, diagonal = 0.5 * cell_size, 0.5 * cell_size * math.sqrt(2.0)
    seconds, steps, cell = 0.0, 0, start
    while cell != root:
        if tree[cell] < 0:
            return np.inf, -1
        direction, how = tree[cell] & 7, tree[cell] >> 3
        up = cell + ROW_STEP[direction] * cols + COL_STEP[direction]
        half = diagonal if direction & 1 else straight
        seconds += np.round(half * (free[cell, how] + free[up, how]) * MICROSECONDS)
        steps, cell = steps + 1, up
    return seconds / MICROSECONDS, steps


@njit(cache=True)
def tree_path(tree, cols, start, steps):
    """The cells from `start` down the tree (`steps` moves, from `tree_time`) and the mode of each move."""
    cells, modes = np.empty(steps + 1, dtype=np.int64), np.empty(steps, dtype=np.int8)
    cell = start
    for i in range(steps):
        direction = tree[cell] & 7
        cells[i], modes[i] = cell, tree[cell] >> 3
        cell += ROW_STEP[direction] * cols + COL_STEP[direction]
    cells[steps] = cell
    return cells, modes
