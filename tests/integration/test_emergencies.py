"""Emergencies: responders filtered by skill, condition, availability and clearance, ranked by travel time."""

from __future__ import annotations

import math

import pytest

from refuge.domain.errors import Conflict, InvalidInput, UnknownPerson
from refuge.domain.missions import MissionKind, MissionStatus
from refuge.services import emergencies, missions
from refuge.store.database import Database
from tests.desk_factory import load_desk_network
from tests.factories import NOW
from tests.terrain_factory import add_terrain


@pytest.fixture
def desk(empty_db: Database) -> Database:
    load_desk_network(empty_db)
    return empty_db


def handles(proposal: emergencies.Proposal) -> list[str]:
    return [r.person.handle for r in proposal.responders]


def test_without_terrain_responders_are_ranked_by_straight_line_time(desk: Database) -> None:
    found = emergencies.propose(desk, "medic", "LF-001", "kiba", now=NOW)
    # LF-001 is at (10 km, 20 km); sakura stands 2.2 km away, tsunade at the village 10 km, shizune 11 km,
    # kabuto 47 km.
    assert handles(found) == ["sakura", "tsunade", "shizune", "kabuto"]
    assert [r.start_from for r in found.responders] == ["recorded position", "Leaf", "recorded position",
                                                        "recorded position"]
    sakura = found.responders[0]
    assert sakura.method == "straight line" and sakura.time_s == pytest.approx(math.dist((12_000, 21_000), (10_000, 20_000)) / (5000 / 3600))
    assert [r.time_s for r in found.responders] == sorted(r.time_s for r in found.responders)


def test_the_injured_the_absent_and_those_without_the_skill_are_left_out_with_the_reason(desk: Database) -> None:
    found = emergencies.propose(desk, "medic", "LF-001", "kiba", now=NOW)
    assert dict(found.excluded) == {"ino": "not fit (injured)", "hinata": "not available (leave)"}
    assert "iruka" not in handles(found) and "kakashi" not in handles(found)


def test_only_responders_cleared_for_the_place_are_proposed(desk: Database) -> None:
    found = emergencies.propose(desk, "medic", "LF-002", "kiba", now=NOW)  # LF-002 needs clearance 3
    assert handles(found) == ["shizune", "tsunade"]
    assert dict(found.excluded)["sakura"] == "clearance 2, 3 needed"


def test_someone_on_a_mission_is_not_proposed(desk: Database) -> None:
    code = missions.create(desk, "Patrol", "c", leader="sakura", now=NOW).code
    assert code and "sakura" not in handles(emergencies.propose(desk, "medic", "LF-001", "kiba", now=NOW))


def test_the_shelters_on_the_way_are_listed_with_what_they_hold(desk: Database) -> None:
    found = emergencies.propose(desk, "medic", "LF-001", "kiba", now=NOW)
    shelters = found.responders[0].shelters
    assert shelters[0][0] == "LF-001" and shelters[0][3]["first-aid"] > 0
    assert all(code != "LF-003" for r in found.responders for code, *_ in r.shelters if r.person.clearance < 5)


def test_with_terrain_responders_are_ranked_by_terrain_travel_time(desk: Database) -> None:
    add_terrain(desk)
    found = emergencies.propose(desk, "medic", "Leaf", "kiba", now=NOW)
    assert all(r.method == "terrain" for r in found.responders)
    assert [r.time_s for r in found.responders] == sorted(r.time_s for r in found.responders)
    # Terrain never makes the way shorter than the straight line.
    assert all(r.distance_m >= math.dist(r.start, found.at) - 1000 for r in found.responders)
    assert found.responders[0].route[0] == found.responders[0].start and found.responders[0].route[-1] == found.at


def test_each_responder_gets_their_fastest_route_within_their_own_chakra(desk: Database) -> None:
    from refuge.services.navigation import Navigator

    add_terrain(desk)
    found = emergencies.propose(desk, "medic", "Leaf", "kiba", now=NOW)
    navigator = Navigator(desk)
    for responder in found.responders:
        assert responder.chakra <= responder.person.max_chakra
        x, y = responder.start
        alone = navigator.route(f"{x:.0f},{y:.0f}", "Leaf", chakra=responder.person.max_chakra, profile="running")
        assert responder.time_s == pytest.approx(alone.leg.time_s, abs=1e-3)


def test_responders_a_capped_search_did_not_reach_get_their_way_without_chakra(desk: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from refuge.terrain.search import Searcher

    add_terrain(desk)
    exact = emergencies.propose(desk, "medic", "Leaf", "kiba", now=NOW)
    monkeypatch.setattr(emergencies, "Searcher",
                        lambda costs, targets, **options: Searcher(costs, targets, max_entries=3, **options))
    capped = emergencies.propose(desk, "medic", "Leaf", "kiba", now=NOW)
    assert {r.person.handle for r in capped.responders} == {r.person.handle for r in exact.responders}
    walked = [r for r in capped.responders if r.method.startswith("terrain, without chakra")]
    assert walked and all(r.chakra == 0 for r in walked)
    before = {r.person.handle: r.time_s for r in exact.responders}
    assert all(r.time_s >= before[r.person.handle] - 1e-6 for r in walked)


@pytest.mark.parametrize(("args", "error"), [
    (("medic", "LF-001", "orochimaru"), UnknownPerson),
    (("medic", "Atlantis", "kiba"), InvalidInput),
    (("", "LF-001", "kiba"), InvalidInput),
])
def test_bad_emergencies_get_a_specific_error(desk: Database, args: tuple, error: type) -> None:
    with pytest.raises(error):
        emergencies.propose(desk, *args, now=NOW)


def test_accepting_sends_the_responder_on_a_rescue_mission_with_check_ins(desk: Database) -> None:
    mission, chosen = emergencies.accept(desk, "medic", "LF-001", "kiba", "sakura", now=NOW)
    assert chosen.person.handle == "sakura"
    assert mission.kind is MissionKind.RESCUE and mission.status is MissionStatus.UNDER_WAY and mission.subject == "kiba"
    view = missions.show(desk, mission.code)
    assert view.due is not None and view.due.due_at == NOW + __import__("datetime").timedelta(hours=2)
    assert "sakura" not in handles(emergencies.propose(desk, "medic", "LF-001", "kiba", now=NOW))


def test_accepting_someone_who_may_not_go_is_refused_with_the_reason(desk: Database) -> None:
    with pytest.raises(Conflict, match="ino cannot be sent: not fit"):
        emergencies.accept(desk, "medic", "LF-001", "kiba", "ino", now=NOW)
    assert missions.missions(desk) == []
