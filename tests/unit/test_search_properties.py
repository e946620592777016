"""Routes equal a brute-force Dijkstra over every (cell, chakra units used) state on small random grids.

The brute force shares no code with the search: it computes each move's cost again from the model
documented in `refuge.terrain.search` and explores the whole product space without any pruning.
"""

from __future__ import annotations

import heapq
import math
from types import SimpleNamespace
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.terrain import search as search_module
from refuge.terrain.search import Searcher, route, search
from refuge.terrain.search_bounds import shallow_sources

INF = math.inf
UNITS = 10  # units per chakra point (tenths), as documented
MICROSECONDS = 10**6  # time is counted in whole microseconds, each move's rounded to the nearest
MODES = ("walk", "run")


# ---------------------------------------------------------------- the model, written out again


def is_water(costs, cell):
    return math.isfinite(costs.water_s_per_m[cell])


def impassable(costs, cell):
    return not any(math.isfinite(grid[cell]) for grid in (costs.walk_s_per_m, costs.run_s_per_m, costs.water_s_per_m))


def per_metre(costs, cell, mode):
    """(seconds, chakra) per metre of the cell in the mode; water is water-walked whatever the mode."""
    if is_water(costs, cell):
        return costs.water_s_per_m[cell], costs.water_chakra_per_m[cell]
    if mode == "walk":
        return costs.walk_s_per_m[cell], 0.0
    return costs.run_s_per_m[cell], costs.run_chakra_per_m[cell]


def move(costs, a, b, mode):
    """(microseconds, units) of the move a→b in the mode, or None when the model refuses it."""
    rows, cols = costs.walk_s_per_m.shape
    down, right = b[0] - a[0], b[1] - a[1]
    if max(abs(down), abs(right)) != 1 or not (0 <= b[0] < rows and 0 <= b[1] < cols):
        return None
    if impassable(costs, a) or impassable(costs, b):
        return None
    diagonal = down != 0 and right != 0
    if diagonal and impassable(costs, (a[0], b[1])) and impassable(costs, (b[0], a[1])):
        return None
    length = costs.cell_size * (math.sqrt(2) if diagonal else 1.0)
    (seconds_a, chakra_a), (seconds_b, chakra_b) = per_metre(costs, a, mode), per_metre(costs, b, mode)
    if not (math.isfinite(seconds_a) and math.isfinite(seconds_b)):
        return None
    microseconds = round(MICROSECONDS * (length / 2 * (seconds_a + seconds_b)))
    return microseconds, math.ceil(UNITS * length / 2 * (chakra_a + chakra_b) - 1e-9)


def neighbours(cell):
    return [(cell[0] + down, cell[1] + right) for down in (-1, 0, 1) for right in (-1, 0, 1) if down or right]


def brute_force(costs, start, budget):
    """Least seconds to every cell over all states (cell, units used <= budget units); the Dijkstra
    runs on whole microseconds, so its times are exact."""
    allowed = math.floor(budget * UNITS + 1e-9)
    best_at_cell: dict[tuple[int, int], float] = {}
    if impassable(costs, start):
        return best_at_cell
    done: set[tuple[tuple[int, int], int]] = set()
    queue = [(0, start, 0)]
    while queue:
        seconds, cell, used = heapq.heappop(queue)
        if (cell, used) in done:
            continue
        done.add((cell, used))
        best_at_cell.setdefault(cell, seconds / MICROSECONDS)
        for other in neighbours(cell):
            for mode in MODES:
                cost = move(costs, cell, other, mode)
                if cost and used + cost[1] <= allowed and (other, used + cost[1]) not in done:
                    heapq.heappush(queue, (seconds + cost[0], other, used + cost[1]))
    return best_at_cell


# ---------------------------------------------------------------- random small grids

land = st.tuples(
    st.just("land"),
    st.sampled_from([0.5, 1.0, 1.7, 3.0]),
    st.sampled_from([INF, 0.2, 0.35, 0.9, 2.0]),
    st.sampled_from([0.0, 0.01, 0.02, 0.05, 0.1, 0.013]),
)
water = st.tuples(st.just("water"), st.sampled_from([0.4, 1.2]), st.just(INF), st.sampled_from([0.0, 0.05, 0.1, 0.037]))
rock = st.tuples(st.just("rock"), st.just(INF), st.just(INF), st.just(0.0))


