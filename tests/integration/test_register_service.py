"""The register through the services: shelters, catalogue, roster, defences and GeoJSON."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from refuge.domain.defences import DefenceStatus, TestResult
from refuge.domain.errors import Conflict, InvalidInput, UnknownDefence, UnknownPerson, UnknownShelter
from refuge.services import geojson, register
from refuge.store.database import Database
from refuge.store.tables import DefenceTestRow, ShelterRow
from tests.factories import NOW


def count(db: Database, table: type) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_shelters_items_and_people_are_listed_in_order(db: Database) -> None:
    assert [s.code for s in register.shelters(db)] == ["LF-001", "LF-002", "LF-003"]
    assert [i.sku for i in register.items(db)][:2] == ["AID-ANTIDOTE", "AID-BANDAGE"]
    assert [p.handle for p in register.people(db)] == ["iruka", "kakashi", "tsunade"]
    assert register.shelter(db, "lf-002").name == "Falls Lookout"


def test_an_unknown_shelter_is_named_in_the_error(db: Database) -> None:
    with pytest.raises(UnknownShelter, match="LF-404"):
        register.shelter(db, "LF-404")


def test_defences_are_derived_from_their_test_log(db: Database) -> None:
    states = {s.defence.code: s for s in register.defences(db, as_of=NOW.date())}
    assert states["W1"].status is DefenceStatus.ARMED and not states["W1"].overdue
    assert states["T1"].status is DefenceStatus.UNTESTED and states["T1"].overdue


def test_a_passing_test_arms_a_defence_and_is_logged(db: Database) -> None:
    state = register.test_defence(db, "LF-002", "t1", TestResult.PASS, by="iruka",
                                  at=NOW - timedelta(hours=2), now=NOW)
    assert state.status is DefenceStatus.ARMED
    assert state.last_tested == NOW - timedelta(hours=2)
    assert count(db, DefenceTestRow) == 2


def test_a_failing_test_leaves_a_defence_faulty(db: Database) -> None:
    state = register.test_defence(db, "LF-001", "W1", TestResult.FAIL, now=NOW)
    assert state.status is DefenceStatus.FAULTY


@pytest.mark.parametrize(
    ("shelter", "defence", "by", "error"),
    [("LF-404", "W1", None, UnknownShelter), ("LF-001", "Z9", None, UnknownDefence),
     ("LF-001", "W1", "orochimaru", UnknownPerson)],
)
def test_a_defence_test_naming_something_unknown_writes_nothing(
    db: Database, shelter: str, defence: str, by: str | None, error: type
) -> None:
    with pytest.raises(error):
        register.test_defence(db, shelter, defence, TestResult.PASS, by=by, now=NOW)
    assert count(db, DefenceTestRow) == 1


def test_a_defence_test_in_the_future_is_refused(db: Database) -> None:
    with pytest.raises(InvalidInput, match="future"):
        register.test_defence(db, "LF-001", "W1", TestResult.PASS, at=NOW + timedelta(days=1), now=NOW)
    assert count(db, DefenceTestRow) == 1


def test_exported_shelters_import_into_an_empty_database_unchanged(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty_db = Database(str(tmp_path / "other.db"))
    empty_db.upgrade()
    exported = geojson.export_shelters(db)
    assert exported["type"] == "FeatureCollection" and len(exported["features"]) == 3
    result = geojson.import_shelters(empty_db, geojson.parse_geojson(json.dumps(exported)))
    assert result.added == ["LF-001", "LF-002", "LF-003"]
    assert register.shelters(empty_db) == register.shelters(db)


def test_importing_the_same_shelters_again_changes_nothing(db: Database) -> None:
    exported = json.dumps(geojson.export_shelters(db))
    result = geojson.import_shelters(db, geojson.parse_geojson(exported))
    assert result.added == [] and result.unchanged == ["LF-001", "LF-002", "LF-003"]


def test_an_import_that_would_change_a_shelter_is_refused_whole(db: Database) -> None:
    data = geojson.export_shelters(db)
    data["features"][0]["properties"]["beds"] = 9
    data["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},
                             "properties": {"code": "LF-050", "name": "New"}})
    with pytest.raises(Conflict, match="LF-001"):
        geojson.import_shelters(db, geojson.parse_geojson(json.dumps(data)))
    assert count(db, ShelterRow) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
         '"coordinates": [1, 2]}, "properties": {"name": "x"}}]}', "feature 1: missing property 'code'"),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "LineString", '
         '"coordinates": [[1, 2]]}, "properties": {"code": "A-1", "name": "x"}}]}', "feature 1: geometry must be a Point"),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
         '"coordinates": [1, 2]}, "properties": {"code": "A-1", "name": "x", "status": "lost"}}]}', "status 'lost'"),
    ],
)
def test_malformed_geojson_is_refused_with_the_place_of_the_problem(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        geojson.parse_geojson(text)
