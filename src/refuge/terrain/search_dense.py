"""The route search over (cell, chakra units used) with one row of times per cell, compiled.

Where the budget binds, a cell holds a time for nearly every amount of chakra used (a route can run
any share of the way), and handling each (cell, units) as a label of its own is slow. Here each cell
the search touches gets a row: the fastest way found so far to stand in the cell having spent exactly
u units, for each u, with the move that got there (direction × 2 + mode) and the lower bound on the
time still needed with the chakra left (see `_row_bound` and `_fill`), kept until a target is final. A row
is held in pages of PAGE consecutive units, each made when a time first lands in it, with a bit per
entry saying which hold a time, a bit per entry saying which changed since the row was last expanded,
and the page's least time (so that expanding a row passes over its unchanged pages at a glance): where
only water costs chakra (the injured), a cell's times are a few amounts far apart, and its row is a page
or two however large the budget; the pages are kept from one search to the next (fresh memory costs more
than the search's own work). A cell is queued with the least estimate (time plus bound) among its entries
that changed since it was last expanded; expanding it pushes those entries along its eight moves,
walking and running, a row at a time. An entry is pushed only when no entry of the same row spent less
and was as fast (Pareto dominance, exact), only where the chakra left still reaches some target, and
only while its estimate is no later than the time of the last target asked for already reached. Among
equal estimates, the cell whose entry has come further goes first.

Entries may be pushed out of strict estimate order (all those of a cell within `slack` of the
least; but where TIES or more of them tie exactly with the least, those alone), so a cell can be
expanded more than once; the answer stays exact because a target's time is declared final only once
every entry still queued has an estimate at least as large: no route not yet expanded can reach it
faster. Targets are final in order of their times.

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
#: A row bounds up to GROUPS - 1 of its open target cells apart and the rest together (see `_target_lines`); at
#: least 2. Three: on the Land of Fire, five shelters running, 200 queries a band, against the search before
#: (same runs): with 20-60 chakra p95 0.81x (0.83x with four), with 0-5 1.11x (1.21x with four).
GROUPS = 3
#: Where this many or more of a row's changed entries tie exactly with the least estimate, they alone go out
#: and the rest of the slack waits: where every split of the chakra between running early and late arrives at
#: the same time, the ties carry the search on and the entries a little later are seldom needed. Two: on the
#: Land of Fire, five shelters, 200 queries a band side by side with the search before (same answers): running
#: with 20-60 chakra half the entries expanded, median 0.86x, mean 22.1 -> 19.2 ms; with 5-20 a third fewer,
#: median 0.92x (the rows expanded 1.25x as often); the server's 300 starts with 0-60 median 0.88x, p95 47.0
#: -> 42.2 ms. With one (every tie) rows were expanded 4.5x as often (the slowest 138 -> 258 ms); four and
#: eight gained less with 5-20.
TIES = 2


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
def _row_bound(bounds, params, cell, budget_units, cols, cell_size, opened, shallow, room):
    """What a row's bounds are made of, for the targets still open, into `params`: the chakra-free floor, the
    number of groups of lines, the octile distance to the nearest open target (for `_still`), per residue
    price the least cost by residue (see `_residue_least`), then up to GROUPS groups of lines (see
    `_target_lines`; one group, `_lines`, where one target is the nearest at every price, where no chakra
    move is affordable or where there are no per-target costs): each group's intercepts, the count and
    indices of its lines on the envelope (ascending price), the least units its targets need and the target
    it stands for. Returns False where no target still wanted is reachable from the cell (every bound inf).
    `opened` = (open rows, open columns, their count, open target cells by number, whether any target is done
    with, each target cell's row and column); `shallow`: whether the whole budget is below the shallow limit.
    `room` is scratch space, made once per search."""
    open_rows, open_cols, open_count, open_sources, active, source_cells = opened
    intercepts, costs = room[0], room[1]
    open_metres = _open_metres(open_rows, open_cols, open_count, cols, cell_size, cell, active)
    prices = bounds[1]
    lines = prices.shape[0]
    width, first = 2 * lines + 3, _first_group(bounds[10])
    if bounds[21].shape[1] == 0 or budget_units < bounds[3] or _one_nearest(bounds, cell, open_sources,
                                                                             shallow and bounds[20][cell]):
        # one group, the nearest open target at each price: without per-target costs; where no chakra move is
        # affordable (every route walks: the same work either way, measured, for less); or where the same
        # target is the nearest at every listed price (its lines are then no higher than any other's)
        _lines(bounds, open_metres, cell, intercepts, open_sources, active)
        if shallow and bounds[20][cell]:
            _shallow_lines(bounds, cell, intercepts, open_sources)
        for j in range(lines):
            if intercepts[j] == np.inf:  # no target still wanted is reachable from here
                return False
            params[first + j] = intercepts[j]
        params[first + 2 * lines + 1], params[first + 2 * lines + 2] = 0.0, -1.0
        groups = 1
    else:
        groups = _target_lines(bounds, params[first:], cell, budget_units, cols, cell_size, open_sources, shallow,
                               source_cells, open_metres, room)
        if groups == 0:
            return False
    for g in range(groups):
        _hull(params, first + g * width, prices, budget_units)
    params[0] = max(0.0, np.ceil(bounds[2][cell] - BOUND_SLACK))  # the exact chakra-free time
    params[1] = groups
    params[2] = open_metres if active else -1.0  # for `_still`
    return _residue_least(params[3:], bounds, cell, open_sources, open_metres, costs)


@njit(cache=True, inline="always")
def _first_group(moduli):
    """Where a row's groups of lines begin: after the floor, the count of groups, the octile distance to the
    nearest open target (for `_still`) and the residue bounds, read for every page of the row."""
    first = 3
    for modulus in moduli:
        first += modulus
    return first


@njit(cache=True, inline="always")
def _one_nearest(bounds, cell, open_sources, wade):
    """Whether the same open target cell is the first open one listed in every list of the cell."""
    who = _first_open(bounds[7], cell, open_sources, -1)
    if wade and who >= 0:
        who = _first_open(bounds[19], cell, open_sources, who)
    return who >= 0


@njit(cache=True, inline="always")
def _first_open(found, cell, open_sources, who):
    """The open target cell listed first in every list of `found` at the cell when it is the same in all (and is
    `who`, unless that is -1); else -1."""
    for i in range(found.shape[1]):
        first = -1
        for k in range(found.shape[2]):
            source = found[cell, i, k]
            if source < 0:
                break
            if open_sources[source]:
                first = source
                break
        if first < 0 or (who >= 0 and first != who):
            return -1
        who = first
    return who


@njit(cache=True, inline="always")
def _hull(params, offset, prices, budget_units):
    """The lines of the group at `offset` on its upper envelope, in u (slope price_j, ascending; value at u = 0:
    intercept_j - price_j * budget): their count and indices, after the intercepts."""
    lines = prices.shape[0]
    count = 0
    for j in range(lines):
        while count >= 2:
            i, k = int(params[offset + lines + count - 1]), int(params[offset + lines + count])
            # k is useless if j overtakes i no later than k does
            a, b, c = params[offset + i], params[offset + j], params[offset + k]
            left = (a - b - (prices[i] - prices[j]) * budget_units) * (prices[k] - prices[i])
            right = (a - c - (prices[i] - prices[k]) * budget_units) * (prices[j] - prices[i])
            if left <= right:
                count -= 1
            else:
                break
        params[offset + lines + 1 + count] = j
        count += 1
    params[offset + lines] = count


@njit(cache=True, inline="always")
def _target_lines(bounds, params, cell, budget_units, cols, cell_size, open_sources, shallow, source_at, open_metres,
                  room):
    """The lines of open target cells apart (the bound is the least over targets of each one's upper envelope:
    tighter than the envelope of the least lines where one target is the fastest with chakra to burn and
    another with little): at price 0 its own least time (`bounds[21]`), at a listed price its listed cost
    (or the list's last), at every price at least the nearest target's cost and its octile distance at the
    price's pace; and the least units it needs from here (`bounds[22]`: with fewer left, it bounds nothing).
    Each open target cell in one of the cell's lists has lines of its own; those in none share one set (the
    lists' last costs, the nearest open target by octile distance). The GROUPS - 1 with the least bound at the
    whole budget get a group each, the rest share one (the least of their lines). Returns the number of groups
    (0: no open target is reachable)."""
    list_costs, list_sources, listed = bounds[6], bounds[7], bounds[8]
    columns, wade_costs, wade_found = bounds[17], bounds[18], bounds[19]
    prices = bounds[1]
    table, least, score, sources, position, chosen, slot, metres = room[2], room[3], room[4], room[5], room[6], \
        room[7], room[8], room[9]
    lines, n_lists = prices.shape[0], listed.shape[0]
    wade = shallow and bounds[20][cell]
    last = room[10]  # each list's last cost: what a target cell not in it costs at least (inf: none is)
    for i in range(n_lists):
        last[i] = _last(list_costs[cell, i], list_sources[cell, i])
    for i in range(columns.shape[0] if wade else 0):
        last[n_lists + i] = _last(wade_costs[cell, i], wade_found[cell, i])
    # the listed target cells, each with the last cost of every list to begin with, then its own where listed
    n = _take_listed(bounds, cell, budget_units, cols, cell_size, open_sources, source_at, list_sources, room, 0)
    if wade:
        n = _take_listed(bounds, cell, budget_units, cols, cell_size, open_sources, source_at, wade_found, room, n)
    _own_costs(slot, list_costs, list_sources, cell, position, 0)
    if wade:
        _own_costs(slot, wade_costs, wade_found, cell, position, n_lists)
    for m in range(n):
        _source_line(bounds, cell, table[m], metres[m], slot[m], wade)
    # the open target cells in no list (if any) share lines: the lists' last costs, the nearest open target by
    # octile distance
    listed_open = _clear_marks(list_sources, cell, position)
    if wade:
        listed_open += _clear_marks(wade_found, cell, position)
    open_total = 0
    for source in range(open_sources.shape[0]):
        open_total += open_sources[source]
    if open_total > listed_open:
        for i in range(last.shape[0]):
            slot[n, i] = last[i]
        table[n, 0] = -np.inf
        _source_line(bounds, cell, table[n], open_metres, slot[n], wade)
        least[n], sources[n] = 0, -1
        n += 1
    # each one's bound at the whole budget
    kept = 0
    for m in range(n):
        value = -np.inf
        for j in range(lines):
            value = max(value, table[m, j] - prices[j] * budget_units)
        score[m] = value
        if value == np.inf or (kept == GROUPS - 1 and value >= score[chosen[kept - 1]]):
            continue
        at = kept if kept < GROUPS - 1 else kept - 1
        while at > 0 and score[chosen[at - 1]] > value:
            chosen[at] = chosen[at - 1]
            at -= 1
        chosen[at] = m
        kept = min(kept + 1, GROUPS - 1)
    width = 2 * lines + 3
    for g in range(kept):
        _put_group(params, g * width, table[chosen[g]], least[chosen[g]], sources[chosen[g]])
    groups, offset, first = kept, kept * width, True
    for m in range(n):  # the rest share the last group: the least of their lines and of the units they need
        if score[m] == np.inf:
            continue
        alone = False
        for g in range(kept):
            alone = alone or chosen[g] == m
        if alone:
            continue
        if first:
            _put_group(params, offset, table[m], least[m], sources[m])
            groups, first = groups + 1, False
        else:
            if table[m, 0] < params[offset]:  # the group stands for the nearest of them with chakra free
                params[offset + 2 * lines + 2] = sources[m]
            for j in range(lines):
                params[offset + j] = min(params[offset + j], table[m, j])
            params[offset + 2 * lines + 1] = min(params[offset + 2 * lines + 1], least[m])
    return groups


@njit(cache=True, inline="always")
def _put_group(params, offset, line, least, source):
    """A group of lines at `offset`: its intercepts, the least units its targets need and the target it stands for."""
    lines = line.shape[0]
    for j in range(lines):
        params[offset + j] = line[j]
    params[offset + 2 * lines + 1], params[offset + 2 * lines + 2] = least, source


@njit(cache=True, inline="always")
def _clear_marks(found, cell, position):
    """Clear the marks `_take_listed` left on the target cells in the cell's lists; returns how many it cleared."""
    cleared = 0
    for i in range(found.shape[1]):
        for k in range(found.shape[2]):
            source = found[cell, i, k]
            if source < 0:
                break
            if position[source] != -1:
                cleared += 1
                position[source] = -1
    return cleared


@njit(cache=True, inline="always")
def _take_listed(bounds, cell, budget_units, cols, cell_size, open_sources, source_at, found, room, n):
    """Give each open target cell in the cell's lists (`found`: one kind of list) not taken yet a place of its
    own in the table from `n` on, with the last cost of every list to begin with (those the budget cannot reach
    from here are marked -2 until the lists are done); returns the places taken."""
    table, least, sources, position, slot, metres, last = room[2], room[3], room[5], room[6], room[8], room[9], \
        room[10]
    units = bounds[22]
    for i in range(found.shape[1]):
        for k in range(found.shape[2]):
            source = found[cell, i, k]
            if source < 0:
                break
            if not open_sources[source] or position[source] != -1:
                continue
            need = np.int64(units[cell, source]) if units.shape[1] else np.int64(0)
            if need > budget_units:
                position[source] = -2
                continue
            position[source], least[n], sources[n] = n, need, source
            metres[n] = _octile(source_at[source, 0], source_at[source, 1], cell // cols, cell % cols, cell_size)
            table[n, 0] = bounds[0][cell, 0] + bounds[21][cell, source]
            for j in range(last.shape[0]):
                slot[n, j] = last[j]
            n += 1
    return n


@njit(cache=True, inline="always")
def _own_costs(slot, costs, found, cell, position, column):
    """Each taken target cell's own cost in the lists of one kind where it is listed (its slots from `column`)."""
    for i in range(found.shape[1]):
        for k in range(found.shape[2]):
            source = found[cell, i, k]
            if source < 0:
                break
            if position[source] >= 0:
                slot[position[source], column + i] = costs[cell, i, k]


@njit(cache=True, inline="always")
def _last(costs, found):
    """A list's last cost: what any target cell not in it costs at least; inf when the list ends before its depth
    (no other is reachable)."""
    return costs[-1] if found[-1] >= 0 else np.inf


@njit(cache=True, inline="always")
def _source_line(bounds, cell, line, metres, slot, wade):
    """A target cell's lines, its price-0 line already in line[0]: at every price at least the nearest target's
    cost and the octile distance at the price's pace, at a listed price at least its cost in that list."""
    priced, paces, listed, columns = bounds[0], bounds[5], bounds[8], bounds[17]
    line[0] = max(line[0], max(priced[cell, 0], metres * paces[0]))
    for j in range(1, line.shape[0]):
        line[j] = max(priced[cell, j], metres * paces[j])
    for i in range(listed.shape[0]):
        line[listed[i]] = max(line[listed[i]], slot[i])
    if wade:
        for i in range(columns.shape[0]):
            line[columns[i]] = max(line[columns[i]], slot[listed.shape[0] + i])


@njit(cache=True, inline="always")
def _octile(row, col, at_row, at_col, cell_size):
    """Metres between two cells by the 8 moves, ignoring what lies between (no route is shorter)."""
    down, across = abs(row - at_row), abs(col - at_col)
    return cell_size * (max(down, across) + (SQRT2 - 1.0) * min(down, across))


@njit(cache=True, inline="always")
def _still(bounds, params, cell, cols, cell_size, closed, since, version, shallow):
    """Whether a row's bounds, made at version `since`, hold unchanged at `version`: the targets final in
    between (`closed`: for each version, the cell's row, column and target cell number, -1 where others
    there are still open) were neither the nearest open by octile distance, nor a target a group of its lines
    stands for, nor in any of the cell's lists."""
    metres = params[2]
    if metres < 0:  # made before any target was done with: the lines did not look at the lists
        return False
    width, first = 2 * bounds[1].shape[0] + 3, _first_group(bounds[10])
    row, col = cell // cols, cell % cols
    for v in range(since + 1, version + 1):
        if _octile(closed[v, 0], closed[v, 1], row, col, cell_size) <= metres:
            return False
        source = closed[v, 2]
        if source >= 0:
            for g in range(int(params[1])):
                if params[first + g * width + width - 1] == source:
                    return False
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


@njit(cache=True, _nrt=False)
def _fill(bound_pages, page, row_params, row, prices, budget_units, first_free, residue_prices, moduli, base, top):
    """bound_page[i] = the least microseconds still needed from the row's cell having spent base + i units
    (i up to `top`): the least over the row's groups of lines (see `_row_bound`) of their upper envelope of
    the lines intercept_j - price_j * (budget - u) (inf where fewer units are left than the group's targets
    need), at least the exact chakra-free time where not even the cheapest chakra move is left (from
    `first_free` units on), raised by the residue bounds; rounded up to a whole microsecond (what is left is
    a whole number of them) and kept exact: where routes tie, their estimates tie exactly, and the search
    goes down one of them instead of through them all."""
    bound_page, params = bound_pages[page], row_params[row]
    lines = prices.shape[0]
    width, first = 2 * lines + 3, _first_group(moduli)
    for g in range(int(params[1])):
        # the bounds rise with the units spent: a group whose least over the page is no lower than the most
        # of the others' over it changes nothing there
        offset = first + g * width
        if g == 0 or _group_at(params, offset, prices, budget_units, base) < bound_page[top]:
            _envelope(bound_page, params, offset, prices, budget_units, base, top, g == 0)
    if base + top >= first_free:
        floor = params[0]
        for k in range(max(first_free - base, 0), top + 1):
            bound_page[k] = max(bound_page[k], floor)
    offset = 3
    for r in range(residue_prices.shape[0]):
        modulus, price = moduli[r], residue_prices[r]
        for wanted in range(modulus):  # the units u whose (budget - u) mod k is `wanted`, in steps of k
            value = params[offset + wanted] - BOUND_SLACK - price * budget_units
            for k in range((budget_units - base - wanted) % modulus, top + 1, modulus):
                bound_page[k] = max(bound_page[k], np.ceil(value + price * (base + k)))
        offset += modulus


@njit(cache=True, inline="always")
def _envelope(bound_page, params, offset, prices, budget_units, base, top, first):
    """The upper envelope of the lines of the group at `offset`, for the units base .. base + top, into
    bound_page (`first`), or its least with what bound_page holds."""
    lines = prices.shape[0]
    count = int(params[offset + lines])
    last_kept = min(top, budget_units - base - int(params[offset + 2 * lines + 1]))  # beyond: too little left
    at, i = 0, 0
    while i <= last_kept:
        left = budget_units - base - i
        while at + 1 < count and _line(params, offset, prices, at + 1, left) >= _line(params, offset, prices, at,
                                                                                     left):
            at += 1
        # this line stays the envelope's until the next one overtakes it: find where, then fill in one go
        last = last_kept
        if at + 1 < count:
            low, high = i, last_kept  # the last offset at which line `at` is still the envelope
            while low < high:
                middle = (low + high + 1) // 2
                rest = budget_units - base - middle
                if _line(params, offset, prices, at + 1, rest) >= _line(params, offset, prices, at, rest):
                    high = middle - 1
                else:
                    low = middle
            last = low
        j = int(params[offset + lines + 1 + at])
        intercept, price = params[offset + j], prices[j]
        if first:
            for k in range(i, last + 1):
                bound_page[k] = max(0.0, np.ceil(intercept - price * (budget_units - base - k) - BOUND_SLACK))
        else:
            for k in range(i, last + 1):
                bound_page[k] = min(bound_page[k], max(0.0, np.ceil(intercept - price * (budget_units - base - k)
                                                                    - BOUND_SLACK)))
        i = last + 1
    if first:
        for k in range(max(last_kept + 1, 0), top + 1):
            bound_page[k] = np.inf


@njit(cache=True, inline="always")
def _group_at(params, offset, prices, budget_units, units):
    """The envelope of the group at `offset` having spent `units`, before rounding."""
    lines = prices.shape[0]
    if units > budget_units - params[offset + 2 * lines + 1]:
        return np.inf
    value = -np.inf
    for at in range(int(params[offset + lines])):
        value = max(value, _line(params, offset, prices, at, budget_units - units))
    return value


@njit(cache=True, inline="always")
def _line(params, offset, prices, at, left):
    """The value of the envelope's line number `at` of the group at `offset` with `left` units left."""
    lines = prices.shape[0]
    j = int(params[offset + lines + 1 + at])
    return params[offset + j] - prices[j] * left


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
        nearest = min(nearest, _octile(open_rows[i], open_cols[i], row, col, cell_size))
    return nearest


@njit(cache=True)
def _grow_rows(table, fill):
    grown = np.empty((2 * table.shape[0], table.shape[1]), dtype=table.dtype)
    grown[: table.shape[0]] = table
    grown[table.shape[0]:] = fill
    return grown


@njit(cache=True, inline="always")
def _current(bounds, row_arrays, bound_pages, row, cell, reach, budget_units, cols, cell_size, opened, closed,
             version, shallow, room):
    """Bring a row's bounds up to `version` (the targets still open, `opened` as `_row_bound` takes it): kept
    when `_still` says they hold, else remade and every page the row holds filled again. A row not made yet
    (version -1) is made."""
    page_of, row_params, row_live, row_version = row_arrays
    if row_version[row] >= 0 and row_version[row] != version and _still(
            bounds, row_params[row], cell, cols, cell_size, closed, row_version[row], version, shallow):
        row_version[row] = version
    if row_version[row] != version:
        row_live[row] = _row_bound(bounds, row_params[row], cell, budget_units, cols, cell_size, opened, shallow,
                                   room)
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
    times, moves, dirty, bound_pages, held, least_of = page_arrays
    keys, ties, items = heap
    best_time, best_units, final, order, open_sources, open_rows, open_cols, closed = answer
    room, batch_units, batch_times, span_block, span_low, span_high, ranked, source_cells = scratch
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
                 cols, cell_size, (open_rows, open_cols, open_count, open_sources, active, source_cells), closed,
                 version, shallow, room)
        # the changed, undominated entries within `slack` of the least estimate go out (only those tying exactly with
        # it, where TIES or more do); the rest wait (only the entries holding a time are visited, in order of units,
        # by their pages' bits)
        count, fastest, waiting, waiting_time, spans, tied = 0, np.inf, np.inf, 0.0, 0, 0
        for block in range((reach >> PAGE_BITS) + 1):
            page = page_of[row, block]
            if page < 0:
                continue
            if dirty[page] == 0:  # nothing changed here: only the page's fastest time counts
                fastest = min(fastest, least_of[page])
                continue
            bits = held[page]
            while bits != 0:
                bits, at = _next_bit(bits)
                now = times[page, at]
                bit = np.uint64(1) << np.uint64(at)
                if not dirty[page] & bit:
                    fastest = min(fastest, now)
                    continue
                if now >= fastest:
                    dirty[page] &= ~bit  # dominated: an entry with less chakra was as fast
                    continue
                fastest = now
                estimate = now + bound_pages[page, at]
                if estimate > ceiling:
                    dirty[page] &= ~bit
                elif estimate <= key + slack:
                    dirty[page] &= ~bit
                    units = (block << PAGE_BITS) + at
                    batch_units[count], batch_times[count] = units, now
                    tied += estimate == key
                    count += 1
                    spans = _add_span(span_block, span_low, span_high, spans, block, units)
                elif estimate < np.inf:
                    if estimate < waiting:
                        waiting, waiting_time = estimate, now
                else:
                    dirty[page] &= ~bit
        if TIES <= tied < count:
            count, spans, waiting, waiting_time = _only_ties(batch_units, batch_times, count, key, page_of[row],
                                                             bound_pages, dirty, span_block, span_low, span_high,
                                                             waiting, waiting_time)
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
                     budget_units, cols, cell_size,
                     (open_rows, open_cols, open_count, open_sources, active, source_cells), closed, version, shallow,
                     room)
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
                        _new_page(times, dirty, held, least_of, bound_pages, used_pages - 1, row_params, slot,
                                  row_live[slot], prices, residue_prices, moduli, budget_units, first_free, block,
                                  reach_other)
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
                                                 bound_pages, held, least_of, ceiling)
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
    entries improved, pages made. `scratch` = (times, moves, dirty, bounds, held, least): the pages' arrays, of any
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
    n_params = GROUPS * (2 * prices.shape[0] + 3) + 3 + np.sum(bounds[10])
    row_params = np.empty((capacity, n_params))
    row_live = np.zeros(capacity, dtype=np.bool_)
    row_version = np.full(capacity, -1, dtype=np.int64)
    closed = np.full((n_targets + 1, 3), -1, dtype=np.int64)  # per version: the cell and target cell done with
    row_cell = np.empty(capacity, dtype=np.int64)
    queued = np.full(capacity, np.inf)
    used_rows = 0
    # pages: PAGE consecutive units of a row, made when a time first lands in them
    # held: which entries of a page hold a time, a bit each; dirty: which changed since their row was expanded;
    # least_of: the page's least time (times only go down)
    times, moves, dirty, bound_pages, held, least_of = scratch
    used_pages = 0
    version = 0  # goes up each time a target is final: the bounds aim at the targets still open
    keys, ties, items = np.empty(1 << 8), np.empty(1 << 8), np.empty(1 << 8, dtype=np.int64)  # grown as needed
    size = 0
    source_cells = np.empty((n_sources, 2), dtype=np.int64)  # each target cell's row and column
    for target in range(n_targets):
        if target_source[target] >= 0:
            source_cells[target_source[target], 0] = target_cells[target] // cols
            source_cells[target_source[target], 1] = target_cells[target] % cols
    lines, n_listed, n_shallow = prices.shape[0], bounds[8].shape[0], bounds[17].shape[0]
    per_target = n_sources if bounds[21].shape[1] else 0
    lists = n_listed + n_shallow
    places = per_target + 1  # each listed target cell and those in no list
    room = (np.empty(lines), np.empty(bounds[15].shape[2]), np.empty((places, lines)), np.empty(places, np.int64),
            np.empty(places), np.empty(places, np.int64), np.full(per_target, -1, np.int64), np.empty(GROUPS, np.int64),
            np.empty((places, lists)), np.empty(places), np.full(lists, np.inf))
    shallow = budget_units < bounds[16]  # every state has fewer units left than the shallow limit
    batch_units = np.empty(width, dtype=np.int64)  # the entries going out of the cell being expanded, by units
    batch_times = np.empty(width)
    span_block, span_low, span_high = np.empty(blocks, np.int64), np.empty(blocks, np.int64), np.empty(blocks, np.int64)
    complete = True
    if passable[start] and least_units[start] <= budget_units and limit > 0:
        cell_slot[start] = 0
        row_cell[0], used_rows, used_pages = start, 1, 1
        page_of[0, 0] = 0
        times[0, :], held[0], dirty[0], least_of[0] = np.inf, np.uint64(1), np.uint64(1), 0.0
        times[0, 0], moves[0, 0] = 0.0, START
        _current(bounds, (page_of, row_params, row_live, row_version), bound_pages, 0, start,
                 budget_units - least_units[start], budget_units, cols, cell_size,
                 (open_rows, open_cols, open_count, open_sources, active, source_cells), closed, version, shallow,
                 room)
        queued[0] = np.float64(bound_pages[0, 0])
        if queued[0] < np.inf:
            size = pair_push(keys, ties, items, 0, queued[0], 0.0, 0)
        soonest = _reach(target_head, target_next, wanted, start, 0.0, 0, best_time, best_units, soonest)
    state = np.array([size, used_rows, used_pages, found, version, open_count, active, complete], dtype=np.int64)
    fstate = np.array([soonest, ceiling])
    answer = (best_time, best_units, final, order, open_sources, open_rows, open_cols, closed)
    spare = (room, batch_units, batch_times, span_block, span_low, span_high, np.empty(n_targets), source_cells)
    while _expand(grid, bounds, targets, budget_units, limit, cell_slot, max_entries, slack, work,
                  (page_of, row_params, row_live, row_version, row_cell, queued),
                  (times, moves, dirty, bound_pages, held, least_of), (keys, ties, items), answer, spare, state,
                  fstate):
        size, used_rows, used_pages = state[0], state[1], state[2]
        if size + 9 > keys.shape[0]:
            keys, ties, items = grow(keys), grow(ties), grow(items)
        if used_rows + 8 > page_of.shape[0]:
            page_of, row_params = _grow_rows(page_of, -1), _grow_rows(row_params, 0.0)
            row_live, row_cell, queued, row_version = grow(row_live), grow(row_cell), grow(queued), grow(row_version)
            queued[used_rows:] = np.inf
            row_version[used_rows:] = -1
        while used_pages + 8 * blocks > times.shape[0]:
            times, moves, bound_pages = _grow_rows(times, 0.0), _grow_rows(moves, 0), _grow_rows(bound_pages, 0.0)
            dirty, held, least_of = grow(dirty), grow(held), grow(least_of)
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
        (times, moves, dirty, bound_pages, held, least_of)


