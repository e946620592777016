"""Accepted runs and their outcomes on both databases: posted once, refused whole, replayed safely."""

from __future__ import annotations

from datetime import timedelta

import pytest

from refuge.api.plans import PlanOut
from refuge.domain.defences import TestResult
from refuge.domain.errors import IdempotencyConflict, InvalidInput, NotFound, UnknownDefence, UnknownItem
from refuge.services import ledger, register
from refuge.services.planner import plan_resupply
from refuge.services.runs import accept, listed, record_stop
from refuge.store.database import Database
from tests.factories import NOW

LATER = NOW + timedelta(days=2)


@pytest.fixture
def planned(db: Database) -> dict:
    found = plan_resupply(db, NOW.date() + timedelta(days=1), 7, ["kakashi"], time_limit=2)
    shaped = PlanOut.of(found).model_dump()
    assert shaped["runs"]
    return shaped


def balance(db: Database, code: str, sku: str) -> float:
    stock = ledger.stock(db, code, LATER.date())
    return float(next(line.on_hand for line in stock.lines if line.item.sku == sku))


def test_accepting_a_plan_twice_creates_its_runs_once(db: Database, planned: dict) -> None:
    first = accept(db, planned)
    again = accept(db, planned)
    assert [a.created for a in first] == [True] * len(planned["runs"])
    assert [a.id for a in again] == [a.id for a in first] and not any(a.created for a in again)
    assert len(listed(db)) == len(planned["runs"])


DEFENCE = {"LF-001": "W1", "LF-002": "T1"}  # the small network's defences; LF-003 has none


def last_tests(db: Database, code: str) -> list:
    return [d.last_tested for d in register.defences(db, code, LATER.date())]


def test_an_outcome_posts_restocks_counts_and_tests_once(db: Database, planned: dict) -> None:
    run = accept(db, planned)[0]
    code = run.shelters[0]
    tests = {DEFENCE[code]: TestResult.PASS} if code in DEFENCE else {}
    before = balance(db, code, "FOOD-RICE")
    outcome = record_stop(db, run.id, code, {"FOOD-RICE": "2"}, {"WPN-KUNAI": "9"}, tests, now=NOW)
    assert balance(db, code, "FOOD-RICE") == before + 2
    assert balance(db, code, "WPN-KUNAI") == 9
    assert outcome.tests == len(tests) and outcome.replayed == 0 and len(outcome.movements) == 2
    logged = last_tests(db, code)
    assert (NOW in logged) == bool(tests)
    again = record_stop(db, run.id, code, {"FOOD-RICE": "2"}, {"WPN-KUNAI": "9"}, tests, now=NOW + timedelta(hours=1))
    assert again.replayed == 2 and again.tests == 0 and again.movements == outcome.movements
    assert balance(db, code, "FOOD-RICE") == before + 2
    assert last_tests(db, code) == logged
    with pytest.raises(IdempotencyConflict):
        record_stop(db, run.id, code, {"FOOD-RICE": "5"}, {}, {}, now=NOW)


def test_every_stop_recorded_makes_the_run_done(db: Database, planned: dict) -> None:
    run = accept(db, planned)[0]
    results = [record_stop(db, run.id, code, {}, {}, {}, now=NOW) for code in run.shelters]
    assert [r.run_done for r in results] == [False] * (len(results) - 1) + [True]
    assert next(r for r in listed(db) if r["id"] == run.id)["status"] == "done"


@pytest.mark.parametrize("change, error", [
    ({"delivered": {"NOPE": "1"}}, UnknownItem),
    ({"tested": {"Z9": TestResult.PASS}}, UnknownDefence),
    ({"delivered": {"FOOD-RICE": "-1"}}, InvalidInput),
])
def test_a_bad_outcome_posts_nothing(db: Database, planned: dict, change: dict, error: type) -> None:
    run = accept(db, planned)[0]
    code = run.shelters[0]
    before = len(ledger.history(db, code))
    args = {"delivered": {"FOOD-RICE": "1"}, "counted": {}, "tested": {}} | change
    with pytest.raises(error):
        record_stop(db, run.id, code, args["delivered"], args["counted"], args["tested"], now=NOW)
    assert len(ledger.history(db, code)) == before


def test_bad_plans_and_runs_are_refused_and_write_nothing(db: Database, planned: dict) -> None:
    with pytest.raises(InvalidInput, match="no runs"):
        accept(db, {"runs": []})
    broken = {"runs": [*planned["runs"], {"day": "2026-06-03", "volunteer": "nobody", "stops": []}]}
    with pytest.raises(NotFound):
        accept(db, broken)
    assert listed(db) == []
    with pytest.raises(NotFound, match="unknown run 99"):
        record_stop(db, 99, "LF-001", {}, {}, {}, now=NOW)