def laid_out(rows, cols, kinds, cell_size):
    """The travel costs of a grid whose cells, row by row, are of the given kinds (as `land`, `water`, `rock`)."""
    walk, run, chakra, water_s, water_c = (np.full((rows, cols), INF) for _ in range(5))
    for index, (kind, seconds, run_seconds, per_m) in enumerate(kinds):
        cell = divmod(index, cols)
        if kind == "land":
            walk[cell], run[cell], chakra[cell] = seconds, run_seconds, per_m
        elif kind == "water":
            water_s[cell], water_c[cell] = seconds, per_m
    return SimpleNamespace(walk_s_per_m=walk, run_s_per_m=run, run_chakra_per_m=chakra, water_s_per_m=water_s,
                           water_chakra_per_m=water_c, cell_size=cell_size)


@st.composite
def grids(draw):
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    kinds = draw(st.lists(st.one_of(land, land, water, rock), min_size=rows * cols, max_size=rows * cols))
    return laid_out(rows, cols, kinds, draw(st.sampled_from([10.0, 25.0])))


def question(draw, costs, budgets, limits=(None, 1, 2, 3), names="abcdef", targets=(1, 5)):
    """A question on the grid: (costs, start, budget, targets by name, limit), the budget drawn from `budgets`,
    the targets' count within `targets`."""
    rows, cols = costs.walk_s_per_m.shape
    cells = st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1))
    wanted = draw(st.dictionaries(st.text(names, min_size=1, max_size=2), cells, min_size=targets[0],
                                  max_size=targets[1]))
    budget = draw(budgets)
    return costs, draw(cells), budget, wanted, draw(st.sampled_from(list(limits)))


@st.composite
def problems(draw):
    budgets = st.one_of(st.just(0.0), st.integers(0, 3).map(float), st.floats(0, 3, allow_nan=False))
    return question(draw, draw(grids()), budgets)


# ---------------------------------------------------------------- the properties


def replayed(costs, reach):
    """Seconds and units of a returned route, recomputed move by move from its path and modes."""
    assert len(reach.modes) == len(reach.path) - 1
    total_seconds, total_units = 0.0, 0
    for a, b, mode in zip(reach.path, reach.path[1:], reach.modes):
        cost = move(costs, a, b, mode)
        assert cost is not None, f"the move {a}→{b} ({mode}) is not allowed"
        total_seconds, total_units = total_seconds + cost[0], total_units + cost[1]
    return total_seconds / MICROSECONDS, total_units


def assert_close(a, b):
    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (a, b)


@settings(max_examples=400, deadline=None)
@given(problems())
def test_search_finds_exactly_the_targets_and_times_of_a_brute_force_search(problem):
    costs, start, budget, targets, limit = problem
    best = brute_force(costs, start, budget)
    expected = sorted(best[cell] for cell in targets.values() if cell in best)
    found = search(costs, start, budget, targets, limit)
    assert [reach.time_s for reach in found] == sorted(reach.time_s for reach in found)
    assert len(found) == len(expected[:limit])
    for reach, time_s in zip(found, expected[:limit]):
        assert_close(reach.time_s, time_s)
        assert_close(reach.time_s, best[targets[reach.key]])


@settings(max_examples=400, deadline=None)
@given(problems())
def test_every_route_replays_to_its_reported_time_and_chakra_within_the_budget(problem):
    costs, start, budget, targets, _ = problem
    for reach in search(costs, start, budget, targets, None):
        seconds, units = replayed(costs, reach)
        assert reach.path[0] == start and reach.path[-1] == targets[reach.key]
        assert_close(seconds, reach.time_s)
        assert units == round(reach.chakra * UNITS)
        assert units <= math.floor(budget * UNITS + 1e-9)  # the budget, forgiving float noise only


@settings(max_examples=200, deadline=None)
@given(problems())
def test_the_way_back_is_as_fast_and_as_dear_as_the_way_there(problem):
    # The travel-time matrix fills a pair one end's search left unknown from the other end's.
    costs, start, budget, targets, _ = problem
    for reach in search(costs, start, budget, targets, None):
        back = route(costs, reach.path[-1], start, budget)
        assert back is not None
        assert_close(back.time_s, reach.time_s)
        assert back.chakra <= budget + 1e-9


@settings(max_examples=100, deadline=None)
@given(problems(), st.lists(st.floats(0, 4, allow_nan=False), min_size=1, max_size=3))
def test_one_searcher_answers_every_budget_like_a_fresh_search(problem, budgets):
    costs, start, _, targets, limit = problem
    searcher = Searcher(costs, targets)
    for budget in budgets:
        again = search(costs, start, budget, targets, limit)
        assert [(r.key, r.time_s) for r in searcher.search(start, budget, limit)] == [(r.key, r.time_s) for r in again]


