"""Use cases: accept a plan's runs, and record what a run did at each shelter (docs/planning.md).

Accepting writes the runs and their stops, nothing else; the same run accepted again is the same run.
Recording a stop's outcome posts, through the ledger, a restock for each item delivered and a
stocktake count for each item counted, each under an idempotency key of the run, shelter and item,
so recording the same outcome again writes nothing (and a different outcome for the same line is a
conflict); the defence tests are logged once per stop, in the transaction that marks it recorded.
A run is done when every stop is recorded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.defences import DefenceTest, TestResult
from refuge.domain.errors import InvalidInput
from refuge.domain.values import check_not_future, parse_date, utc_now
from refuge.services import ledger
from refuge.services.requests import movement_request
from refuge.store import register as register_store
from refuge.store import runs as store
from refuge.store.database import Database


@dataclass(frozen=True)
class AcceptedRun:
    id: int
    key: str
    day: date
    volunteer: str
    shelters: list[str]
    created: bool  # False when the same run had been accepted before


@dataclass(frozen=True)
class StopOutcome:
    run: int
    shelter: str
    movements: list[int]
    replayed: int  # movements already recorded under the same keys
    tests: int  # defence tests logged now (0 when the stop had been recorded before)
    run_done: bool


def accept(db: Database, plan: dict, clearance: int = FULL_CLEARANCE) -> list[AcceptedRun]:  # type: ignore[type-arg]
    """Create the runs of a plan (the JSON of `refuge plan --json` or POST /api/plans), all or none.
    A shelter classified above `clearance` is unknown."""
    runs = plan.get("runs") if isinstance(plan, dict) else None
    if not isinstance(runs, list) or not runs:
        raise InvalidInput("the plan has no runs to accept (expected the JSON of `refuge plan --json`)")
    now = utc_now()
    accepted = []
    with db.writing() as session:
        for n, run in enumerate(runs, 1):
            try:
                day, volunteer, stops = parse_date(run["day"], field=f"run {n}: day"), run["volunteer"], run["stops"]
                shaped = [(s["shelter"], parse_date(s["arrive"], field=f"run {n}: arrive"),
                           {p["sku"]: int(p["units"]) for p in s.get("packing", [])},
                           [t["defence"] for t in s.get("tasks", [])]) for s in stops]
                minutes = round(float(run.get("hours", 0)) * 60)
                days = int(run.get("days", 1))
            except (KeyError, TypeError, ValueError) as error:
                raise InvalidInput(f"run {n} of the plan is malformed ({error}); accept the JSON of "
                                   "`refuge plan --json` as it was written") from None
            key = "run-" + hashlib.sha256(json.dumps([run["day"], volunteer, [(c, a.isoformat(), p) for c, a, p, _t in shaped]],
                                                     sort_keys=True).encode()).hexdigest()[:40]
            if existing := store.run_by_key(session, key):
                accepted.append(AcceptedRun(existing.id, key, day, volunteer, [c for c, *_ in shaped], False))
                continue
            person = register_store.person_row(session, volunteer)
            rows = []
            for code, arrive, packing, tasks in shaped:
                shelter = register_store.shelter_row(session, code, clearance=clearance)
                for sku in packing:
                    register_store.item_row(session, sku)
                rows.append((shelter.id, arrive, packing, tasks))
            run_id = store.add_run(session, key, day, person.id, days, minutes, now, rows)
            accepted.append(AcceptedRun(run_id, key, day, person.handle, [c for c, *_ in shaped], True))
    return accepted


def record_stop(db: Database, run_id: int, shelter: str, delivered: dict[str, object], counted: dict[str, object],
                tested: dict[str, TestResult], at: datetime | None = None, now: datetime | None = None,
                clearance: int = FULL_CLEARANCE) -> StopOutcome:
    """Record what the run did at one shelter (cleared for `clearance`): deliveries, counts, defence tests."""
    now = now or utc_now()
    if at is not None:
        check_not_future(at, now)
    with db.reading() as session:
        run = store.run_row(session, run_id)
        by = register_store.handles_by_id(session)[run.volunteer_id]
        shelter_row = register_store.shelter_row(session, shelter, clearance=clearance)
        code = shelter_row.code
        if code not in {c for _row, c in store.stops(session, run_id)}:
            raise InvalidInput(f"run {run_id} does not visit {code}")
        # Everything is checked before the first line is posted, so a bad line posts nothing.
        when = at.isoformat() if at else None
        requests = [movement_request(kind, code, sku, quantity, at=when, by=by, source="run",
                                     key=f"run-{run_id}-{code}-{kind}-{sku.strip().upper()}")
                    for kind, lines in (("restock", delivered), ("count", counted)) for sku, quantity in sorted(lines.items())]
        for request in requests:
            register_store.item_row(session, request.sku)
        for defence in tested:
            register_store.defence_row(session, shelter_row, defence)
    moved, replayed = [], 0
    for request in requests:
        recorded = ledger.record(db, request, now=now)
        moved.append(recorded.movement.id)
        replayed += int(recorded.replayed)
    tests = 0
    with db.writing() as session:
        run = store.run_row(session, run_id, lock=True)
        stops = store.stops(session, run_id)
        stop = next(row for row, c in stops if c == code)
        if stop.recorded_at is None:
            shelter_row = register_store.shelter_row(session, code, lock=True)
            person = register_store.person_row(session, by)
            for defence, result in sorted(tested.items()):
                row = register_store.defence_row(session, shelter_row, defence)
                register_store.add_defence_test(session, row.id, DefenceTest(code, row.code, at or now, result, by,
                                                                             f"run {run_id}"), now, person.id)
                tests += 1
            stop.recorded_at = now
        if run.status != "done" and all(row.recorded_at is not None for row, _c in stops):
            run.status, run.done_at = "done", now
        done = run.status == "done"
    return StopOutcome(run_id, code, moved, replayed, tests, done)


def listed(db: Database, clearance: int = FULL_CLEARANCE) -> list[dict]:  # type: ignore[type-arg]
    """Every accepted run with its stops, by day; only the stops at shelters cleared for `clearance`, and
    only the runs with such a stop."""
    with db.reading() as session:
        visible = register_store.visible_codes(session, clearance)
        found = []
        for row, handle in store.runs(session):
            stops = [{"shelter": code, "arrive": stop.arrive_on.isoformat(), "packing": stop.packing,
                      "tasks": stop.tasks, "recorded": stop.recorded_at is not None}
                     for stop, code in store.stops(session, row.id) if code in visible]
            if stops:
                found.append({"id": row.id, "day": row.starts_on.isoformat(), "volunteer": handle,
                              "status": row.status, "days": row.days, "hours": round(row.minutes / 60, 2),
                              "stops": stops})
        return found
