"""The planner over the ledger on both databases: plans are replayed, bad requests are refused, nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from refuge.domain.errors import InvalidInput, UnknownPerson
from refuge.services.planner import network_of, plan_resupply
from refuge.simulation.world import load_world
from refuge.store.database import Database
from refuge.store.tables import MovementRow
from tests.factories import NOW
from tests.plan_checker import audit

START = NOW.date() + timedelta(days=1)


def movements(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(MovementRow)) or 0


def test_a_plan_from_the_ledger_keeps_its_promises(db: Database) -> None:
    before = movements(db)
    found = plan_resupply(db, START, 14, ["kakashi", "tsunade"], capacity_kg=20, hours_a_day=8, time_limit=3)
    assert found.plan.runs
    assert {s.shelter for r in found.plan.runs for s in r.stops} <= {"LF-001", "LF-002", "LF-003"}
    network = network_of(load_world(db, START - timedelta(days=1)), START,
                         clearances={"LF-001": 1, "LF-002": 3, "LF-003": 5})
    assert audit(network, found.plan) == []  # kakashi (clearance 4) never goes to the island (5)
    assert movements(db) == before


def test_the_island_with_no_stock_is_visited_first(db: Database) -> None:
    found = plan_resupply(db, START, 7, ["tsunade"], time_limit=2)
    first = min((s.arrive_day for r in found.plan.runs for s in r.stops if s.shelter == "LF-003"), default=None)
    assert first is not None and first <= 1
    uncovered = {u.shelter: u.reason for u in found.plan.uncovered}
    if "LF-003" in uncovered:  # it cannot be reached on the first day, and the plan says so
        assert "already below a minimum on the first day" in uncovered["LF-003"]


def test_a_volunteer_is_not_sent_where_they_are_not_cleared_to_go(db: Database) -> None:
    found = plan_resupply(db, START, 7, ["kakashi"], time_limit=2)  # clearance 4; the island is classified 5
    assert not any(s.shelter == "LF-003" for r in found.plan.runs for s in r.stops)
    assert {u.shelter: u.reason for u in found.plan.uncovered}["LF-003"] == (
        "classified 5, above the clearance of every volunteer named")


@pytest.mark.parametrize("args, error, message", [
    ({"days": 0, "volunteers": ["kakashi"]}, InvalidInput, "at least one day"),
    ({"days": 7, "volunteers": []}, InvalidInput, "at least one volunteer"),
    ({"days": 7, "volunteers": ["nobody"]}, UnknownPerson, "unknown person 'nobody'"),
    ({"days": 7, "volunteers": ["kakashi", "Kakashi Hatake"]}, InvalidInput, "named twice"),
    ({"days": 7, "volunteers": ["kakashi"], "capacity_kg": -1}, InvalidInput, "carrying capacity"),
])
def test_bad_requests_get_a_specific_error_and_write_nothing(db: Database, args: dict, error: type, message: str) -> None:
    before = movements(db)
    with pytest.raises(error, match=message):
        plan_resupply(db, START, **args)
    assert movements(db) == before
