"""The travel-time matrix over the small terrain: exact legs, the cache, rebuilding, clearance, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from refuge.domain.errors import InvalidInput, UnknownPerson
from refuge.services.navigation import Navigator
from refuge.store.database import Database
from refuge.store.tables import ShelterRow, TravelMatrixRow
from tests.factories import NOW
from tests.terrain_factory import add_terrain


@pytest.fixture
def navigator(db: Database) -> Navigator:
    add_terrain(db)
    return Navigator(db)


def cached_rows(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(TravelMatrixRow))


def test_every_leg_is_the_fastest_route_and_the_island_needs_chakra(navigator: Navigator) -> None:
    matrix = navigator.matrix(now=NOW)
    assert [p.key for p in matrix.points] == ["Leaf", "LF-001", "LF-002", "LF-003"]
    assert (matrix.profile, matrix.chakra, matrix.cached, matrix.complete) == ("walking", 0.0, False, True)
    for origin in ("Leaf", "LF-001", "LF-002"):
        for goal in ("Leaf", "LF-001", "LF-002"):
            if origin != goal:
                leg = navigator.route(origin, goal, chakra=0, profile="walking", as_person="tsunade").leg
                assert matrix.time_s(origin, goal) == pytest.approx(leg.time_s, abs=0.05)
                assert matrix.distance_m[matrix.index(origin)][matrix.index(goal)] == pytest.approx(leg.distance_m,
                                                                                                    abs=0.05)
    island = matrix.index("LF-003")
    assert all(matrix.seconds[island][j] is None for j in range(4) if j != island)
    assert all(matrix.seconds[i][island] is None for i in range(4) if i != island)
    wet = navigator.matrix(chakra=100, now=NOW)
    assert wet.time_s("Leaf", "LF-003") is not None and wet.chakra_used[0][island] > 0
    assert wet.time_s("Leaf", "LF-001") == pytest.approx(matrix.time_s("Leaf", "LF-001"), abs=0.05)


def test_the_second_ask_reads_the_cache_and_a_moved_shelter_rebuilds_it(navigator: Navigator, db: Database) -> None:
    first = navigator.matrix(now=NOW)
    again = navigator.matrix(now=NOW)
    assert again.cached and again.seconds == first.seconds and again.built_at == first.built_at
    assert cached_rows(db) == 1
    with db.writing() as session:
        session.execute(update(ShelterRow).where(ShelterRow.code == "LF-001").values(x=12_000.0))
    moved = navigator.matrix(now=NOW)
    assert not moved.cached and moved.time_s("Leaf", "LF-001") < first.time_s("Leaf", "LF-001")
    assert navigator.matrix(rebuild=True, now=NOW).cached is False


def test_a_new_terrain_drops_the_old_matrices(navigator: Navigator, db: Database) -> None:
    navigator.matrix(now=NOW)
    navigator.matrix(profile="injured", now=NOW)
    assert cached_rows(db) == 2
    from refuge.store import register as register_store
    from refuge.store import terrain as terrain_store
    from refuge.terrain.travel import default_travel_model_text
    from tests.terrain_factory import small_terrain

    with db.writing() as session:
        terrain_store.save_terrain(session, register_store.network_id(session), small_terrain(),
                                   default_travel_model_text() + "\n# edited\n", "Test Land, edited", NOW)
    assert cached_rows(db) == 0
    assert navigator.matrix(now=NOW).cached is False


def test_a_person_sees_only_the_shelters_they_are_cleared_for(navigator: Navigator) -> None:
    full = navigator.matrix(now=NOW)
    seen = navigator.matrix(as_person="iruka", now=NOW)
    assert [p.key for p in seen.points] == ["Leaf", "LF-001"]
    assert seen.time_s("Leaf", "LF-001") == full.time_s("Leaf", "LF-001")
    assert len(seen.seconds) == 2 and all(len(row) == 2 for row in seen.seconds)


@pytest.mark.parametrize(("extra", "error", "message"), [
    ({"profile": "flying"}, InvalidInput, "flying"),
    ({"chakra": -1}, InvalidInput, "negative"),
    ({"chakra": float("nan")}, InvalidInput, "finite"),
    ({"as_person": "orochimaru"}, UnknownPerson, "orochimaru"),
])
def test_bad_questions_are_refused_and_cache_nothing(navigator: Navigator, db: Database, extra: dict,
                                                     error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        navigator.matrix(now=NOW, **extra)
    assert cached_rows(db) == 0


def test_a_network_without_terrain_says_how_to_get_one(db: Database) -> None:
    with pytest.raises(InvalidInput, match="no terrain"):
        Navigator(db).matrix(now=NOW)
