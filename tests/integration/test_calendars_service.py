"""People's calendars on both databases: kept as set, changed in one go or not at all, read by the planner."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from refuge.domain.calendar import Calendar
from refuge.domain.errors import InvalidInput, UnknownPerson
from refuge.services import calendars
from refuge.services.planner import network_of, plan_resupply
from refuge.simulation.world import load_world
from refuge.store.database import Database
from refuge.store.tables import PersonRow
from tests.factories import NOW
from tests.plan_checker import audit

START = NOW.date() + timedelta(days=1)  # Tuesday 2 June 2026


def test_a_new_person_is_free_every_day(db: Database) -> None:
    assert calendars.calendar(db, "kakashi").calendar == Calendar()
    assert set(calendars.calendars(db)) == {"iruka", "kakashi", "tsunade"}


def test_a_calendar_is_kept_as_set_and_changed_date_by_date(db: Database) -> None:
    calendars.set_calendar(db, "Kakashi Hatake", weekdays="sat,sun", away=["2026-06-06..2026-06-07"],
                           available=["2026-06-03"])
    found = calendars.calendar(db, "kakashi").calendar
    assert found.weekdays == {5, 6} and found.away == {date(2026, 6, 6), date(2026, 6, 7)}
    assert found.available == {date(2026, 6, 3)}
    calendars.set_calendar(db, "kakashi", available=["2026-06-06"], clear=["2026-06-03"])
    again = calendars.calendars(db)["kakashi"]
    assert again.away == {date(2026, 6, 7)} and again.available == {date(2026, 6, 6)} and again.weekdays == {5, 6}


@pytest.mark.parametrize("changes, error, message", [
    ({"away": ["2026-06-06"], "available": ["2026-06-06"]}, InvalidInput, "both away and available"),
    ({"weekdays": "sat,sun", "away": ["2026-06-09..2026-06-01"]}, InvalidInput, "ends before it starts"),
    ({"weekdays": "funday"}, InvalidInput, "not a weekday"),
])
def test_a_bad_change_is_refused_and_writes_nothing(db: Database, changes: dict, error: type, message: str) -> None:
    calendars.set_calendar(db, "kakashi", weekdays="mon-fri", away=["2026-06-05"])
    before = calendars.calendar(db, "kakashi").calendar
    with pytest.raises(error, match=message):
        calendars.set_calendar(db, "kakashi", **changes)
    assert calendars.calendar(db, "kakashi").calendar == before


def test_an_unknown_person_has_no_calendar(db: Database) -> None:
    with pytest.raises(UnknownPerson):
        calendars.set_calendar(db, "nobody", weekdays="mon")


def test_the_planner_sends_a_volunteer_only_on_the_days_their_calendar_leaves_free(db: Database) -> None:
    calendars.set_calendar(db, "kakashi", weekdays="sat,sun", away=["2026-06-06"], available=["2026-06-03"])
    found = plan_resupply(db, START, 14, ["kakashi"], time_limit=3)
    assert found.plan.runs
    # written here from the calendar as set, apart from the planner's reading of it
    free = {d for d in range(20) if (START + timedelta(days=d)).weekday() in (5, 6) or d == 1} - {4}
    assert all(d in free for r in found.plan.runs for d in range(r.day, r.day + r.days))
    network = network_of(load_world(db, START - timedelta(days=1)), START)
    assert audit(network, found.plan, {"kakashi": free}) == []


def test_a_volunteer_not_free_on_any_day_of_the_plan_is_refused_by_name(db: Database) -> None:
    calendars.set_calendar(db, "kakashi", weekdays="none", available=["2026-07-01"])
    with pytest.raises(InvalidInput, match="volunteer kakashi is not free on any day from 2026-06-02 to 2026-06-15"):
        plan_resupply(db, START, 14, ["tsunade", "kakashi"], time_limit=1)


def held(db: Database, handle: str, why: str) -> None:
    from dataclasses import replace

    from refuge.store import register as register_store

    with db.writing() as session:
        person = register_store.to_person(register_store.person_row(session, handle))
        register_store.update_people(session, [replace(person, availability=why)])


def test_a_volunteer_on_leave_is_refused_and_a_teacher_walks_on_their_calendars_free_days(db: Database) -> None:
    held(db, "kakashi", "leave")
    with pytest.raises(InvalidInput, match=r"volunteer kakashi is not available to walk runs \(leave\)"):
        plan_resupply(db, START, 7, ["kakashi"], time_limit=1)
    held(db, "iruka", "teaching")
    with pytest.raises(InvalidInput, match="volunteer iruka is teaching: set the days they are free"):
        plan_resupply(db, START, 7, ["iruka"], time_limit=1)
    calendars.set_calendar(db, "iruka", weekdays="sat,sun")
    with db.writing() as session:  # cleared for the island and the falls, which need the runs
        session.execute(update(PersonRow).where(PersonRow.handle == "iruka").values(clearance=5))
    found = plan_resupply(db, START, 14, ["iruka"], time_limit=2)
    assert found.plan.runs and all((START + timedelta(days=d)).weekday() >= 5
                                   for r in found.plan.runs for d in range(r.day, r.day + r.days))
