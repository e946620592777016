"""The chakra-free search of the travel-time matrix gives the exact search's answers at a zero budget."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.terrain.chakra_free import FreeSearcher
from refuge.terrain.search import Searcher

INF = math.inf
# (walk s/m, run s/m, run chakra/m, water s/m, water chakra/m) of a land, water or rock cell
LAND = st.tuples(st.sampled_from([0.5, 1.0, 1.7, 3.0]), st.sampled_from([INF, 0.2, 0.9]),
                 st.sampled_from([0.0, 0.01, 0.05]), st.just(INF), st.just(0.0))
WATER = st.tuples(st.just(INF), st.just(INF), st.just(0.0), st.sampled_from([0.4, 1.2]),
                  st.sampled_from([0.0, 0.05]))
ROCK = st.just((INF, INF, 0.0, INF, 0.0))


@st.composite
def grids(draw):  # type: ignore[no-untyped-def]
    rows, cols = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    cells = draw(st.lists(st.one_of(LAND, LAND, LAND, WATER, ROCK), min_size=rows * cols, max_size=rows * cols))
    layers = [np.array([cell[k] for cell in cells], dtype=np.float64).reshape(rows, cols) for k in range(5)]
    costs = SimpleNamespace(walk_s_per_m=layers[0], run_s_per_m=layers[1], run_chakra_per_m=layers[2],
                            water_s_per_m=layers[3], water_chakra_per_m=layers[4],
                            cell_size=draw(st.sampled_from([10.0, 25.0])))
    start = (draw(st.integers(0, rows - 1)), draw(st.integers(0, cols - 1)))
    return costs, start


@settings(max_examples=150, deadline=None)
@given(grids())
def test_every_cell_is_reached_as_fast_as_the_exact_search_says(problem) -> None:  # type: ignore[no-untyped-def]
    costs, start = problem
    rows, cols = costs.walk_s_per_m.shape
    every = {(r, c): (r, c) for r in range(rows) for c in range(cols)}
    found = {reach.key: reach for reach in FreeSearcher(costs).search(start, every)}
    exact = {reach.key: reach for reach in Searcher(costs, every).search(start, 0.0)}
    assert found.keys() == exact.keys()
    for cell, reach in found.items():
        assert math.isclose(reach.time_s, exact[cell].time_s, rel_tol=1e-9, abs_tol=1e-9)
        assert exact[cell].chakra == 0 and reach.path[-1] == cell


def test_water_without_chakra_is_a_wall() -> None:
    land, water = (1.0, INF, 0.0, INF, 0.0), (INF, INF, 0.0, 0.5, 0.05)
    row = [land, water, land]
    layers = [np.array([[cell[k] for cell in row]], dtype=np.float64) for k in range(5)]
    costs = SimpleNamespace(walk_s_per_m=layers[0], run_s_per_m=layers[1], run_chakra_per_m=layers[2],
                            water_s_per_m=layers[3], water_chakra_per_m=layers[4], cell_size=10.0)
    found = FreeSearcher(costs).search((0, 0), {"here": (0, 0), "lake": (0, 1), "far shore": (0, 2)})
    assert [(r.key, r.time_s, r.distance_m) for r in found] == [("here", 0.0, 0.0)]


@settings(max_examples=150, deadline=None)
@given(grids(), st.data())
def test_the_nearest_without_chakra_are_the_exact_searchs_nearest(problem, data) -> None:  # type: ignore[no-untyped-def]
    costs, start = problem
    rows, cols = costs.walk_s_per_m.shape
    cells = st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1))
    targets = data.draw(st.dictionaries(st.text("abcdef", min_size=1, max_size=2), cells, min_size=1, max_size=5))
    among = data.draw(st.one_of(st.none(), st.sets(st.sampled_from(sorted(targets)))))
    limit = data.draw(st.sampled_from([None, 1, 2, 3]))
    free = FreeSearcher(costs)
    assert free.affords_nothing(0.0)
    found = free.search(start, {k: c for k, c in targets.items() if among is None or k in among}, limit)
    exact = Searcher(costs, targets).search(start, 0.0, limit, among)
    everything = {r.key: r.time_s for r in Searcher(costs, targets).search(start, 0.0, None, among)}
    assert [round(r.time_s, 6) for r in found] == [round(r.time_s, 6) for r in exact]
    for reach in found:
        assert math.isclose(reach.time_s, everything[reach.key], rel_tol=1e-9, abs_tol=1e-9)
        assert reach.chakra == 0 and reach.path[0] == start and reach.path[-1] == targets[reach.key]
        assert len(reach.modes) == len(reach.path) - 1
