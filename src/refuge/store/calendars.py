"""People's calendars: the usual weekdays on the person's row, dates set apart in person_days."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from refuge.domain.calendar import Calendar
from refuge.store.tables import PersonDayRow, PersonRow


def weekdays_mask(calendar: Calendar) -> str:
    return "".join("1" if d in calendar.weekdays else "0" for d in range(7))


def _weekdays(mask: str) -> frozenset[int]:
    return frozenset(d for d, flag in enumerate(mask) if flag == "1")


def calendar(session: Session, person: PersonRow) -> Calendar:
    """The calendar of one person."""
    rows = session.scalars(select(PersonDayRow).where(PersonDayRow.person_id == person.id)).all()
    return Calendar(_weekdays(person.weekdays), frozenset(r.day for r in rows if not r.available),
                    frozenset(r.day for r in rows if r.available))


def calendars(session: Session) -> dict[str, Calendar]:
    """Every person's calendar, by handle."""
    days: dict[int, list[PersonDayRow]] = {}
    for row in session.scalars(select(PersonDayRow)):
        days.setdefault(row.person_id, []).append(row)
    found = {}
    for person_id, handle, mask in session.execute(select(PersonRow.id, PersonRow.handle, PersonRow.weekdays)):
        mine = days.get(person_id, [])
        found[handle] = Calendar(_weekdays(mask), frozenset(r.day for r in mine if not r.available),
                                 frozenset(r.day for r in mine if r.available))
    return found


def save_calendar(session: Session, person: PersonRow, found: Calendar) -> None:
    """Replace the person's calendar with `found`."""
    person.weekdays = weekdays_mask(found)
    session.execute(delete(PersonDayRow).where(PersonDayRow.person_id == person.id))
    marked = [{"person_id": person.id, "day": day, "available": False} for day in sorted(found.away)]
    marked += [{"person_id": person.id, "day": day, "available": True} for day in sorted(found.available)]
    if marked:
        session.execute(insert(PersonDayRow), marked)
    session.flush()
