"""The label-setting search over (cell, chakra units used), compiled.

A label is (cell, microseconds, units) with its parent label and the mode of its last move. Labels are
settled in order of time plus a lower bound on the time still needed with the chakra left (A*: the
bound is consistent, so a target's first settled label is its fastest within the budget). Times are
whole microseconds and the bound is rounded up to one (the time still needed is a whole number of
them, so the bound stays a lower bound), so estimates that are equal compare equal; among equal
estimates the label that has come further is settled first, which takes the search straight down a
plateau of equally good routes instead of across it. A label is dropped when a label settled at its
cell was as fast with no more chakra (Pareto dominance, exact) or when even the least chakra from its
cell to any target exceeds what is left.

The precomputed bounds aim at the nearest target, reached or not. Once a target is reached (and for
targets not asked for), a second bound takes over where it is larger: the octile distance to the
nearest target still wanted, times the least priced time per metre of any move on the map (minus the
price of the chakra left). A label queued before a target was reached is re-estimated when it comes
out of the queue and queued again if its estimate rose; with no wanted target left, nothing is queued.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from refuge.terrain import search_fronts as fronts_
from refuge.terrain.search_kernel import WALK, grow, mode_steps, neighbour, pair_pop, pair_push, step_length

SQRT2 = np.sqrt(2.0)
BOUND_SLACK = 0.1  # microseconds: more than the float noise in a bound, forgiven before rounding it up


@njit(cache=True, inline="always")
def time_bound(priced, prices, walk_only, free_below, cell, units_left):
    """Least microseconds still needed from the cell with `units_left` units: the best Lagrangian bound,
    and the exact chakra-free time when not even the cheapest chakra move is affordable; rounded up to
    a whole microsecond."""
    bound = priced[cell, 0] - prices[0] * units_left
    for j in range(1, prices.shape[0]):
        bound = max(bound, priced[cell, j] - prices[j] * units_left)
    if units_left < free_below:
        bound = max(bound, walk_only[cell])
    return np.ceil(bound - BOUND_SLACK) if bound < np.inf else bound


@njit(cache=True, inline="always")
def open_bound(paces, prices, open_rows, open_cols, open_count, cols, cell_size, cell, units_left):
    """Least microseconds from the cell to any target still wanted, from the octile distance (inf: none left)."""
    if open_count == 0:
        return np.inf
    row, col = cell // cols, cell % cols
    nearest = np.inf
    for i in range(open_count):
        down, across = abs(open_rows[i] - row), abs(open_cols[i] - col)
        nearest = min(nearest, max(down, across) + (SQRT2 - 1.0) * min(down, across))
    metres = cell_size * nearest
    bound = metres * paces[0] - prices[0] * units_left
    for j in range(1, prices.shape[0]):
        bound = max(bound, metres * paces[j] - prices[j] * units_left)
    return np.ceil(bound - BOUND_SLACK)


@njit(cache=True)
def label_search(grid, bounds, targets, start, budget_units, limit, cell_slot, max_labels):
    """Settle labels from `start` until `limit` wanted targets are reached or none is left.

    grid = (seconds, chakra, passable, rows, cols, cell_size, units_per_chakra); bounds = (priced,
    prices, walk_only, free_below, least_units, paces); targets = (head, next, wanted, cells): the first
    target in each cell, the next target in the same cell, which targets count, and each one's cell. `cell_slot` is scratch
    space, -1 per cell on entry and on return. The search gives up once it has made `max_labels`
    labels (the targets settled by then are still exact). Returns the targets in the order reached, per target
    the label, seconds and units reaching it, and the labels' (cell, parent, mode) for tracing paths."""
    seconds, chakra, passable, rows, cols, cell_size, units_per_chakra = grid
    priced, prices, walk_only, free_below, least_units, paces = bounds
    target_head, target_next, wanted, target_cells = targets
    open_rows, open_cols = np.empty(wanted.shape[0], dtype=np.int64), np.empty(wanted.shape[0], dtype=np.int64)
    open_count = 0
    for target in range(wanted.shape[0]):
        if wanted[target] and passable[target_cells[target]]:
            open_rows[open_count], open_cols[open_count] = target_cells[target] // cols, target_cells[target] % cols
            open_count += 1
    changed = open_count < wanted.shape[0]  # some targets are not wanted: the open bound can help at once
    reached = np.full(wanted.shape[0], -1, dtype=np.int64)
    order = np.empty(wanted.shape[0], dtype=np.int64)
    count = 0
    capacity = 1 << 14
    label_cell, label_parent = np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64)
    label_mode, label_seconds = np.empty(capacity, dtype=np.int8), np.empty(capacity)
    label_units = np.empty(capacity, dtype=np.int64)
    keys, ties, items = np.empty(capacity), np.empty(capacity), np.empty(capacity, dtype=np.int64)
    fronts = fronts_.new_fronts(capacity)
    labels, size = 0, 0
    if passable[start] and least_units[start] <= budget_units and limit > 0:
        label_cell[0], label_parent[0], label_mode[0], label_seconds[0], label_units[0] = start, -1, WALK, 0.0, 0
        labels = 1
        size = pair_push(keys, ties, items, 0, time_bound(priced, prices, walk_only, free_below, start, budget_units),
                         0.0, 0)
    while size > 0 and count < limit and labels < max_labels:
        key, label, size = pair_pop(keys, ties, items, size)
        cell, elapsed, used = label_cell[label], label_seconds[label], label_units[label]
        if fronts_.dominated(cell_slot, fronts[0], fronts[2], fronts[3], cell, elapsed, used):
            continue
        if changed:  # a target reached since this label was queued may have raised its estimate
            estimate = elapsed + open_bound(paces, prices, open_rows, open_cols, open_count, cols, cell_size, cell,
                                            budget_units - used)
            if estimate > key:
                if estimate < np.inf:
                    size = pair_push(keys, ties, items, size, estimate, -elapsed, label)
                continue
        if cell_slot[cell] < 0:  # the cell's first settled label is its fastest
            target = target_head[cell]
            while target >= 0 and count < limit:
                if wanted[target]:
                    reached[target], order[count], count = label, target, count + 1
                    open_count = _close(open_rows, open_cols, open_count, cell // cols, cell % cols)
                    changed = True
                target = target_next[target]
        fronts = fronts_.insert(cell_slot, fronts, cell, elapsed, used)
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0:
                continue
            walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, cell, other, step_length(cell_size, direction),
                                                      units_per_chakra)
            for mode in range(2):
                step_s, step_u = (walk_s, walk_u) if mode == WALK else (run_s, run_u)
                now, now_used = elapsed + step_s, used + step_u
                if step_s == np.inf or now_used + least_units[other] > budget_units:
                    continue
                if fronts_.dominated(cell_slot, fronts[0], fronts[2], fronts[3], other, now, now_used):
                    continue
                estimate = now + time_bound(priced, prices, walk_only, free_below, other, budget_units - now_used)
                if changed:
                    estimate = max(estimate, now + open_bound(paces, prices, open_rows, open_cols, open_count, cols,
                                                              cell_size, other, budget_units - now_used))
                if estimate == np.inf:
                    continue
                if labels == label_cell.shape[0]:
                    label_cell, label_parent, label_mode = grow(label_cell), grow(label_parent), grow(label_mode)
                    label_seconds, label_units = grow(label_seconds), grow(label_units)
                label_cell[labels], label_parent[labels], label_mode[labels] = other, label, mode
                label_seconds[labels], label_units[labels] = now, now_used
                if size == keys.shape[0]:
                    keys, ties, items = grow(keys), grow(ties), grow(items)
                size = pair_push(keys, ties, items, size, estimate, -now, labels)
                labels += 1
    fronts_.clear(cell_slot, fronts)
    complete = size == 0 or count >= limit
    return order[:count], reached, label_seconds[:labels], label_units[:labels], label_cell[:labels], \
        label_parent[:labels], label_mode[:labels], complete


@njit(cache=True)
def _close(open_rows, open_cols, open_count, row, col):
    """Drop the targets at (row, col) from the open list; returns the new count."""
    kept = 0
    for i in range(open_count):
        if open_rows[i] != row or open_cols[i] != col:
            open_rows[kept], open_cols[kept] = open_rows[i], open_cols[i]
            kept += 1
    return kept


@njit(cache=True)
def trace(label_cell, label_parent, label_mode, label):
    """The cells from the start to the label's cell, and the mode of each move."""
    steps, at = 0, label
    while label_parent[at] >= 0:
        steps, at = steps + 1, label_parent[at]
    cells, modes = np.empty(steps + 1, dtype=np.int64), np.empty(steps, dtype=np.int8)
    at = label
    for i in range(steps, 0, -1):
        cells[i], modes[i - 1], at = label_cell[at], label_mode[at], label_parent[at]
    cells[0] = label_cell[at]
    return cells, modes

