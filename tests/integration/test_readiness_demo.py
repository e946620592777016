"""Readiness facts read from the database equal the facts gathered from the demo's own history."""

from __future__ import annotations

from refuge.scenarios.land_of_fire import land_of_fire
from refuge.services.clock import end_of
from refuge.store import readiness as readiness_store
from refuge.store.database import Database
from refuge.store.loading import load
from tests.unit.test_land_of_fire import END, facts_of


def test_the_stored_facts_of_today_are_the_facts_of_the_history(empty_db: Database) -> None:
    """Read from the derived balances (with their minimums) and the newest visit of any kind."""
    as_of = END.date()
    scenario = land_of_fire(END)
    with empty_db.writing() as session:
        load(session, scenario)
    with empty_db.reading() as session:
        stored = readiness_store.facts(session, as_of, end_of(as_of))
    expected = facts_of(scenario, as_of)
    assert stored.keys() == expected.keys()
    for code, facts in expected.items():
        found = stored[code]
        assert found.last_visit == facts.last_visit, code
        assert sorted(found.shortfalls, key=repr) == sorted(facts.shortfalls, key=repr), code
        assert sorted(found.empty_categories) == sorted(facts.empty_categories), code
        assert sorted(found.expired_lots, key=repr) == sorted(facts.expired_lots, key=repr), code
