"""Field navigation over a small terrain: the lake, chakra budgets, clearance, needs and bad input."""

from __future__ import annotations

import math
import re

import pytest

from refuge.domain.errors import InvalidInput, UnknownPerson
from refuge.services.navigation import WAYPOINT_TOLERANCE_M, Leg, Navigator, _way
from refuge.terrain.search import bearing_deg
from refuge.store.database import Database
from tests.factories import NOW
from tests.terrain_factory import add_terrain, small_terrain

SHORE = "44000,40000"  # on the lake's west shore, 6 km of which 3 km are water from the island


@pytest.fixture
def navigator(db: Database) -> Navigator:
    add_terrain(db)
    return Navigator(db)


def codes(found) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.shelter.code for d in found.destinations]


def test_with_no_chakra_the_island_shelter_is_not_offered_and_the_answer_is_on_land(navigator: Navigator) -> None:
    found = navigator.nearest(SHORE, chakra=0, as_person="tsunade", now=NOW)
    assert "LF-003" not in codes(found)
    assert codes(found)[0] == "LF-002"


def test_with_enough_chakra_the_island_shelter_is_the_nearest(navigator: Navigator) -> None:
    found = navigator.nearest(SHORE, chakra=100, profile="walking", as_person="tsunade", now=NOW)
    island = found.destinations[0]
    assert island.shelter.code == "LF-003"
    assert 0 < island.leg.chakra <= 100
    assert island.leg.bearing_deg == pytest.approx(90.0)


def test_a_budget_below_the_least_crossing_cost_leaves_the_island_out(navigator: Navigator) -> None:
    # About 3 km of lake at 6 chakra a km (a little less where the grid's cells cut the circle's edge).
    short = navigator.nearest(SHORE, chakra=12, profile="walking", as_person="tsunade", now=NOW)
    assert "LF-003" not in codes(short)
    enough = navigator.nearest(SHORE, chakra=30, profile="walking", as_person="tsunade", now=NOW)
    assert codes(enough)[0] == "LF-003" and 12 < enough.destinations[0].leg.chakra <= 30


def test_shelters_above_the_askers_clearance_never_appear(navigator: Navigator) -> None:
    assert "LF-003" not in codes(navigator.nearest(SHORE, chakra=100, profile="walking", as_person="kakashi", now=NOW))
    assert codes(navigator.nearest("10000,20000", chakra=100, profile="walking", as_person="iruka", limit=None,
                                   now=NOW)) == ["LF-001"]


def test_running_with_chakra_arrives_sooner_than_walking(navigator: Navigator) -> None:
    walked = navigator.nearest("10000,10000", chakra=0, profile="walking", as_person="tsunade", limit=1,
                               now=NOW).destinations[0]
    ran = navigator.nearest("10000,10000", chakra=50, profile="running", as_person="tsunade", limit=1,
                            now=NOW).destinations[0]
    assert ran.shelter == walked.shelter
    assert ran.leg.time_s < walked.leg.time_s and ran.leg.chakra > 0


def test_needs_keep_only_shelters_holding_them_and_say_what_they_hold(navigator: Navigator) -> None:
    found = navigator.nearest("30000,25000", needs=["first-aid"], chakra=0, as_person="tsunade", now=NOW)
    assert codes(found) == ["LF-002", "LF-001"]
    assert [(sku, q) for sku, _name, q in found.destinations[0].holds["first-aid"]] == [("AID-BANDAGE", 1)]


def test_the_cliff_wall_is_walked_around(navigator: Navigator) -> None:
    along = navigator.route("LF-001", "35000,20000", chakra=0, profile="walking", as_person="iruka").leg
    assert along.distance_m == pytest.approx(25_000)  # straight along the road: the wall is further east
    across = navigator.route("35000,20000", "45000,20000", chakra=0, profile="walking").leg
    # Straight across is 10 km; round the wall's northern end (y = 30 km) is at least 2 × √(5² + 10²) ≈ 22.4 km.
    assert across.distance_m > 22_000


