"""Fastest routes within a chakra budget, on small hand-drawn maps."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.domain.errors import InvalidInput
from refuge.terrain.search import CROSSING_PRICES, Searcher, bearing_deg, exchange_prices, mode_tables, passable, route, \
    search, turning_points
from refuge.terrain.search_dense import _ceiling, new_pages

# Ten-metre cells. Land: walk 1 s/m, run 0.5 s/m at 0.01 chakra/m, so a straight step is 10 s walking,
# or 5 s and 0.1 chakra running. Water: 0.8 s/m at 0.05 chakra/m. Rock: impassable.
LAND, WATER, ROCK = ".", "~", "#"


def drawn(picture: str) -> tuple[SimpleNamespace, dict[str, tuple[int, int]]]:
    """Costs and named cells (letters, standing on land) from a picture of the map."""
    lines = picture.split()
    shape = (len(lines), len(lines[0]))
    walk, run, chakra, water_s, water_c = (np.full(shape, np.inf) for _ in range(5))
    names = {}
    for row, line in enumerate(lines):
        for col, mark in enumerate(line):
            if mark == WATER:
                water_s[row, col], water_c[row, col] = 0.8, 0.05
            elif mark != ROCK:
                walk[row, col], run[row, col], chakra[row, col] = 1.0, 0.5, 0.01
            if mark.isalpha():
                names[mark] = (row, col)
    costs = SimpleNamespace(
        walk_s_per_m=walk, run_s_per_m=run, run_chakra_per_m=chakra,
        water_s_per_m=water_s, water_chakra_per_m=water_c, cell_size=10.0,
    )  # fmt: skip
    return costs, names


LAKE = """
S~~~A
.~~~.
.~~~.
.....
"""

ISLAND = """
.......
.~~~~~.
.~~I~~.
.~~~~~.
S.....B
"""


def crosses_water(costs: SimpleNamespace, path: list[tuple[int, int]]) -> bool:
    return any(math.isfinite(costs.water_s_per_m[cell]) for cell in path)


def test_with_enough_chakra_the_route_crosses_the_lake() -> None:
    costs, at = drawn(LAKE)
    # Walking onto the water and off it is 5 m of water-walking, 0.25 chakra, counted as 0.3 (each
    # move's chakra is rounded up to a tenth); running the land half adds 0.05, still counted 0.3, so
    # those moves are run (2.5 + 4 s); the two moves over the water are 0.5 chakra and 8 s each.
    reach = route(costs, at["S"], at["A"], budget=1.6)
    assert reach is not None and crosses_water(costs, reach.path)
    assert reach.time_s == pytest.approx(6.5 + 8 + 8 + 6.5) and reach.chakra == pytest.approx(1.6)


def test_chakra_is_counted_in_tenths_rounded_up_so_a_route_never_needs_more_than_the_budget() -> None:
    costs, at = drawn(LAKE)
    # 1.5 chakra would cover the crossing's exact 0.25 + 0.5 + 0.5 + 0.25, but not as counted (1.6):
    # the route runs round the lake instead (six straight runs of 0.1, two diagonal ones of 0.1414 → 0.2).
    reach = route(costs, at["S"], at["A"], budget=1.5)
    assert reach is not None and not crosses_water(costs, reach.path)
    assert reach.chakra == pytest.approx(1.0) and reach.time_s == pytest.approx(30 + 2 * 5 * math.sqrt(2))


def test_without_chakra_the_route_walks_around_the_lake() -> None:
    costs, at = drawn(LAKE)
    reach = route(costs, at["S"], at["A"], budget=0)
    assert reach is not None and not crosses_water(costs, reach.path)
    assert set(reach.modes) == {"walk"} and reach.chakra == 0
    assert reach.time_s == pytest.approx(60 + 2 * 10 * math.sqrt(2))


def test_an_island_shelter_is_offered_only_with_chakra_to_cross_the_water() -> None:
    costs, at = drawn(ISLAND)
    shelters = {"island": at["I"], "shore": at["B"]}
    assert [reach.key for reach in search(costs, at["S"], 0, shelters)] == ["shore"]
    assert [reach.key for reach in search(costs, at["S"], 5, shelters)] == ["island", "shore"]


def test_a_shelter_out_of_the_budgets_reach_is_not_searched_for() -> None:
    costs, at = drawn(ISLAND)
    searcher = Searcher(costs, {"island": at["I"], "shore": at["B"]})
    # the island is two water cells in, 0.3 + 0.3 chakra at least: with 0.5 it is out of reach, and the
    # search does exactly the work of asking for the shore alone instead of ruling the island out.
    assert [reach.key for reach in searcher.search(at["S"], 0.5)] == ["shore"]
    work = searcher.last_work.copy()
    assert [reach.key for reach in searcher.search(at["S"], 0.5, among=["shore"])] == ["shore"]
    assert np.array_equal(work, searcher.last_work)
    assert [reach.key for reach in searcher.search(at["S"], 0.6)] == ["shore", "island"]


RIVER = """
S....#....
.....#....
~~~~~~~~~~
..........
.........E
"""


def _without_running(costs: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(**{**vars(costs), "run_s_per_m": np.full_like(costs.run_s_per_m, np.inf)})


def test_where_nobody_runs_chakra_is_priced_by_the_walk_a_crossing_saves() -> None:
    costs, _ = drawn(RIVER)
    seconds, chakra, _ = mode_tables(_without_running(costs))
    prices, _, ranked, _ = exchange_prices(seconds, chakra, costs.walk_s_per_m.shape, costs.cell_size)
    # walking 1 s a metre; water 0.05 chakra (0.5 tenths) a metre: 2 s a tenth for one metre of walk
    # saved per metre of water, up to 200 s for a hundred
    assert prices[0] == 0 and prices[1:] == pytest.approx(np.geomspace(2e6, 2e8, CROSSING_PRICES))
    assert ranked[0] == 0 and sorted(ranked) == list(range(CROSSING_PRICES + 1))


@pytest.mark.parametrize("budget", [0.0, 0.5, 1.0, 1.5, 2.0, 5.0])
def test_the_crossing_prices_change_no_answer_only_the_work(monkeypatch: pytest.MonkeyPatch, budget: float) -> None:
    costs, at = drawn(RIVER)
    costs = _without_running(costs)
    targets = {"east": at["E"], "corner": (4, 0), "north": (0, 9)}
    priced = Searcher(costs, targets)
    monkeypatch.setattr("refuge.terrain.search.CROSSING_PRICES", 0)
    plain = Searcher(costs, targets)
    assert plain.bounds[1].tolist() == [0.0, 1.0] and priced.bounds[1].size == CROSSING_PRICES + 1
    answers = [[(r.key, r.time_s, r.chakra) for r in s.search(at["S"], budget)] for s in (priced, plain)]
    assert answers[0] == answers[1]


def test_a_budget_between_walking_and_running_runs_part_of_the_way() -> None:
    costs, at = drawn("S.........E")
    all_walk = route(costs, at["S"], at["E"], budget=0)
    all_run = route(costs, at["S"], at["E"], budget=1.0)
    part = route(costs, at["S"], at["E"], budget=0.45)
    assert all_walk and all_run and part
    assert (all_walk.time_s, part.time_s, all_run.time_s) == pytest.approx((100, 80, 50))
    assert part.modes.count("run") == 4 and part.chakra == pytest.approx(0.4)


def test_a_target_reachable_only_beyond_the_budget_is_not_returned() -> None:
    costs, at = drawn(LAKE)
    assert route(costs, at["S"], (1, 2), budget=0.79) is None  # 0.25 + 0.5, counted 0.3 + 0.5
    assert route(costs, at["S"], (1, 2), budget=0.8) is not None


def test_targets_are_ranked_by_arrival_time_and_the_limit_is_respected() -> None:
    costs, at = drawn("S.a....b..c")
    targets = {"far": at["c"], "near": at["a"], "middle": at["b"]}
    assert [reach.key for reach in search(costs, at["S"], 0, targets)] == ["near", "middle", "far"]
    assert [reach.key for reach in search(costs, at["S"], 0, targets, limit=2)] == ["near", "middle"]
    times = [reach.time_s for reach in search(costs, at["S"], 0, targets)]
    assert times == sorted(times)


def test_a_diagonal_between_two_impassable_cells_is_refused() -> None:
    costs, at = drawn("S#\n#A")
    assert route(costs, at["S"], at["A"], budget=10) is None


def test_a_diagonal_past_one_impassable_cell_is_allowed() -> None:
    costs, at = drawn("S.\n#A")
    reach = route(costs, at["S"], at["A"], budget=0)
    assert reach is not None and reach.path == [at["S"], at["A"]]
    assert reach.distance_m == pytest.approx(10 * math.sqrt(2))


def test_an_impassable_target_is_left_out_and_the_others_returned() -> None:
    costs, at = drawn("S..#")
    assert [reach.key for reach in search(costs, at["S"], 0, {"rock": (0, 3), "field": (0, 2)})] == ["field"]


def test_nothing_is_reachable_from_an_impassable_start() -> None:
    costs, _ = drawn("#..")
    assert not passable(costs, (0, 0)) and passable(costs, (0, 1))
    assert search(costs, (0, 0), 10, {"field": (0, 2)}) == []


def test_a_target_at_the_start_is_reached_at_once() -> None:
    costs, at = drawn("S..")
    reach = route(costs, at["S"], at["S"], budget=0)
    assert reach is not None and (reach.time_s, reach.chakra, reach.path, reach.distance_m) == (0, 0, [at["S"]], 0)


def test_a_searcher_answers_only_among_the_targets_asked_for() -> None:
    costs, at = drawn("S.a....b..c")
    searcher = Searcher(costs, {"a": at["a"], "b": at["b"], "c": at["c"]})
    assert [reach.key for reach in searcher.search(at["S"], 0, among={"b", "c"})] == ["b", "c"]
    reach = searcher.route(at["S"], "c", 0)
    assert reach is not None and reach.path[-1] == at["c"]


def test_the_distance_is_the_length_of_the_path() -> None:
    costs, at = drawn(LAKE)
    reach = route(costs, at["S"], at["A"], budget=0)
    assert reach is not None and reach.distance_m == pytest.approx(60 + 2 * 10 * math.sqrt(2))


@pytest.mark.parametrize("budget", [-1.0, math.nan, math.inf])
def test_a_budget_that_is_not_a_number_from_zero_up_is_refused(budget: float) -> None:
    costs, at = drawn("S.")
    with pytest.raises(InvalidInput, match=f"must be a finite number from 0 up, not {budget}"):
        route(costs, at["S"], (0, 1), budget=budget)


def test_negative_travel_costs_are_refused() -> None:
    costs, at = drawn("S.")
    costs.run_chakra_per_m[0, 1] = -0.5
    with pytest.raises(InvalidInput, match="non-negative"):
        Searcher(costs, {"a": (0, 1)})


def test_a_cell_off_the_grid_is_refused() -> None:
    costs, at = drawn("S.")
    with pytest.raises(InvalidInput, match="off the"):
        Searcher(costs, {"a": (3, 0)})


@pytest.mark.parametrize(
    ("to_xy", "bearing"), [((0, 10), 0), ((10, 10), 45), ((10, 0), 90), ((0, -10), 180), ((-10, 0), 270)]
)
def test_bearings_are_clockwise_from_north(to_xy: tuple[float, float], bearing: float) -> None:
    assert bearing_deg((0, 0), to_xy) == pytest.approx(bearing)


def test_a_path_keeps_only_its_ends_and_turning_points() -> None:
    path = [(0, 0), (0, 1), (0, 2), (1, 3), (2, 4), (3, 4), (4, 4)]
    assert turning_points(path) == [(0, 0), (0, 2), (2, 4), (4, 4)]
    assert turning_points([(0, 0)]) == [(0, 0)]


def test_a_target_beyond_each_cells_few_nearest_listed_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each cell lists its two nearest targets; from S those are a and b, not c, which is asked for.
    costs, cells = drawn("Sab.....c")
    monkeypatch.setattr("refuge.terrain.search.NEAREST_LISTED", 2)
    among_many = Searcher(costs, cells).search(cells["S"], 0.5, among={"c"})
    alone = Searcher(costs, {"c": cells["c"]}).search(cells["S"], 0.5)
    assert [(r.key, r.time_s, r.chakra) for r in among_many] == [(r.key, r.time_s, r.chakra) for r in alone]
    assert among_many and among_many[0].chakra > 0


def test_where_many_routes_tie_exactly_the_search_follows_one_of_them() -> None:
    # Open ground of one kind, 100 m cells: every route with the same numbers of straight and diagonal
    # moves, run or walked in the same numbers, takes exactly as long. The bounds are exact here, and
    # kept to the microsecond, so the estimates tie exactly and the search, going further first among
    # equals, expands one route's cells rather than the whole band of tied ones.
    shape = (120, 120)
    costs = SimpleNamespace(walk_s_per_m=np.full(shape, 1.0), run_s_per_m=np.full(shape, 0.5),
                            run_chakra_per_m=np.full(shape, 0.01), water_s_per_m=np.full(shape, np.inf),
                            water_chakra_per_m=np.zeros(shape), cell_size=100.0)
    searcher = Searcher(costs, {"goal": (119, 70)})
    (reach,) = searcher.search((0, 0), 3.0, limit=1)
    assert reach.chakra == 3.0 and len(reach.path) == 120  # 70 diagonal and 49 straight moves
    assert searcher.last_work[1] < 2 * len(reach.path)  # cells expanded (the tied band holds thousands)


def _open_ground(chakra_per_m: float) -> SimpleNamespace:
    shape = (120, 120)
    return SimpleNamespace(walk_s_per_m=np.full(shape, 1.0), run_s_per_m=np.full(shape, 0.5),
                           run_chakra_per_m=np.full(shape, chakra_per_m), water_s_per_m=np.full(shape, np.inf),
                           water_chakra_per_m=np.zeros(shape), cell_size=100.0)


@pytest.mark.parametrize("residues", [True, False])
def test_where_the_budget_cannot_all_go_at_the_best_rate_the_bound_still_knows_the_answer(
        monkeypatch: pytest.MonkeyPatch, residues: bool) -> None:
    # A straight run spends 3 tenths (0.25 rounded up), a diagonal 4 (0.354) and saves more a tenth. With
    # 2.9 points, 29 tenths, the best is not seven diagonals (28) but five and three straight runs (29):
    # priced as if any amount could go at the diagonals' rate, the bound is 9 s low everywhere on the
    # way, and every route within those 9 s must be searched. Counting each route's tenths modulo 4
    # tells the bound what whole moves can spend; it is then exact and the search goes straight there.
    if not residues:
        monkeypatch.setattr("refuge.terrain.search.MAX_MODULUS", 1)
    searcher = Searcher(_open_ground(0.0025), {"goal": (119, 70)})
    (reach,) = searcher.search((0, 0), 2.9, limit=1)
    assert reach.chakra == 2.9 and reach.modes.count("run") == 8
    walked = 49 * 100 + 70 * 100 * math.sqrt(2.0)
    assert reach.time_s == pytest.approx(walked - 3 * 50 - 5 * 50 * math.sqrt(2.0), abs=1e-3)
    expanded = searcher.last_work[1]
    assert (expanded < 2 * len(reach.path)) if residues else (expanded > 10 * len(reach.path))


def _river_with_a_bridge() -> tuple[SimpleNamespace, dict[str, tuple[int, int]]]:
    """A river three cells wide across the map, bridged only at its east end; S on the near bank at the
    west end, E just across from it."""
    rows = ["." * 60 for _ in range(23)]
    rows[16] = "S" + "." * 59
    rows[17] = rows[18] = rows[19] = WATER * 59 + LAND
    rows[22] = "E" + "." * 59
    return drawn("\n".join(rows))


@pytest.mark.parametrize("wade_cells", [3, 0])
def test_below_a_fords_price_the_bound_knows_the_bridge_is_the_way_over(monkeypatch: pytest.MonkeyPatch,
                                                                         wade_cells: int) -> None:
    # Wading across costs 16 tenths (3 + 5 + 5 + 3); with 1 point S goes round by the bridge. Priced as if
    # part of a ford could be paid for, the bound on the near bank sees the far bank a few metres away, so
    # every cell of the bank sooner than the bridge's time is searched. With fewer tenths left than three
    # water cells cost (15), the bound is that of the routes spending less than that in water, which
    # cannot cross: the search walks to the bridge. WADE_CELLS = 0 turns that bound off.
    monkeypatch.setattr("refuge.terrain.search.WADE_CELLS", wade_cells)
    costs, at = _river_with_a_bridge()
    searcher = Searcher(costs, {"across": at["E"], "corner": (0, 59)})
    found = searcher.search(at["S"], 1.0)
    assert [reach.key for reach in found] == ["corner", "across"]
    across = found[1]
    assert (17, 59) in across.path and not crosses_water(costs, across.path) and across.chakra == 1.0
    near_bank = 17 * 60
    expanded = searcher.last_work[1]
    assert expanded < near_bank / 2 if wade_cells else expanded > near_bank


def test_where_only_water_costs_chakra_a_large_budget_makes_a_page_or_two_a_row() -> None:
    # Nobody runs: a cell's times are a few amounts of chakra far apart (none, or a ford's worth), so of a
    # row 4,001 tenths wide (63 pages of 64) only the pages where a time lands are made.
    costs, at = _river_with_a_bridge()
    searcher = Searcher(_without_running(costs), {"across": at["E"], "corner": (0, 59)})
    found = searcher.search(at["S"], 400.0)
    assert [reach.key for reach in found] == ["across", "corner"] and crosses_water(costs, found[0].path)
    rows, pages = searcher.last_work[0], searcher.last_work[4]
    assert rows > 100 and pages <= 2 * rows


def test_the_pages_kept_from_one_search_to_the_next_change_no_answer() -> None:
    costs, at = _river_with_a_bridge()
    targets = {"across": at["E"], "corner": (0, 59), "middle": (10, 30)}
    questions = [(at["S"], 40.0), ((0, 0), 0.5), ((22, 59), 3.0), (at["S"], 40.0), ((5, 5), 0.0), ((12, 40), 1.7)]
    kept = Searcher(costs, targets)
    for start, budget in questions:
        fresh = Searcher(costs, targets)
        assert [(r.key, r.time_s, r.chakra, r.path) for r in kept.search(start, budget)] == \
            [(r.key, r.time_s, r.chakra, r.path) for r in fresh.search(start, budget)]


def test_a_search_that_starts_with_one_page_grows_its_arrays_and_answers_the_same() -> None:
    costs, at = _river_with_a_bridge()
    plain, _ = drawn("\n".join(["." * 150] * 100))  # far corners: more rows and heap than the search starts with
    for costs, targets, questions in [
        (costs, {"across": at["E"], "corner": (0, 59), "middle": (10, 30)},
         [(at["S"], 40.0), ((22, 59), 3.0), ((12, 40), 1.7)]),
        (plain, {"far": (99, 149), "near": (50, 0)}, [((0, 0), 5.0), ((0, 149), 0.4)]),
    ]:
        roomy, cramped = Searcher(costs, targets), Searcher(costs, targets)
        for start, budget in questions:
            roomy._pages = new_pages(4096)
            cramped._pages = new_pages(1)  # the pages grow while the search runs
            expected = [(r.key, r.time_s, r.chakra, r.path) for r in roomy.search(start, budget)]
            assert [(r.key, r.time_s, r.chakra, r.path) for r in cramped.search(start, budget)] == expected
            assert cramped._pages[0].shape[0] > 1
    assert cramped.last_work[0] > 256  # and so do the rows: more than the search starts with room for


@given(st.lists(st.one_of(st.floats(0, 100), st.just(math.inf)), min_size=1, max_size=12),
       st.lists(st.booleans(), min_size=12, max_size=12), st.integers(1, 14))
def test_the_ceiling_is_the_limit_th_least_time_among_the_wanted_targets(times: list[float], wanted: list[bool],
                                                                           limit: int) -> None:
    best, chosen = np.array(times), np.array(wanted[:len(times)])
    among = sorted(best[chosen])
    expected = among[limit - 1] if limit <= len(among) else math.inf
    assert _ceiling(best, chosen, limit, np.empty(len(times))) == expected
