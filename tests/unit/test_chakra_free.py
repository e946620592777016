"""The chakra-free search of the travel-time matrix gives the exact search's answers at a zero budget."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.terrain.chakra_free import free_times
from refuge.terrain.search import UNITS_PER_CHAKRA, Searcher, mode_tables

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
def test_free_times_equal_the_exact_search_with_no_chakra(problem) -> None:  # type: ignore[no-untyped-def]
    costs, start = problem
    rows, cols = costs.walk_s_per_m.shape
    seconds, chakra, passable = mode_tables(costs)
    times, lengths = free_times(seconds, chakra, passable, rows, cols, costs.cell_size, float(UNITS_PER_CHAKRA),
                                start[0] * cols + start[1])
    every = {(r, c): (r, c) for r in range(rows) for c in range(cols)}
    exact = {reach.key: reach for reach in Searcher(costs, every).search(start, 0.0)}
    for cell in every:
        flat = cell[0] * cols + cell[1]
        if cell in exact:
            assert math.isclose(times[flat], exact[cell].time_s, rel_tol=1e-9, abs_tol=1e-9)
            assert exact[cell].chakra == 0
        else:
            assert times[flat] == INF and lengths[flat] == INF


def test_water_without_chakra_is_a_wall() -> None:
    land, water = (1.0, INF, 0.0, INF, 0.0), (INF, INF, 0.0, 0.5, 0.05)
    row = [land, water, land]
    layers = [np.array([[cell[k] for cell in row]], dtype=np.float64) for k in range(5)]
    costs = SimpleNamespace(walk_s_per_m=layers[0], run_s_per_m=layers[1], run_chakra_per_m=layers[2],
                            water_s_per_m=layers[3], water_chakra_per_m=layers[4], cell_size=10.0)
    seconds, chakra, passable = mode_tables(costs)
    times, lengths = free_times(seconds, chakra, passable, 1, 3, 10.0, float(UNITS_PER_CHAKRA), 0)
    assert times.tolist() == [0.0, INF, INF] and lengths.tolist() == [0.0, INF, INF]
