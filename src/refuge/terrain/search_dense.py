"""The route search over (cell, chakra units used) with one row of times per cell, compiled.

Where the budget binds, a cell holds a time for nearly every amount of chakra used (a route can run
any share of the way), and handling each (cell, units) as a label of its own is slow. Here each cell
the search touches gets a row: the fastest way found so far to stand in the cell having spent exactly
u units, for each u, with the move that got there (direction × 2 + mode) and the lower bound on the
time still needed with the chakra left (see `_lines` and `_fill`), kept until a target is final. A row
is held in pages of PAGE consecutive units, each made when a time first lands in it, with a bit per
entry saying which hold a time: where only water costs chakra (the injured), a cell's times are a few
amounts far apart, and its row is a page or two however large the budget; the pages are kept from one
search to the next (fresh memory costs more than the search's own work). A cell is queued with the
least estimate (time plus bound) among its entries that changed since it was last expanded;
expanding it pushes those entries along its eight moves, walking and running, a row at a time. An
entry is pushed only when no entry of the same row spent less and was as fast (Pareto dominance,
exact), only where the chakra left still reaches some target, and only while its estimate is no
later than the time of the last target asked for already reached. Among equal estimates, the cell
whose entry has come further goes first.

Entries may be pushed out of strict estimate order (all those of a cell within `slack` of the
least), so a cell can be expanded more than once; the answer stays exact because a target's time is
declared final only once every entry still queued has an estimate at least as large: no route not
yet expanded can reach it faster. Targets are final in order of their times.

The main loop (`_expand`) and what it calls allocate nothing and are compiled without numba's reference
counts: with them, each array taken out of a tuple or handed to a function cost an atomic add and
subtract, a third of the search's time. The loop returns to `dense_search` whenever an expansion might
need more room than the arrays hold; that grows them and calls it again.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from refuge.terrain.search_kernel import COL_STEP, ROW_STEP, grow, pair_pop, pair_push, mode_steps, move_units, \
    neighbour, step_length  # fmt: skip

START = -3  # the move into the start entry: none
SQRT2 = np.sqrt(2.0)
BOUND_SLACK = 0.1  # microseconds: float noise forgiven before a bound is rounded up
#: The position of a 64-bit word's lowest set bit, by de Bruijn multiplication: the word's lowest bit times
#: DE_BRUIJN leaves a distinct pattern in the top six bits for each position.
DE_BRUIJN = np.uint64(0x03F79D71B4CB0A89)
BIT_POSITION = np.zeros(64, dtype=np.int64)
for _position in range(64):
    BIT_POSITION[((1 << _position) * int(DE_BRUIJN) & (2**64 - 1)) >> 58] = _position
PAGE_BITS = 6
PAGE = 1 << PAGE_BITS  # a row's entries are held in pages of this many consecutive units (a 64-bit word of bits)


@njit(cache=True, inline="always")
def _lines(bounds, open_metres, cell, intercepts, open_sources, active):
    """The bound's lines at a cell: for each price j, the least priced cost to a target still wanted (the
    largest of the precomputed cost to any target, the open targets' octile one and, for the listed
    prices, the cost to the nearest listed target still wanted); the bound with r units left is
    max_j (intercept_j - price_j * r)."""
    priced, prices, paces, list_costs, list_sources, listed = bounds[0], bounds[1], bounds[5], bounds[6], bounds[7], \
        bounds[8]
    for j in range(prices.shape[0]):
        intercepts[j] = max(priced[cell, j], open_metres * paces[j])
    if not active:
        return
    for i in range(listed.shape[0]):
        nearest = _nearest_open(list_costs, list_sources, i, cell, open_sources)
        intercepts[listed[i]] = max(intercepts[listed[i]], nearest)


@njit(cache=True, inline="always")
def _nearest_open(costs, found, i, cell, open_sources):
    """The cost from the cell to its nearest listed target still wanted in list i; the last listed cost
    when none listed is (every target not listed costs at least that); inf when the list ends first (the
    targets still wanted are all out of reach)."""
    depth = costs.shape[2]
    for k in range(depth):
        source = found[cell, i, k]
        if source < 0:
            return np.inf
        if open_sources[source]:
            return np.float64(costs[cell, i, k])
    return np.float64(costs[cell, i, depth - 1])


@njit(cache=True, inline="always")
def _shallow_lines(bounds, cell, intercepts, open_sources):
    """Raise the lines to the shallow routes' costs (see `search_bounds.shallow_sources`), for a search
    whose whole budget is below the shallow limit: at each of their prices, the cost to the nearest
    listed target still wanted (any other costs at least the last listed)."""
    columns, costs, found = bounds[17], bounds[18], bounds[19]
    for i in range(columns.shape[0]):
        intercepts[columns[i]] = max(intercepts[columns[i]], _nearest_open(costs, found, i, cell, open_sources))


@njit(cache=True, _nrt=False)
def _row_bound(bounds, params, cell, budget_units, cols, cell_size, opened, shallow, intercepts, costs):
    """What a row's bounds are made of, for the targets still open, into `params`: the lines' intercepts (see
    `_lines`), the chakra-free floor, the count and indices of the lines on the envelope (ascending price),
    and per residue price the least cost by residue (see `_residue_least`). Returns False where no target
    still wanted is reachable from the cell (every bound inf). `opened` = (open rows, open columns, their
    count, open target cells by number, whether any target is done with); `shallow`: whether the whole
    budget is below the shallow limit. `intercepts` and `costs` are scratch space, made once per search."""
    open_rows, open_cols, open_count, open_sources, active = opened
    open_metres = _open_metres(open_rows, open_cols, open_count, cols, cell_size, cell, active)
    _lines(bounds, open_metres, cell, intercepts, open_sources, active)
    if shallow and bounds[20][cell]:
        _shallow_lines(bounds, cell, intercepts, open_sources)
    prices = bounds[1]
    lines = prices.shape[0]
    for j in range(lines):
        if intercepts[j] == np.inf:  # no target still wanted is reachable from here
            return False
        params[j] = intercepts[j]
    params[lines] = max(0.0, np.ceil(bounds[2][cell] - BOUND_SLACK))  # the exact chakra-free time
    # the lines in u (slope price_j, ascending; value at u = 0: intercept_j - price_j * budget) on the envelope
    hull = params[lines + 2: 2 * lines + 2]
    count = 0
    for j in range(lines):
        while count >= 2:
            i, k = int(hull[count - 2]), int(hull[count - 1])
            # k is useless if j overtakes i no later than k does
            left = (intercepts[i] - intercepts[j] - (prices[i] - prices[j]) * budget_units) * (prices[k] - prices[i])
            right = (intercepts[i] - intercepts[k] - (prices[i] - prices[k]) * budget_units) * (prices[j] - prices[i])
            if left <= right:
                count -= 1
            else:
                break
        hull[count] = j
        count += 1
    params[lines + 1] = count
    params[-1] = open_metres if active else -1.0  # for `_still`
    return _residue_least(params[2 * lines + 2:], bounds, cell, open_sources, open_metres, costs)


@njit(cache=True, inline="always")
def _still(bounds, params, cell, cols, cell_size, closed, since, version, shallow):
    """Whether a row's bounds, made at version `since`, hold unchanged at `version`: the targets final in
    between (`closed`: for each version, the cell's row, column and target cell number, -1 where others
    there are still open) were neither the nearest open by octile distance nor in any of the cell's lists."""
    metres = params[-1]
    if metres < 0:  # made before any target was done with: the lines did not look at the lists
        return False
    row, col = cell // cols, cell % cols
    for v in range(since + 1, version + 1):
        down, across = abs(closed[v, 0] - row), abs(closed[v, 1] - col)
        if cell_size * (max(down, across) + (SQRT2 - 1.0) * min(down, across)) <= metres:
            return False
        source = closed[v, 2]
        if source >= 0:
            if _listed(bounds[7], cell, source):
                return False
            if shallow and bounds[20][cell] and _listed(bounds[19], cell, source):
                return False
    return True


