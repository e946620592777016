"""Fastest times over the whole grid when no chakra may be spent: a plain shortest-path search.

With a budget too small for any move that costs chakra, every route is made of free moves (walking
on land), each cell has a single best label, and the exact resource-constrained search of
`refuge.terrain.search` reduces to Dijkstra's algorithm. The travel-time matrix asks that question
once per base and shelter over the whole map, so it gets this simpler, faster search; the answers
are the same (a test compares them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from refuge.terrain.search_kernel import grow, heap_pop, heap_push, mode_steps, neighbour, step_length


@njit(cache=True, nogil=True)
def free_times(seconds, chakra, passable, rows, cols, cell_size, units_per_chakra, start):
    """Per cell, the least seconds from `start` using only moves that cost no chakra (inf where none
    reaches), and the length in metres of that fastest way."""
    n = rows * cols
    best = np.full(n, np.inf)
    length = np.full(n, np.inf)
    done = np.zeros(n, dtype=np.bool_)
    if not passable[start]:
        return best, length
    keys, items = np.empty(1 << 16), np.empty(1 << 16, dtype=np.int64)
    best[start], length[start] = 0.0, 0.0
    size = heap_push(keys, items, 0, 0.0, start)
    while size > 0:
        key, cell, size = heap_pop(keys, items, size)
        if done[cell]:
            continue
        done[cell] = True
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0 or done[other]:
                continue
            metres = step_length(cell_size, direction)
            walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, cell, other, metres, units_per_chakra)
            step = np.inf
            if walk_s < np.inf and walk_u == 0:
                step = walk_s
            if run_s < step and run_u == 0:
                step = run_s
            if step < np.inf and key + step < best[other]:
                best[other], length[other] = key + step, length[cell] + metres
                if size == keys.shape[0]:
                    keys, items = grow(keys), grow(items)
                size = heap_push(keys, items, size, key + step, other)
    return best, length
