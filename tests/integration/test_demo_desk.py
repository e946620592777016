"""The demo loaded into a database: its desk and its ledger agree, and the silent teams are flagged."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal

from refuge.domain.missions import MissionStatus
from refuge.domain.access import Role
from refuge.services import ledger, missions, register
from refuge.services.access import authenticate, sign_in
from refuge.services.demo import demo_sign_ins, load_demo
from refuge.store import missions as mission_store
from refuge.store.database import Database

END = datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc)


def test_the_demo_desk_agrees_with_the_ledger_and_raises_its_overdue_alerts(empty_db: Database) -> None:
    empty_db.dispose()
    db = Database(empty_db.url)
    load_demo(db, now=END)
    with db.reading() as session:
        supplies = mission_store.all_report_supplies(session)
    movements = {m.key: m for m in ledger.history(db)}
    used: dict[str, Decimal] = defaultdict(Decimal)
    for _mission, shelter, sku, quantity, key in supplies:
        movement = movements[key]
        assert (movement.kind.value, movement.shelter, movement.sku, -movement.quantity) == ("consume", shelter, sku, quantity)
        used[shelter] += quantity
    ledger_use: dict[str, Decimal] = defaultdict(Decimal)
    for movement in movements.values():
        if movement.source == "mission":
            ledger_use[movement.shelter] -= movement.quantity
    assert used == ledger_use and len(supplies) > 300
    views = missions.missions(db)
    assert {v.mission.status for v in views} == set(MissionStatus)
    flagged = {a.mission for a in missions.alerts(db)}
    assert flagged and flagged == {v.mission.code for v in views if v.overdue(END)}
    assert_one_sign_in_per_role_and_a_field_user_not_cleared_for_every_shelter(db)
    db.dispose()


def assert_one_sign_in_per_role_and_a_field_user_not_cleared_for_every_shelter(db: Database) -> None:
    sign_ins = demo_sign_ins(db)
    assert {s.role for s in sign_ins} == set(Role) and len(sign_ins) == len(Role)
    field = next(s for s in sign_ins if s.role is Role.FIELD)
    assert authenticate(db, sign_in(db, field.handle, field.password).token).clearance == field.clearance == 1
    assert 0 < len(register.shelters(db, field.clearance)) < len(register.shelters(db)) == 40
    assert len(missions.missions(db, clearance=field.clearance)) < len(missions.missions(db))


def test_the_demo_volunteers_calendars_are_loaded_as_the_scenario_sets_them(empty_db: Database) -> None:
    from refuge.scenarios.land_of_fire import land_of_fire
    from refuge.services import calendars

    empty_db.dispose()
    db = Database(empty_db.url)
    load_demo(db, now=END)
    stored = calendars.calendars(db)
    expected = land_of_fire(END).calendars
    assert {handle: stored[handle] for handle in expected} == expected
    assert stored["kakashi"].describe() == "every day"
    db.dispose()