@njit(cache=True, _nrt=False)
def _relax(batch_units, batch_times, count, top, step_s, step_u, code, pages, times, moves, dirty, bound_pages, held,
           least_of, ceiling):
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
            bit = np.uint64(1) << np.uint64(at)
            held[page] |= bit
            improved += 1
            estimate = now + bound_pages[page, at]
            times[page, at], moves[page, at] = now, code
            least_of[page] = min(least_of[page], now)
            keep = estimate <= ceiling  # kept for dominance; queued only while it can still matter
            if keep:
                dirty[page] |= bit
            else:
                dirty[page] &= ~bit
            if keep and (estimate < least or (estimate == least and now > least_time)):
                least, least_time = estimate, now
    return improved, least, least_time


@njit(cache=True, _nrt=False)
def _only_ties(batch_units, batch_times, count, key, pages, bound_pages, dirty, span_block, span_low, span_high,
               waiting, waiting_time):
    """Keep in the batch only the entries whose estimate is `key` (in order, with their spans); the others are
    marked changed again and wait. Returns the entries kept, the spans and the least estimate waiting (with,
    among equal ones, the latest time)."""
    kept, spans = 0, 0
    for i in range(count):
        units, now = batch_units[i], batch_times[i]
        page, at = pages[units >> PAGE_BITS], units & (PAGE - 1)
        estimate = now + bound_pages[page, at]
        if estimate == key:
            batch_units[kept], batch_times[kept] = units, now
            kept += 1
            spans = _add_span(span_block, span_low, span_high, spans, units >> PAGE_BITS, units)
        else:
            dirty[page] |= np.uint64(1) << np.uint64(at)
            if estimate < waiting or (estimate == waiting and now > waiting_time):
                waiting, waiting_time = estimate, now
    return kept, spans, waiting, waiting_time