@st.composite
def plateaus(draw):
    """Wide grids of one or two kinds of land and some water: many routes tie, in time and in chakra."""
    rows, cols = draw(st.integers(2, 9)), draw(st.integers(2, 9))
    kinds = draw(st.lists(land, min_size=1, max_size=2))
    picks = draw(st.lists(st.integers(0, 9), min_size=rows * cols, max_size=rows * cols))
    layout = [("water", 1.2, INF, 0.05) if pick == 0 else kinds[pick % len(kinds)] for pick in picks]
    costs = laid_out(rows, cols, layout, draw(st.sampled_from([10.0, 100.0])))
    return question(draw, costs, st.one_of(st.integers(0, 30).map(lambda tenths: tenths / 10),
                                           st.floats(0, 4, allow_nan=False)))


@st.composite
def fields(draw):
    """Open fields of one kind of land where running trades chakra for time, with a few cells of other kinds: on
    the field every split of the chakra between running early and late arrives at the same time, so that many
    entries of a cell tie exactly (the search sends out only those, and the rest wait), and the few other cells
    make some of the entries that wait the ones that matter."""
    rows, cols = draw(st.integers(4, 12)), draw(st.integers(4, 12))
    field = ("land", draw(st.sampled_from([0.5, 1.0, 1.7])), draw(st.sampled_from([0.2, 0.35])),
             draw(st.sampled_from([0.01, 0.02, 0.013])))
    others = draw(st.lists(st.one_of(land, water), min_size=1, max_size=2))
    picks = draw(st.lists(st.integers(0, 5), min_size=rows * cols, max_size=rows * cols))
    layout = [others[pick % len(others)] if pick < 2 else field for pick in picks]
    costs = laid_out(rows, cols, layout, draw(st.sampled_from([100.0, 25.0])))
    return question(draw, costs, st.integers(10, 40).map(lambda tenths: tenths / 10))


@st.composite
def rivals(draw):
    """Wider grids of several kinds of land (running at different rates of chakra for time) and water, with
    several targets: one target is the fastest with chakra to burn, another with little, so that each row's
    bound is the least of several targets' lines apart."""
    rows, cols = draw(st.integers(4, 9)), draw(st.integers(4, 9))
    kinds = [*draw(st.lists(land, min_size=2, max_size=3)), draw(water), ("rock", INF, INF, 0.0)]
    picks = draw(st.lists(st.sampled_from(range(len(kinds))), min_size=rows * cols, max_size=rows * cols))
    costs = laid_out(rows, cols, [kinds[pick] for pick in picks], draw(st.sampled_from([10.0, 100.0])))
    return question(draw, costs, st.integers(0, 60).map(lambda tenths: tenths / 10), limits=(None, 2, 3, 5),
                    names="abcdefgh", targets=(3, 8))


def assert_equals_brute_force(problem, found):
    """The routes found are the fastest the brute force finds, each replaying to its time and chakra."""
    costs, start, budget, targets, limit = problem
    best = brute_force(costs, start, budget)
    expected = sorted(best[cell] for cell in targets.values() if cell in best)[:limit]
    assert len(found) == len(expected)
    for reach, time_s in zip(found, expected):
        assert_close(reach.time_s, time_s)
        assert_close(reach.time_s, best[targets[reach.key]])
        seconds, units = replayed(costs, reach)
        assert_close(seconds, reach.time_s)
        assert units == round(reach.chakra * UNITS) and units <= math.floor(budget * UNITS + 1e-9)


@settings(max_examples=300, deadline=None)
@given(rivals())
def test_where_targets_are_nearest_at_different_prices_the_search_still_equals_the_brute_force(problem):
    costs, start, budget, targets, limit = problem
    assert_equals_brute_force(problem, search(costs, start, budget, targets, limit))


@settings(max_examples=300, deadline=None)
@given(plateaus())
def test_on_plateaus_of_equal_routes_the_search_still_equals_the_brute_force(problem):
    costs, start, budget, targets, limit = problem
    assert_equals_brute_force(problem, search(costs, start, budget, targets, limit))


@settings(max_examples=200, deadline=None)
@given(fields())
def test_on_open_fields_where_splits_of_the_chakra_tie_the_search_still_equals_the_brute_force(problem):
    costs, start, budget, targets, limit = problem
    assert_equals_brute_force(problem, search(costs, start, budget, targets, limit))


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_answers_among_some_targets_equal_the_brute_force_over_those(problem, data):
    costs, start, budget, targets, limit = problem
    among = data.draw(st.sets(st.sampled_from(sorted(targets))))
    best = brute_force(costs, start, budget)
    expected = sorted(best[targets[key]] for key in among if targets[key] in best)[:limit]
    found = Searcher(costs, targets).search(start, budget, limit, among=among)
    assert {reach.key for reach in found} <= among
    assert len(found) == len(expected)
    for reach, time_s in zip(found, expected):
        assert_close(reach.time_s, time_s)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_trying_the_fastest_routes_first_changes_no_answer(problem):
    # Large budgets first try the fastest routes with chakra free; here every budget does.
    costs, start, budget, targets, limit = problem
    assert_equals_brute_force(problem, Searcher(costs, targets, fastest_first=0).search(start, budget, limit))