@njit(cache=True, inline="always")
def _listed(found, cell, source):
    for i in range(found.shape[1]):
        for k in range(found.shape[2]):
            if found[cell, i, k] == source:
                return True
    return False


@njit(cache=True, inline="always")
def _fill(bound_pages, page, row_params, row, prices, budget_units, first_free, residue_prices, moduli, base, top):
    """bound_page[i] = the least microseconds still needed from the row's cell having spent base + i units
    (i up to `top`): the upper envelope of the lines intercept_j - price_j * (budget - u), with the exact
    chakra-free time where not even the cheapest chakra move is left (from `first_free` units on), raised
    by the residue bounds; rounded up to a whole microsecond (what is left is a whole number of them)
    and kept exact: where routes tie, their estimates tie exactly, and the search goes down one of them
    instead of through them all."""
    bound_page, params = bound_pages[page], row_params[row]
    lines = prices.shape[0]
    count = int(params[lines + 1])
    at, i = 0, 0
    while i <= top:
        left = budget_units - base - i
        while at + 1 < count and _line(params, prices, lines, at + 1, left) >= _line(params, prices, lines, at, left):
            at += 1
        # this line stays the envelope's until the next one overtakes it: find where, then fill in one go
        last = top
        if at + 1 < count:
            low, high = i, top  # the last offset at which line `at` is still the envelope
            while low < high:
                middle = (low + high + 1) // 2
                rest = budget_units - base - middle
                if _line(params, prices, lines, at + 1, rest) >= _line(params, prices, lines, at, rest):
                    high = middle - 1
                else:
                    low = middle
            last = low
        j = int(params[lines + 2 + at])
        intercept, price = params[j], prices[j]
        for k in range(i, last + 1):
            bound_page[k] = max(0.0, np.ceil(intercept - price * (budget_units - base - k) - BOUND_SLACK))
        i = last + 1
    if base + top >= first_free:
        floor = params[lines]
        for k in range(max(first_free - base, 0), top + 1):
            bound_page[k] = max(bound_page[k], floor)
    offset = 2 * lines + 2
    for r in range(residue_prices.shape[0]):
        modulus, price = moduli[r], residue_prices[r]
        for wanted in range(modulus):  # the units u whose (budget - u) mod k is `wanted`, in steps of k
            value = params[offset + wanted] - BOUND_SLACK - price * budget_units
            for k in range((budget_units - base - wanted) % modulus, top + 1, modulus):
                bound_page[k] = max(bound_page[k], np.ceil(value + price * (base + k)))
        offset += modulus