def test_a_route_is_told_in_a_few_straight_stretches_that_keep_within_250_m_of_it(navigator: Navigator) -> None:
    found = navigator.route("35000,21000", "45000,19000", chakra=0, profile="walking")  # round the cliff wall
    check_way(found.way, found.leg.route, (35000, 21000), (45000, 19000))
    # a road across the grid at a slant is a staircase of straight and diagonal moves: told as one stretch
    stairs = [(1_000.0 + 150 * i + 100 * (i // 2), 2_000.0 + 100 * i) for i in range(40)]
    leg = Leg(5_000.0, 3_600.0, 0.0, 0.0, stairs, [])
    way = _way(small_terrain(), stairs[0], stairs[-1], leg)
    assert len(way) == 2
    check_way(way, stairs, stairs[0], stairs[-1])


def check_way(way: list, turns: list, start: tuple[float, float], end: tuple[float, float]) -> None:
    assert (way[0].x, way[0].y, way[-1].x, way[-1].y) == (*start, *end)
    assert 2 <= len(way) <= len(turns)
    for before, here in zip(way, way[1:]):
        assert here.distance_m == pytest.approx(math.hypot(here.x - before.x, here.y - before.y))
        assert here.bearing_deg == pytest.approx(bearing_deg((before.x, before.y), (here.x, here.y)))
    stretches = [((a.x, a.y), (b.x, b.y)) for a, b in zip(way, way[1:])]
    for point in turns[1:-1]:
        assert min(_off(point, *stretch) for stretch in stretches) <= WAYPOINT_TOLERANCE_M + 1e-6


def _off(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """How far a point is from the segment a-b."""
    ax, ay, bx, by, px, py = *a, *b, *point
    span = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0 if span == 0 else max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / span))
    return math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay))


def test_a_route_to_a_shelter_the_asker_may_not_know_reads_like_one_that_does_not_exist(navigator: Navigator) -> None:
    with pytest.raises(InvalidInput) as hidden:
        navigator.route("LF-001", "LF-003", chakra=100, as_person="iruka")
    with pytest.raises(InvalidInput) as missing:
        navigator.route("LF-001", "LF-099", chakra=100, as_person="iruka")
    assert str(hidden.value).replace("LF-003", "X") == str(missing.value).replace("LF-099", "X")