@njit(cache=True, inline="always")
def _add_span(span_block, span_low, span_high, spans, block, units):
    """Count an entry going out (in order of units) in its page's span: the pages going out, each with the least
    and most units of its entries going out. Returns the number of spans."""
    if spans == 0 or span_block[spans - 1] != block:
        span_block[spans], span_low[spans], spans = block, units, spans + 1
    span_high[spans - 1] = units
    return spans


def new_pages(pages: int = 256) -> tuple:
    """Arrays for a search's pages (see `dense_search`): times, moves, which entries changed since their row was
    expanded (a bit each), bounds, which entries hold a time (a bit each), and each page's least time."""
    return (np.empty((pages, PAGE)), np.empty((pages, PAGE), dtype=np.int8), np.empty(pages, dtype=np.uint64),
            np.empty((pages, PAGE)), np.empty(pages, dtype=np.uint64), np.empty(pages))


@njit(cache=True, inline="always")
def _new_page(times, dirty, held, least_of, bound_pages, page, row_params, row, live, prices, residue_prices, moduli,
              budget_units, first_free, block, reach):
    """A row's page for the units from block * PAGE on: no times yet, and the row's bounds."""
    times[page, :], dirty[page], held[page], least_of[page] = np.inf, np.uint64(0), np.uint64(0), np.inf
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