@njit(cache=True, inline="always")
def _line(params, prices, lines, at, left):
    """The value of the envelope's line number `at` with `left` units left."""
    j = int(params[lines + 2 + at])
    return params[j] - prices[j] * left


@njit(cache=True, inline="always")
def _residue_least(least, bounds, cell, open_sources, open_metres, costs):
    """The residue bounds (see `search_bounds.residue_priced`): for each of their prices, the least priced
    cost to an open target per residue rho of the units a route spends (the listed targets' and, for any
    other, the last listed cost); with r units left, at least
    min over rho of (cost(rho) + price * ((r - rho) mod k)) - price * r. Writes, per price in turn, that
    minimum for each value of r mod k into `least`; returns False where no open target is reachable.
    `costs` is scratch space of the residue table's width."""
    priced, list_costs, list_sources = bounds[0], bounds[6], bounds[7]
    residue_prices, moduli, paces, lists, columns, index, table = bounds[9], bounds[10], bounds[11], bounds[12], \
        bounds[13], bounds[14], bounds[15]
    offset = 0
    for k in range(residue_prices.shape[0]):
        modulus, price, at = moduli[k], residue_prices[k], lists[k]
        if at < 0:  # no lists: the nearest target of all
            base = priced[cell, columns[k]]
            for residue in range(modulus):
                costs[residue] = base + table[k, index[cell, k, 0], residue]
        else:
            depth = list_costs.shape[2]
            last = list_costs[cell, at, depth - 1] if list_sources[cell, at, depth - 1] >= 0 else np.inf
            costs[:modulus] = last  # any target not listed costs at least the last listed
            for slot in range(depth):
                source = list_sources[cell, at, slot]
                if source < 0:
                    break
                if open_sources[source]:
                    base = list_costs[cell, at, slot]
                    for residue in range(modulus):
                        costs[residue] = min(costs[residue], base + table[k, index[cell, k, slot], residue])
        floor = open_metres * paces[k]
        lowest = np.inf
        for wanted in range(modulus):  # the least cost ending with `wanted` left over, wasting what must go
            value = np.inf
            for residue in range(modulus):
                waste = wanted - residue if wanted >= residue else wanted - residue + modulus
                value = min(value, max(costs[residue], floor) + price * waste)
            least[offset + wanted] = value
            lowest = min(lowest, value)
        if lowest == np.inf:  # no open target is reachable from here
            return False
        offset += modulus
    return True


@njit(cache=True, inline="always")
def _open_metres(open_rows, open_cols, open_count, cols, cell_size, cell, active):
    if not active:
        return 0.0
    if open_count == 0:
        return np.inf
    row, col = cell // cols, cell % cols
    nearest = np.inf
    for i in range(open_count):
        down, across = abs(open_rows[i] - row), abs(open_cols[i] - col)
        nearest = min(nearest, max(down, across) + (SQRT2 - 1.0) * min(down, across))
    return cell_size * nearest


@njit(cache=True)
def _grow_rows(table, fill):
    grown = np.empty((2 * table.shape[0], table.shape[1]), dtype=table.dtype)
    grown[: table.shape[0]] = table
    grown[table.shape[0]:] = fill
    return grown


@njit(cache=True, inline="always")
def _current(bounds, row_arrays, bound_pages, row, cell, reach, budget_units, cols, cell_size, opened, closed,
             version, shallow, intercepts, residue_costs):
    """Bring a row's bounds up to `version` (the targets still open, `opened` as `_row_bound` takes it): kept
    when `_still` says they hold, else remade and every page the row holds filled again. A row not made yet
    (version -1) is made."""
    page_of, row_params, row_live, row_version = row_arrays
    if row_version[row] >= 0 and row_version[row] != version and _still(
            bounds, row_params[row], cell, cols, cell_size, closed, row_version[row], version, shallow):
        row_version[row] = version
    if row_version[row] != version:
        row_live[row] = _row_bound(bounds, row_params[row], cell, budget_units, cols, cell_size, opened, shallow,
                                   intercepts, residue_costs)
        _refill(page_of, bound_pages, row_params, row, reach, row_live[row], bounds[1], bounds[9], bounds[10],
                budget_units, budget_units - bounds[3] + 1)
        row_version[row] = version


