"""Use cases of people's calendars: the days each volunteer can walk runs (docs/planning.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from refuge.domain.calendar import Calendar, parse_dates, parse_weekdays
from refuge.domain.errors import InvalidInput
from refuge.domain.people import Availability, Person
from refuge.store import calendars as store
from refuge.store import register as register_store
from refuge.store.database import Database


@dataclass(frozen=True)
class PersonCalendar:
    person: Person
    calendar: Calendar


def calendar(db: Database, name: str) -> PersonCalendar:
    """One person's calendar (by handle or full name)."""
    with db.reading() as session:
        row = register_store.person_row(session, name)
        return PersonCalendar(register_store.to_person(row), store.calendar(session, row))


def calendars(db: Database) -> dict[str, Calendar]:
    """Every person's calendar, by handle."""
    with db.reading() as session:
        return store.calendars(session)


def set_calendar(db: Database, name: str, weekdays: str | None = None, away: list[str] | None = None,
                 available: list[str] | None = None, clear: list[str] | None = None) -> PersonCalendar:
    """Change a person's calendar: new usual weekdays ('mon-fri', 'sat,sun'), dates or spans
    ('2026-07-01..2026-07-14') cleared of any mark, then marked away or available. Everything is checked
    before anything is written."""
    usual = parse_weekdays(weekdays) if weekdays is not None else None
    off = [d for text in away or [] for d in parse_dates(text, "away")]
    on = [d for text in available or [] for d in parse_dates(text, "available")]
    cleared = [d for text in clear or [] for d in parse_dates(text, "clear")]
    with db.writing() as session:
        row = register_store.person_row(session, name)
        changed = store.calendar(session, row).changed(usual, off, on, cleared)
        store.save_calendar(session, row, changed)
        return PersonCalendar(register_store.to_person(row), changed)


def volunteers(db: Database, names: list[str], start: date, days: int) -> list[PersonCalendar]:
    """The people named to walk runs, with their calendars: each known, named once, not on leave or a
    mission, and free on some day of the `days` days from `start`. A teacher walks on the days their
    calendar leaves free outside the term, so theirs must have been set."""
    team: list[PersonCalendar] = []
    with db.reading() as session:
        for name in names:
            row = register_store.person_row(session, name)
            person = register_store.to_person(row)
            if any(p.person.handle == person.handle for p in team):
                raise InvalidInput(f"volunteer {person.handle} is named twice")
            found = store.calendar(session, row)
            _check_held(person, found)
            if not found.free_days(start, days):
                raise InvalidInput(f"volunteer {person.handle} is not free on any day from {start} to "
                                   f"{start + timedelta(days=days - 1)} (their calendar: {found.describe()}; "
                                   "see `refuge calendar`)")
            team.append(PersonCalendar(person, found))
    return team


def _check_held(person: Person, found: Calendar) -> None:
    if person.availability is Availability.TEACHING:
        if found == Calendar():
            raise InvalidInput(f"volunteer {person.handle} is teaching: set the days they are free with "
                               f"`refuge calendar {person.handle} --weekdays …`")
    elif not person.free:
        why = person.availability.value if person.availability.value != "available" else "marked unavailable"
        raise InvalidInput(f"volunteer {person.handle} is not available to walk runs ({why})")