@pytest.mark.parametrize(("goal", "message"), [
    ("70000,10000", "position (70000, 10000) is off the map"),
    ("Z9 1234", "grid reference 'Z9 1234': column Z is off the map; the columns run A–F"),
    ("Konoha", "'Konoha' is not a shelter you may know of, a place, or a position"),
])
def test_a_route_to_a_bad_position_says_what_is_wrong_with_it(navigator: Navigator, goal: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        navigator.route("LF-001", goal, chakra=0, profile="walking")


@pytest.mark.parametrize(
    ("at", "extra", "message"),
    [
        ("70000,10000", {}, "off the map"),
        ("40000,20000", {}, r"impassable terrain \(cliff\)"),
        ("Z9 1234", {}, "Z"),
        ("10000,10000", {"profile": "flying"}, "flying"),
        ("10000,10000", {"chakra": -1}, "negative"),
        ("10000,10000", {"chakra": float("nan")}, "chakra must be a finite number of points, not nan"),
        ("10000,10000", {"chakra": float("inf")}, "chakra must be a finite number of points, not inf"),
        ("10000,10000", {"needs": ["cake"]}, "need 'cake'"),
        ("10000,10000", {"limit": 0}, "limit"),
    ],
)
def test_bad_questions_get_a_specific_error(navigator: Navigator, at: str, extra: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        navigator.nearest(at, now=NOW, **extra)


def test_an_unknown_person_is_named(navigator: Navigator) -> None:
    with pytest.raises(UnknownPerson, match="orochimaru"):
        navigator.nearest("10000,10000", as_person="orochimaru", now=NOW)


def test_a_network_without_terrain_says_how_to_get_one(db: Database) -> None:
    with pytest.raises(InvalidInput, match="no terrain"):
        Navigator(db).nearest("10000,10000", now=NOW)


def test_a_search_that_gives_up_says_so_and_keeps_what_it_found(navigator: Navigator) -> None:
    found = navigator.nearest("10000,10000", chakra=50, profile="walking", as_person="tsunade", limit=2, now=NOW)
    assert found.complete and len(found.destinations) == 2
    searcher = next(iter(navigator._searchers.values()))
    searcher.max_entries = 200
    cut = navigator.nearest("10000,10000", chakra=50, profile="walking", as_person="tsunade", limit=2, now=NOW)
    assert not cut.complete
    assert [d.shelter.code for d in cut.destinations] == [d.shelter.code for d in found.destinations][:len(cut.destinations)]


def test_a_server_walking_down_its_trees_answers_as_a_search_does(db: Database) -> None:
    add_terrain(db)
    searching, walking = Navigator(db), Navigator(db, keep_trees=True)
    assert walking.warm() == 3
    for at in ("10000,10000", "30000,25000", "44000,40000", "59000,1000"):
        for person, needs in (("tsunade", None), ("kakashi", ["first-aid"]), ("iruka", None)):
            a = searching.nearest(at, needs, chakra=0, profile="walking", as_person=person, limit=None, now=NOW)
            b = walking.nearest(at, needs, chakra=0, profile="walking", as_person=person, limit=None, now=NOW)
            # Equally fast ways may differ (open grassland has many); the ends, times and lengths may not.
            assert [(d.shelter.code, round(d.leg.time_s, 6), d.leg.route[0], d.leg.route[-1]) for d in a.destinations] \
                == [(d.shelter.code, round(d.leg.time_s, 6), d.leg.route[0], d.leg.route[-1]) for d in b.destinations]
    assert Navigator(db, keep_trees=True).warm("injured") == 3


def test_a_route_search_that_gives_up_offers_the_way_without_chakra_and_says_so(navigator: Navigator) -> None:
    full = navigator.route("LF-001", "LF-002", chakra=50, profile="running", as_person="tsunade")
    assert full.complete and full.leg.chakra > 0
    for searcher in navigator._route_searchers.values():
        searcher.max_entries = 50
    cut = navigator.route("LF-001", "LF-002", chakra=50, profile="running", as_person="tsunade")
    walked = navigator.route("LF-001", "LF-002", chakra=0, profile="running", as_person="tsunade")
    assert not cut.complete and cut.leg.chakra == 0 and cut.leg.time_s == pytest.approx(walked.leg.time_s)
    assert cut.leg.time_s > full.leg.time_s


def test_one_searcher_per_profile_answers_every_person_and_need_exactly(db: Database) -> None:
    add_terrain(db)
    warmed = Navigator(db)
    assert warmed.warm_search("running") == 3
    prepared = dict(warmed._searchers)
    asked = [("kakashi", ["first-aid"]), ("iruka", None), ("tsunade", ["food"]), ("tsunade", None)]
    answers = {}
    for person, needs in asked:
        found = warmed.nearest(SHORE, needs, chakra=30, profile="running", as_person=person, limit=None, now=NOW)
        times = [d.leg.time_s for d in found.destinations]
        assert found.complete and times == sorted(times) and all(d.leg.chakra <= 30 for d in found.destinations)
        answers[person, tuple(needs or ())] = codes(found)
    assert "LF-003" not in answers["kakashi", ("first-aid",)] and answers["tsunade", ()][0] == "LF-003"
    assert set(answers["tsunade", ("food",)]) <= set(answers["tsunade", ()])
    assert warmed._searchers == prepared  # no searcher built per person or per need
    with pytest.raises(InvalidInput, match="unknown travel profile"):
        warmed.warm_search("no-such-profile")


def test_warming_a_network_without_terrain_does_nothing(db: Database) -> None:
    assert Navigator(db).warm_search() == 0


def test_the_server_prepares_the_profiles_named_and_says_which_it_could_not(db: Database, caplog) -> None:  # type: ignore[no-untyped-def]
    from refuge.api.app import warm_navigator

    add_terrain(db)
    navigator = Navigator(db, keep_trees=True)
    with caplog.at_level("INFO", logger="refuge.api"):
        warm_navigator(navigator, ["no-such-profile", "running"])
    assert [key[0] for key in navigator._searchers] == ["running"]
    assert "no-such-profile route search not prepared: unknown travel profile" in caplog.text
    assert "running route search ready for 3 shelters" in caplog.text