@njit(cache=True, _nrt=False)
def _refill(page_of, bound_pages, row_params, row, reach, live, prices, residue_prices, moduli, budget_units,
            first_free):
    """Fill the bounds of every page the row holds (inf everywhere where it is not `live`)."""
    for block in range((reach >> PAGE_BITS) + 1):
        page = page_of[row, block]
        if page >= 0:
            top = min(PAGE - 1, reach - (block << PAGE_BITS))
            if live:
                _fill(bound_pages, page, row_params, row, prices, budget_units, first_free, residue_prices, moduli,
                      block << PAGE_BITS, top)
            else:
                bound_pages[page, : top + 1] = np.inf


@njit(cache=True, _nrt=False)
def _expand(grid, bounds, targets, budget_units, limit, cell_slot, max_entries, slack, work, row_arrays, page_arrays,
            heap, answer, scratch, state, fstate):
    """The search's main loop (see `dense_search`), run until the search is done (returns False) or until an
    expansion might need more room than the arrays hold (returns True: the caller grows them and calls again).
    It allocates nothing, so it is compiled without reference counts (an atomic add or subtract each time an
    array is handed on: they took a third of a search's time). `state` = the heap's size, rows used, pages used,
    targets found, version, open targets' count, active, complete; `fstate` = soonest, ceiling."""
    seconds, chakra, passable, rows, cols, cell_size, units_per_chakra = grid
    prices, least_units, residue_prices, moduli = bounds[1], bounds[4], bounds[9], bounds[10]
    target_head, target_next, wanted, target_cells, target_source, _ = targets
    page_of, row_params, row_live, row_version, row_cell, queued = row_arrays
    times, moves, dirty, bound_pages, held = page_arrays
    keys, ties, items = heap
    best_time, best_units, final, order, open_sources, open_rows, open_cols, closed = answer
    intercepts, residue_costs, batch_units, batch_times, span_block, span_low, span_high, ranked = scratch
    size, used_rows, used_pages, found, version, open_count = state[0], state[1], state[2], state[3], state[4], state[5]
    active, complete = state[6] != 0, state[7] != 0
    soonest, ceiling = fstate[0], fstate[1]
    n_targets = wanted.shape[0]
    blocks = page_of.shape[1]
    shallow = budget_units < bounds[16]  # every state has fewer units left than the shallow limit
    first_free = budget_units - bounds[3] + 1  # from here on, not even the cheapest chakra move is left
    more = False
    while size > 0 and found < limit:
        if size + 9 > keys.shape[0] or used_rows + 8 > page_of.shape[0] or used_pages + 8 * blocks > times.shape[0]:
            more = True  # an expansion pushes at most 9 cells and makes at most 8 rows of `blocks` pages each
            break
        key, row, size = pair_pop(keys, ties, items, size)
        if key != queued[row]:
            continue  # a stale entry: the row was queued again with another estimate
        queued[row] = np.inf
        # every target whose best time is no later than every estimate still queued is final
        while soonest <= key and found < limit:
            pick = -1
            for target in range(n_targets):
                if wanted[target] and not final[target] and best_time[target] == soonest:
                    pick = target
                    break
            final[pick], order[found], found = True, pick, found + 1
            open_count = _close(open_rows, open_cols, open_count, target_cells[pick] // cols, target_cells[pick] % cols)
            _settle_source(target_head, target_next, wanted, final, target_source, open_sources, target_cells[pick])
            active, version = True, version + 1
            source = target_source[pick]
            closed[version, 0], closed[version, 1] = target_cells[pick] // cols, target_cells[pick] % cols
            closed[version, 2] = source if source >= 0 and not open_sources[source] else -1
            soonest = np.inf
            for target in range(n_targets):
                if wanted[target] and not final[target]:
                    soonest = min(soonest, best_time[target])
        if found >= limit:
            break
        cell = row_cell[row]
        reach = budget_units - least_units[cell]
        _current(bounds, (page_of, row_params, row_live, row_version), bound_pages, row, cell, reach, budget_units,
                 cols, cell_size, (open_rows, open_cols, open_count, open_sources, active), closed, version, shallow,
                 intercepts, residue_costs)
        # the changed, undominated entries within `slack` of the least estimate go out; the rest wait (only the
        # entries holding a time are visited, in order of units, by their pages' bits)
        count, fastest, waiting, waiting_time, spans = 0, np.inf, np.inf, 0.0, 0
        for block in range((reach >> PAGE_BITS) + 1):
            page = page_of[row, block]
            if page < 0:
                continue
            bits = held[page]
            while bits != 0:
                bits, at = _next_bit(bits)
                now = times[page, at]
                if not dirty[page, at]:
                    fastest = min(fastest, now)
                    continue
                if now >= fastest:
                    dirty[page, at] = False  # dominated: an entry with less chakra was as fast
                    continue
                fastest = now
                estimate = now + bound_pages[page, at]
                if estimate > ceiling:
                    dirty[page, at] = False
                elif estimate <= key + slack:
                    dirty[page, at] = False
                    units = (block << PAGE_BITS) + at
                    batch_units[count], batch_times[count] = units, now
                    count += 1
                    if spans == 0 or span_block[spans - 1] != block:
                        span_block[spans], span_low[spans], spans = block, units, spans + 1
                    span_high[spans - 1] = units
                elif estimate < np.inf:
                    if estimate < waiting:
                        waiting, waiting_time = estimate, now
                else:
                    dirty[page, at] = False
        if waiting < np.inf:
            queued[row] = waiting
            size = pair_push(keys, ties, items, size, waiting, -waiting_time, row)
        if count == 0:
            continue
        work[1] += 1
        work[2] += count
        for direction in range(8):
            other = neighbour(passable, rows, cols, cell, direction)
            if other < 0 or least_units[other] > budget_units:
                continue
            length = step_length(cell_size, direction)
            walk_s, walk_u, run_s, run_u = mode_steps(seconds, chakra, cell, other, length, units_per_chakra)
            if walk_s == np.inf and run_s == np.inf:
                continue
            slot = cell_slot[other]
            if slot < 0:
                if used_pages * PAGE + (used_rows + 1) * blocks > max_entries:
                    complete = False
                    size = 0
                    break
                slot, used_rows = used_rows, used_rows + 1
                cell_slot[other], row_cell[slot] = slot, other
            reach_other = budget_units - least_units[other]
            _current(bounds, (page_of, row_params, row_live, row_version), bound_pages, slot, other, reach_other,
                     budget_units, cols, cell_size, (open_rows, open_cols, open_count, open_sources, active), closed,
                     version, shallow, intercepts, residue_costs)
            # the pages the moves land in (from each page going out, the span of its entries), made first
            for mode in range(2):
                step_s, step_u = (walk_s, walk_u) if mode == 0 else (run_s, run_u)
                for i in range(spans if step_s < np.inf else 0):
                    first, last = span_low[i] + step_u, min(span_high[i] + step_u, reach_other)
                    if first > reach_other:
                        break
                    for block in range(first >> PAGE_BITS, (last >> PAGE_BITS) + 1):
                        if page_of[slot, block] >= 0:
                            continue
                        if (used_pages + 1) * PAGE + used_rows * blocks > max_entries:
                            complete = False
                            break
                        page_of[slot, block], used_pages = used_pages, used_pages + 1
                        _new_page(times, dirty, held, bound_pages, used_pages - 1, row_params, slot, row_live[slot],
                                  prices, residue_prices, moduli, budget_units, first_free, block, reach_other)
            if not complete:
                size = 0
                break
            least, least_time = np.inf, 0.0
            for mode in range(2):
                step_s, step_u = (walk_s, walk_u) if mode == 0 else (run_s, run_u)
                if step_s == np.inf:
                    continue
                top = reach_other - step_u
                improved, estimate, now = _relax(batch_units, batch_times, count, top, step_s, step_u,
                                                 np.int8(2 * direction + mode), page_of[slot], times, moves, dirty,
                                                 bound_pages, held, ceiling)
                if estimate < least or (estimate == least and now > least_time):
                    least, least_time = estimate, now
                work[3] += improved
                if improved and target_head[other] >= 0:
                    soonest = _reach_row(target_head, target_next, wanted, other, page_of[slot], times, held,
                                         reach_other, best_time, best_units, soonest)
                    ceiling = _ceiling(best_time, wanted, limit, ranked)
            if least < queued[slot]:
                queued[slot] = least
                size = pair_push(keys, ties, items, size, least, -least_time, slot)
    state[0], state[1], state[2], state[3], state[4], state[5] = size, used_rows, used_pages, found, version, open_count
    state[6], state[7] = active, complete
    fstate[0], fstate[1] = soonest, ceiling
    return more


@njit(cache=True)
def dense_search(grid, bounds, targets, start, budget_units, limit, cell_slot, max_entries, slack, work, scratch):
    """The `limit` fastest wanted targets from `start` within `budget_units`, in order of arrival.

    grid = (seconds, chakra, passable, rows, cols, cell_size, units_per_chakra); bounds as
    `Searcher._bounds` builds them; targets = (head, next, wanted, cells, source, sources): the first
    target in each cell, the next target in the same cell, which targets count, each one's cell and
    index among the distinct target cells, and how many those are. `cell_slot` is scratch space, -1
    per cell on entry and on return. The search gives up once it would hold more than `max_entries`
    entries (each row's page slots counted as one entry each; the targets final by then are still
    exact). Returns the targets in order, their microseconds and units, the cells and modes of their
    paths (concatenated; path i's cells are offsets[i]:offsets[i+1], its modes offsets[i]-i:offsets[i+1]-i-1),
    and whether it was complete. `work` receives the effort: rows made, cells expanded, entries expanded,
    entries improved, pages made. `scratch` = (times, moves, dirty, bounds, held): the pages' arrays, of any
    length, as `new_pages` makes them; the search grows them as it needs, and returns last the arrays it
    ended with, for the next search."""
    seconds, chakra, passable, rows, cols, cell_size, units_per_chakra = grid
    prices, least_units = bounds[1], bounds[4]
    target_head, target_next, wanted, target_cells, target_source, n_sources = targets
    open_sources = np.zeros(n_sources, dtype=np.bool_)
    for target in range(wanted.shape[0]):
        if wanted[target] and target_source[target] >= 0:
            open_sources[target_source[target]] = True
    width = budget_units + 1
    n_targets = wanted.shape[0]
    open_rows, open_cols = np.empty(n_targets, dtype=np.int64), np.empty(n_targets, dtype=np.int64)
    open_count = 0
    for target in range(n_targets):
        if wanted[target] and passable[target_cells[target]]:
            open_rows[open_count], open_cols[open_count] = target_cells[target] // cols, target_cells[target] % cols
            open_count += 1
    active = open_count < n_targets  # the open targets' octile bound helps once some target is not wanted
    best_time = np.full(n_targets, np.inf)
    best_units = np.full(n_targets, -1, dtype=np.int64)
    final = np.zeros(n_targets, dtype=np.bool_)
    order = np.empty(n_targets, dtype=np.int64)
    found = 0
    soonest = np.inf  # the least best time among the wanted targets not yet final
    ceiling = np.inf  # the limit-th best time so far: an entry whose estimate is later cannot matter
    # rows: per cell touched, its pages (-1: none yet), what its bounds are made of, and its queue estimate
    blocks = (width + PAGE - 1) >> PAGE_BITS
    capacity = 256
    page_of = np.full((capacity, blocks), -1, dtype=np.int32)
    n_params = 2 * prices.shape[0] + 3 + np.sum(bounds[10])
    row_params = np.empty((capacity, n_params))
    row_live = np.zeros(capacity, dtype=np.bool_)
    row_version = np.full(capacity, -1, dtype=np.int64)
    closed = np.full((n_targets + 1, 3), -1, dtype=np.int64)  # per version: the cell and target cell done with
    row_cell = np.empty(capacity, dtype=np.int64)
    queued = np.full(capacity, np.inf)
    used_rows = 0
    # pages: PAGE consecutive units of a row, made when a time first lands in them
    times, moves, dirty, bound_pages, held = scratch  # held: which entries of a page hold a time, a bit each
    used_pages = 0
    version = 0  # goes up each time a target is final: the bounds aim at the targets still open
    keys, ties, items = np.empty(1 << 8), np.empty(1 << 8), np.empty(1 << 8, dtype=np.int64)  # grown as needed
    size = 0
    intercepts = np.empty(prices.shape[0])
    shallow = budget_units < bounds[16]  # every state has fewer units left than the shallow limit
    residue_costs = np.empty(bounds[15].shape[2])
    batch_units = np.empty(width, dtype=np.int64)  # the entries going out of the cell being expanded, by units
    batch_times = np.empty(width)
    span_block, span_low, span_high = np.empty(blocks, np.int64), np.empty(blocks, np.int64), np.empty(blocks, np.int64)
    complete = True
    if passable[start] and least_units[start] <= budget_units and limit > 0:
        cell_slot[start] = 0
        row_cell[0], used_rows, used_pages = start, 1, 1
        page_of[0, 0] = 0
        times[0, :], dirty[0, :], held[0] = np.inf, False, np.uint64(1)
        times[0, 0], moves[0, 0], dirty[0, 0] = 0.0, START, True
        _current(bounds, (page_of, row_params, row_live, row_version), bound_pages, 0, start,
                 budget_units - least_units[start], budget_units, cols, cell_size,
                 (open_rows, open_cols, open_count, open_sources, active), closed, version, shallow, intercepts,
                 residue_costs)
        queued[0] = np.float64(bound_pages[0, 0])
        if queued[0] < np.inf:
            size = pair_push(keys, ties, items, 0, queued[0], 0.0, 0)
        soonest = _reach(target_head, target_next, wanted, start, 0.0, 0, best_time, best_units, soonest)
    state = np.array([size, used_rows, used_pages, found, version, open_count, active, complete], dtype=np.int64)
    fstate = np.array([soonest, ceiling])
    answer = (best_time, best_units, final, order, open_sources, open_rows, open_cols, closed)
    spare = (intercepts, residue_costs, batch_units, batch_times, span_block, span_low, span_high, np.empty(n_targets))
    while _expand(grid, bounds, targets, budget_units, limit, cell_slot, max_entries, slack, work,
                  (page_of, row_params, row_live, row_version, row_cell, queued),
                  (times, moves, dirty, bound_pages, held), (keys, ties, items), answer, spare, state, fstate):
        size, used_rows, used_pages = state[0], state[1], state[2]
        if size + 9 > keys.shape[0]:
            keys, ties, items = grow(keys), grow(ties), grow(items)
        if used_rows + 8 > page_of.shape[0]:
            page_of, row_params = _grow_rows(page_of, -1), _grow_rows(row_params, 0.0)
            row_live, row_cell, queued, row_version = grow(row_live), grow(row_cell), grow(queued), grow(row_version)
            queued[used_rows:] = np.inf
            row_version[used_rows:] = -1
        while used_pages + 8 * blocks > times.shape[0]:
            times, moves, dirty = _grow_rows(times, 0.0), _grow_rows(moves, 0), _grow_rows(dirty, False)
            bound_pages, held = _grow_rows(bound_pages, 0.0), grow(held)
    size, used_rows, used_pages, found, complete = state[0], state[1], state[2], state[3], state[7] != 0
    if size == 0 and complete:  # nothing left to expand: every target reached is final
        for _ in range(n_targets):
            pick, soonest = -1, np.inf
            for target in range(n_targets):
                if wanted[target] and not final[target] and best_time[target] < soonest:
                    pick, soonest = target, best_time[target]
            if pick < 0 or found >= limit:
                break
            final[pick], order[found], found = True, pick, found + 1
    order = order[:found]
    offsets = np.zeros(found + 1, dtype=np.int64)
    path_cells = np.empty(0, dtype=np.int64)
    path_modes = np.empty(0, dtype=np.int8)
    result_seconds = np.empty(found)
    result_units = np.empty(found, dtype=np.int64)
    for i in range(found):
        target = order[i]
        cells, modes = _trace(page_of, moves, cell_slot, seconds, chakra, cols, cell_size, units_per_chakra,
                              target_cells[target], best_units[target])
        path_cells = np.concatenate((path_cells, cells))
        path_modes = np.concatenate((path_modes, modes))
        offsets[i + 1] = path_cells.shape[0]
        result_seconds[i], result_units[i] = best_time[target], best_units[target]
    for slot in range(used_rows):
        cell_slot[row_cell[slot]] = -1
    work[0] += used_rows
    work[4] += used_pages
    return order, result_seconds, result_units, path_cells, path_modes, offsets, complete, \
        (times, moves, dirty, bound_pages, held)


@njit(cache=True, _nrt=False)
def _relax(batch_units, batch_times, count, top, step_s, step_u, code, pages, times, moves, dirty, bound_pages, held,
           ceiling):
    """Push the entries going out (the first `count` of `batch_units` and `batch_times`, by units) along one move
    of `step_s` microseconds and `step_u` units into the neighbour's row (`pages`: its page per block; the pages
    the entries land in are made before), as far as `top` units. Returns how many entries improved, and the
    least estimate (time plus bound) among those still kept (at most `ceiling`) with, among equal ones, the
    latest time. A function of its own: compiled apart, its arrays stay in registers."""
    improved, least, least_time = 0, np.inf, 0.0
    for i in range(count):
        units = batch_units[i]
        if units > top:
            break
        now = batch_times[i] + step_s
        there = units + step_u
        page, at = pages[there >> PAGE_BITS], there & (PAGE - 1)
        before = times[page, at]
        if now < before:
            if before == np.inf:
                held[page] |= np.uint64(1) << np.uint64(at)
            improved += 1
            estimate = now + bound_pages[page, at]
            keep = estimate <= ceiling  # kept for dominance; queued only while it can still matter
            times[page, at], moves[page, at], dirty[page, at] = now, code, keep
            if keep and (estimate < least or (estimate == least and now > least_time)):
                least, least_time = estimate, now
    return improved, least, least_time


def new_pages(pages: int = 256) -> tuple:
    """Arrays for a search's pages (see `dense_search`): times, moves, dirty flags, bounds, and which
    entries hold a time (a bit each)."""
    return (np.empty((pages, PAGE)), np.empty((pages, PAGE), dtype=np.int8), np.empty((pages, PAGE), dtype=np.bool_),
            np.empty((pages, PAGE)), np.empty(pages, dtype=np.uint64))


@njit(cache=True, inline="always")
def _new_page(times, dirty, held, bound_pages, page, row_params, row, live, prices, residue_prices, moduli,
              budget_units, first_free, block, reach):
    """A row's page for the units from block * PAGE on: no times yet, and the row's bounds."""
    times[page, :], dirty[page, :], held[page] = np.inf, False, np.uint64(0)
    if live:
        _fill(bound_pages, page, row_params, row, prices, budget_units, first_free, residue_prices, moduli,
              block << PAGE_BITS, min(PAGE - 1, reach - (block << PAGE_BITS)))
    else:
        bound_pages[page, :] = np.inf


@njit(cache=True, inline="always")
def _next_bit(bits):
    """The bits without their lowest set one, and its position."""
    lowest = bits & (~bits + np.uint64(1))
    return bits ^ lowest, BIT_POSITION[(lowest * DE_BRUIJN) >> np.uint64(58)]


@njit(cache=True, _nrt=False)
def _reach_row(target_head, target_next, wanted, cell, pages, times, held, reach, best_time, best_units, soonest):
    """Record the arrivals held in a target cell's row (`pages`: its page per block of units)."""
    for block in range((reach >> PAGE_BITS) + 1):
        page = pages[block]
        if page < 0:
            continue
        bits = held[page]
        while bits != 0:
            bits, at = _next_bit(bits)
            soonest = _reach(target_head, target_next, wanted, cell, times[page, at], (block << PAGE_BITS) + at,
                             best_time, best_units, soonest)
    return soonest


@njit(cache=True, _nrt=False)
def _settle_source(target_head, target_next, wanted, final, target_source, open_sources, cell):
    """A target at the cell is final: the cell stays open only while another wanted target there is not."""
    target = target_head[cell]
    while target >= 0:
        if wanted[target] and not final[target]:
            return
        target = target_next[target]
    if target_source[target_head[cell]] >= 0:
        open_sources[target_source[target_head[cell]]] = False


@njit(cache=True, _nrt=False)
def _ceiling(best_time, wanted, limit, least):
    """The limit-th least best time among the wanted targets (inf while fewer are reached). `least` is scratch
    space for as many times as there are targets: it holds the least ones so far, in order."""
    held = 0
    for target in range(wanted.shape[0]):
        if not wanted[target]:
            continue
        now = best_time[target]
        if held < limit:
            held += 1
        elif now >= least[held - 1]:
            continue
        at = held - 1
        while at > 0 and least[at - 1] > now:
            least[at] = least[at - 1]
            at -= 1
        least[at] = now
    return least[limit - 1] if held == limit else np.inf


@njit(cache=True, _nrt=False)
def _reach(target_head, target_next, wanted, cell, now, units, best_time, best_units, soonest):
    """Record an arrival at a target cell; returns the least best time among the targets not yet final."""
    target = target_head[cell]
    while target >= 0:
        if wanted[target] and now < best_time[target]:
            best_time[target], best_units[target] = now, units
            soonest = min(soonest, now)
        target = target_next[target]
    return soonest


@njit(cache=True, inline="always")
def _move(page_of, moves, cell_slot, cell, units):
    return moves[page_of[cell_slot[cell], units >> PAGE_BITS], units & (PAGE - 1)]


@njit(cache=True)
def _trace(page_of, moves, cell_slot, seconds, chakra, cols, cell_size, units_per_chakra, cell, units):
    """The cells from the start to (cell, units) and the mode of each move, following the moves back."""
    steps, at, used = 0, cell, units
    while _move(page_of, moves, cell_slot, at, used) != START:
        code = _move(page_of, moves, cell_slot, at, used)
        direction, mode = code // 2, code % 2
        before = (at // cols - ROW_STEP[direction]) * cols + (at % cols - COL_STEP[direction])
        used -= move_units(chakra, before, at, mode, step_length(cell_size, direction), units_per_chakra)
        at, steps = before, steps + 1
    cells, modes = np.empty(steps + 1, dtype=np.int64), np.empty(steps, dtype=np.int8)
    at, used = cell, units
    for i in range(steps, 0, -1):
        code = _move(page_of, moves, cell_slot, at, used)
        direction, mode = code // 2, code % 2
        before = (at // cols - ROW_STEP[direction]) * cols + (at % cols - COL_STEP[direction])
        cells[i], modes[i - 1] = at, mode
        used -= move_units(chakra, before, at, mode, step_length(cell_size, direction), units_per_chakra)
        at = before
    cells[0] = at
    return cells, modes


@njit(cache=True, _nrt=False)
def _close(open_rows, open_cols, open_count, row, col):
    """Drop the targets at (row, col) from the open list; returns the new count."""
    kept = 0
    for i in range(open_count):
        if open_rows[i] != row or open_cols[i] != col:
            open_rows[kept], open_cols[kept] = open_rows[i], open_cols[i]
            kept += 1
    return kept


@njit(cache=True)
def path_units(chakra, cells, modes, cols, cell_size, units_per_chakra):
    """The chakra units a path spends, each move's as the model counts it."""
    total = 0
    for i in range(modes.shape[0]):
        a, b = cells[i], cells[i + 1]
        diagonal = (a // cols != b // cols) and (a % cols != b % cols)
        length = cell_size * (SQRT2 if diagonal else 1.0)
        total += move_units(chakra, a, b, modes[i], length, units_per_chakra)
    return total