@settings(max_examples=300, deadline=None)
@given(problems(), st.data())
def test_bounds_past_the_few_nearest_listed_targets_still_hold(problem, data):
    # Each cell lists only its two nearest targets here, so asking among others uses the fallback
    # (no unlisted target is nearer than the last listed).
    costs, start, budget, targets, limit = problem
    among = data.draw(st.sets(st.sampled_from(sorted(targets))))
    with patch.object(search_module, "NEAREST_LISTED", 2):
        searcher = Searcher(costs, targets)
    best = brute_force(costs, start, budget)
    expected = sorted(best[targets[key]] for key in among if targets[key] in best)[:limit]
    found = searcher.search(start, budget, limit, among=among)
    assert {reach.key for reach in found} <= among and len(found) == len(expected)
    for reach, time_s in zip(found, expected):
        assert_close(reach.time_s, time_s)


@settings(max_examples=300, deadline=None)
@given(problems(), st.data())
def test_any_shallow_limit_leaves_the_answers_exact(problem, data):
    # States with fewer units left than the limit are bounded by the routes spending less than it in
    # water; any limit gives a valid bound (the default only makes it a tight one).
    costs, start, budget, targets, limit = problem
    wade = data.draw(st.integers(1, 6))
    with patch.object(search_module, "WADE_CELLS", wade):
        searcher = Searcher(costs, targets)
    assert_equals_brute_force(problem, searcher.search(start, budget, limit))


def water_units(costs, a, b):
    """The units a move would spend walking: what it spends in water, whatever the mode."""
    rows, cols = costs.walk_s_per_m.shape
    diagonal = a[0] != b[0] and a[1] != b[1]
    length = costs.cell_size * (math.sqrt(2) if diagonal else 1.0)
    wet = [costs.water_chakra_per_m[cell] if is_water(costs, cell) else 0.0 for cell in (a, b)]
    return math.ceil(UNITS * length / 2 * sum(wet) - 1e-9)


def shallow_costs(costs, source, price, limit):
    """Per cell, the least (microseconds + price * units) of a route to `source` spending fewer than
    `limit` water units: a Dijkstra over every (cell, water units) state, no pruning."""
    best: dict[tuple[int, int], float] = {}
    done = set()
    queue = [(0.0, source, 0)]
    while queue:
        cost, cell, wet = heapq.heappop(queue)
        if (cell, wet) in done:
            continue
        done.add((cell, wet))
        best.setdefault(cell, cost)
        for other in neighbours(cell):
            if move(costs, cell, other, "walk") is None and move(costs, cell, other, "run") is None:
                continue  # off the grid or not allowed; moves cost the same both ways
            moves = [move(costs, other, cell, mode) for mode in MODES]
            priced = [seconds + price * units for seconds, units in filter(None, moves)]
            spent = wet + water_units(costs, other, cell) if priced else limit
            if spent < limit and (other, spent) not in done:
                heapq.heappush(queue, (cost + min(priced), other, spent))
    return best


@settings(max_examples=200, deadline=None)
@given(grids(), st.data())
def test_the_shallow_lists_equal_a_brute_force_over_water_spent(costs, data):
    rows, cols = costs.walk_s_per_m.shape
    cells = [(row, col) for row in range(rows) for col in range(cols) if not impassable(costs, (row, col))]
    if not cells:
        return
    sources = sorted(data.draw(st.sets(st.sampled_from(cells), min_size=1, max_size=4)))
    price = data.draw(st.sampled_from([0.0, 1e6, 2.5e7]))
    count, limit = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 20))
    seconds, chakra, passable = search_module.mode_tables(costs)
    flat = np.array([row * cols + col for row, col in sources], dtype=np.int64)
    found_costs, found = shallow_sources(seconds, chakra, passable, rows, cols, costs.cell_size, float(UNITS), price,
                                         flat, count, limit)
    each = [shallow_costs(costs, source, price, limit) for source in sources]
    for row, col in cells:
        expected = sorted(best[(row, col)] for best in each if (row, col) in best)[:count]
        listed = found[row * cols + col]
        assert list(found_costs[row * cols + col][: len(expected)]) == pytest.approx(expected, rel=1e-12)
        assert all(index < 0 for index in listed[len(expected):])
        for index, cost in zip(listed, found_costs[row * cols + col]):
            if index >= 0:
                assert each[index][(row, col)] == pytest.approx(cost, rel=1e-12)
