"""Use cases of the network register: shelters, the catalogue, the roster and defences."""

from __future__ import annotations

from datetime import date, datetime

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.defences import DefenceState, DefenceTest, TestResult, state_of
from refuge.domain.network import Item, Network, Place, Shelter
from refuge.domain.people import Person
from refuge.domain.values import check_not_future, utc_now
from refuge.services.clock import end_of
from refuge.store import register as store
from refuge.store.database import Database


def network(db: Database) -> tuple[Network | None, list[Place]]:
    with db.reading() as session:
        return store.network(session), store.places(session)


def shelters(db: Database, clearance: int = FULL_CLEARANCE) -> list[Shelter]:
    """Every shelter cleared for `clearance` (all, by default), by code."""
    with db.reading() as session:
        return store.shelters(session, clearance)


def shelter(db: Database, code: str, clearance: int = FULL_CLEARANCE) -> Shelter:
    """One shelter; one classified above `clearance` is an UnknownShelter, like a wrong code."""
    with db.reading() as session:
        return store.to_shelter(store.shelter_row(session, code, clearance=clearance))


def items(db: Database) -> list[Item]:
    """The catalogue, by category and sku."""
    with db.reading() as session:
        return store.items(session)


def people(db: Database) -> list[Person]:
    """The roster, by handle."""
    with db.reading() as session:
        return store.people(session)


def defences(db: Database, shelter: str | None = None, as_of: date | None = None,
             clearance: int = FULL_CLEARANCE) -> list[DefenceState]:
    """Every defence (of one shelter, or all) as its test log leaves it at the end of `as_of` (default today),
    at the shelters cleared for `clearance`."""
    as_of = as_of or utc_now().date()
    with db.reading() as session:
        shelter_id = store.shelter_row(session, shelter, clearance=clearance).id if shelter else None
        visible = store.visible_codes(session, clearance)
        return [state_of(d, tests, as_of) for d, tests in store.defences(session, shelter_id, end_of(as_of))
                if d.shelter in visible]


def test_defence(db: Database, shelter: str, defence: str, result: TestResult, by: str | None = None,
                 at: datetime | None = None, note: str = "", now: datetime | None = None,
                 clearance: int = FULL_CLEARANCE) -> DefenceState:
    """Log a test of a defence (a pass re-arms it; a fail leaves it faulty) and return its new state."""
    now = now or utc_now()
    tested_at = check_not_future(at, now, field="tested at") if at else now
    with db.writing() as session:
        shelter_row = store.shelter_row(session, shelter, lock=True, clearance=clearance)
        row = store.defence_row(session, shelter_row, defence)
        person = store.person_row(session, by) if by else None
        test = DefenceTest(shelter_row.code, row.code, tested_at, result, person.handle if person else None, note)
        store.add_defence_test(session, row.id, test, now, person.id if person else None)
        states = {d.code: state_of(d, tests, now.date()) for d, tests in store.defences(session, shelter_row.id)}
        return states[row.code]
