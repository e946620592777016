"""The travel-time matrix with chakra to spend, where the searches give up at their cap: the pairs left are
found from the other end or towards one goal, and the matrix is the one built without a cap."""

from __future__ import annotations

import pytest

from refuge.services.matrix import MatrixPoint, _covering_goals, build
from refuge.terrain.travel import default_travel_model, move_costs
from tests.factories import NOW
from tests.terrain_factory import small_terrain

#: Land round the small terrain's lake, the island (across 3 km of water) and a point past the cliff wall.
SPOTS = [(4_000.0, 20_000.0), (30_000.0, 40_000.0), (50_000.0, 40_000.0), (46_000.0, 10_000.0),
         (58_000.0, 48_000.0)]


def matrix(steps: list[tuple[int, int]] | None = None, **caps: int):  # type: ignore[no-untyped-def]
    terrain = small_terrain()
    costs = move_costs(terrain, default_travel_model(), "running")
    points = [MatrixPoint(f"P{i}", "shelter", f"P{i}", x, y, 0) for i, (x, y) in enumerate(SPOTS)]
    return build(costs, [terrain.cell_of(x, y) for x, y in SPOTS], points, "running", 30.0, "digest", NOW,
                 progress=None if steps is None else lambda done, total: steps.append((done, total)), **caps)


def test_pairs_a_search_gave_up_on_are_found_all_the_same() -> None:
    whole, steps = matrix(), []
    capped = matrix(steps, max_entries=500)
    assert whole.complete and capped.complete
    assert whole.seconds[0][2] is not None and whole.chakra_used[0][2] > 0  # the island, over water
    assert steps[-1][1] > len(SPOTS)  # the searches gave up, and some goals were searched for apart
    assert capped.seconds == whole.seconds and capped.distance_m == whole.distance_m
    assert all(capped.seconds[i][j] == capped.seconds[j][i] for i in range(len(SPOTS)) for j in range(i))


def test_a_pair_no_search_could_finish_is_a_route_without_chakra_and_the_matrix_says_so() -> None:
    whole = matrix()
    capped = matrix(max_entries=500, goal_entries=500)
    assert not capped.complete
    for i, row in enumerate(capped.seconds):
        for j, seconds in enumerate(row):
            if whole.seconds[i][j] is None:
                assert seconds is None
            elif seconds is not None:  # exact, or a slower route that spends no chakra
                assert seconds >= whole.seconds[i][j] - 0.05
    assert capped.seconds[0][2] is None  # the island cannot be reached without chakra


@pytest.mark.parametrize(("pairs", "goals"), [
    ({(0, 1), (0, 2), (0, 3)}, [(0, [1, 2, 3])]),
    ({(0, 1), (2, 3)}, [(0, [1]), (2, [3])]),
    ({(0, 1), (1, 2), (2, 3), (1, 3)}, [(1, [0, 2, 3]), (2, [3])]),
    (set(), []),
])
def test_the_goals_searched_apart_end_every_pair(pairs: set, goals: list) -> None:
    assert _covering_goals({frozenset(pair) for pair in pairs}) == goals
