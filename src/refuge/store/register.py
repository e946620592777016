"""Queries on the network register: networks, places, shelters, items, par levels, people, defences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.defences import Defence, DefenceTest, TestResult
from refuge.domain.errors import UnknownDefence, UnknownItem, UnknownPerson, UnknownShelter
from refuge.domain.network import Item, Network, ParLevel, Place, Shelter
from refuge.domain.people import Person
from refuge.store.tables import (
    DefenceRow,
    DefenceTestRow,
    ItemRow,
    NetworkRow,
    ParLevelRow,
    PersonRow,
    PlaceRow,
    ShelterRow,
)


def shelter_row(session: Session, code: str, *, lock: bool = False, clearance: int = FULL_CLEARANCE) -> ShelterRow:
    """The shelter with this code; `lock` holds it until the transaction ends, so writes queue up.
    A shelter classified above `clearance` is unknown, with the same message as a code nobody uses."""
    query = select(ShelterRow).where(ShelterRow.code == code.strip().upper(), ShelterRow.clearance <= clearance)
    row = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise UnknownShelter(code)
    return row


def item_row(session: Session, sku: str) -> ItemRow:
    row = session.scalars(select(ItemRow).where(ItemRow.sku == sku.strip().upper())).one_or_none()
    if row is None:
        raise UnknownItem(sku)
    return row


def person_row(session: Session, name: str) -> PersonRow:
    """A person by handle (`kakashi`) or by full name (`Kakashi Hatake`), ignoring case."""
    wanted = name.strip().lower()
    query = select(PersonRow).where(or_(PersonRow.handle == wanted, func.lower(PersonRow.name) == wanted))
    row = session.scalars(query).first()
    if row is None:
        raise UnknownPerson(name)
    return row


def find_person(session: Session, handle: str) -> PersonRow | None:
    """The person with exactly this handle, or None."""
    return session.scalars(select(PersonRow).where(PersonRow.handle == handle)).one_or_none()


def handles_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(PersonRow.id, PersonRow.handle)).all())


def codes_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(ShelterRow.id, ShelterRow.code)).all())


def skus_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(ItemRow.id, ItemRow.sku)).all())


def to_shelter(row: ShelterRow) -> Shelter:
    return Shelter(
        code=row.code, name=row.name, x=row.x, y=row.y, access_notes=row.access_notes, beds=row.beds,
        condition=row.condition, status=row.status, clearance=row.clearance,  # type: ignore[arg-type]
    )


def to_item(row: ItemRow) -> Item:
    return Item(
        sku=row.sku, name=row.name, category=row.category, unit=row.unit,  # type: ignore[arg-type]
        unit_weight_kg=row.unit_weight_kg, shelf_life_days=row.shelf_life_days,
    )


def to_person(row: PersonRow) -> Person:
    return Person(
        handle=row.handle, name=row.name, rank=row.rank, skills=tuple(row.skills),  # type: ignore[arg-type]
        clearance=row.clearance, max_chakra=row.max_chakra, condition=row.condition,  # type: ignore[arg-type]
        available=row.available, notes=row.notes, availability=row.availability,  # type: ignore[arg-type]
        superior=row.superior.handle if row.superior is not None else None, x=row.x, y=row.y,
    )


def network(session: Session) -> Network | None:
    row = session.scalars(select(NetworkRow).order_by(NetworkRow.id)).first()
    if row is None:
        return None
    return Network(row.name, row.width_m, row.height_m, row.description)


def places(session: Session) -> list[Place]:
    rows = session.scalars(select(PlaceRow).order_by(PlaceRow.id))
    return [Place(r.name, r.kind, r.x, r.y, r.is_base, r.has_hospital) for r in rows]


def shelters(session: Session, clearance: int = FULL_CLEARANCE) -> list[Shelter]:
    """Every shelter cleared for `clearance`, by code."""
    query = select(ShelterRow).where(ShelterRow.clearance <= clearance).order_by(ShelterRow.code)
    return [to_shelter(row) for row in session.scalars(query)]


def visible_codes(session: Session, clearance: int) -> set[str]:
    """The codes of the shelters that exist for someone of this clearance."""
    return set(session.scalars(select(ShelterRow.code).where(ShelterRow.clearance <= clearance)))


def items(session: Session) -> list[Item]:
    return [to_item(row) for row in session.scalars(select(ItemRow).order_by(ItemRow.category, ItemRow.sku))]


def people(session: Session) -> list[Person]:
    return [to_person(row) for row in session.scalars(select(PersonRow).order_by(PersonRow.handle))]


def par_levels(session: Session, shelter_id: int) -> dict[str, ParLevel]:
    """The par levels of one shelter, by sku."""
    query = (
        select(ShelterRow.code, ItemRow.sku, ParLevelRow.min, ParLevelRow.target, ParLevelRow.capacity)
        .join(ShelterRow, ShelterRow.id == ParLevelRow.shelter_id)
        .join(ItemRow, ItemRow.id == ParLevelRow.item_id)
        .where(ParLevelRow.shelter_id == shelter_id)
    )
    return {sku: ParLevel(code, sku, low, target, cap) for code, sku, low, target, cap in session.execute(query)}


def defences(session: Session, shelter_id: int | None = None, cutoff: datetime | None = None
             ) -> list[tuple[Defence, list[DefenceTest]]]:
    """Defences (of one shelter, or all) with their tests before `cutoff`, ordered by shelter and code."""
    # Plain rows, not ORM objects: readiness reads every defence and test of the network.
    columns = [DefenceRow.id, ShelterRow.code, DefenceRow.code, DefenceRow.kind, DefenceRow.name,
               DefenceRow.test_interval_days, DefenceRow.installed_on, DefenceRow.charge_life_days,
               DefenceRow.arming_instructions]
    query = select(*columns).join(ShelterRow, ShelterRow.id == DefenceRow.shelter_id)
    tests = select(DefenceTestRow.defence_id, DefenceTestRow.tested_at, DefenceTestRow.result,
                   DefenceTestRow.by_id, DefenceTestRow.note)
    if shelter_id is not None:
        query = query.where(DefenceRow.shelter_id == shelter_id)
        tests = tests.join(DefenceRow, DefenceRow.id == DefenceTestRow.defence_id).where(DefenceRow.shelter_id == shelter_id)
    if cutoff is not None:
        tests = tests.where(DefenceTestRow.tested_at < cutoff)
    defence_by_id = {
        row[0]: Defence(shelter=row[1], code=row[2], kind=row[3], name=row[4], test_interval_days=row[5],
                        installed_on=row[6], charge_life_days=row[7], arming_instructions=row[8])
        for row in session.execute(query.order_by(ShelterRow.code, DefenceRow.code))
    }
    handles = handles_by_id(session)
    logs: dict[int, list[DefenceTest]] = {defence_id: [] for defence_id in defence_by_id}
    for defence_id, tested_at, result, by_id, note in session.execute(tests.order_by(DefenceTestRow.tested_at)):
        defence = defence_by_id[defence_id]
        logs[defence_id].append(DefenceTest(defence.shelter, defence.code, tested_at, TestResult(result),
                                            handles.get(by_id) if by_id else None, note))
    return [(defence, logs[defence_id]) for defence_id, defence in defence_by_id.items()]


def defence_row(session: Session, shelter: ShelterRow, code: str) -> DefenceRow:
    query = select(DefenceRow).where(DefenceRow.shelter_id == shelter.id, DefenceRow.code == code.strip().upper())
    row = session.scalars(query).one_or_none()
    if row is None:
        raise UnknownDefence(shelter.code, code)
    return row


def add_defence_test(session: Session, defence_id: int, test: DefenceTest, recorded_at: datetime,
                     by_id: int | None) -> None:
    session.add(DefenceTestRow(
        defence_id=defence_id, tested_at=test.tested_at, recorded_at=recorded_at,
        result=test.result.value, by_id=by_id, note=test.note,
    ))
    session.flush()


def existing_shelters(session: Session, codes: list[str]) -> dict[str, Shelter]:
    rows = session.scalars(select(ShelterRow).where(ShelterRow.code.in_(codes))) if codes else []
    return {row.code: to_shelter(row) for row in rows}


def add_shelters(session: Session, new: list[Shelter], network_id: int | None) -> None:
    session.add_all(ShelterRow(network_id=network_id, **shelter_values(s)) for s in new)
    session.flush()


def shelter_values(shelter: Shelter) -> dict[str, object]:
    return {
        "code": shelter.code, "name": shelter.name, "x": float(shelter.x), "y": float(shelter.y),
        "access_notes": shelter.access_notes, "beds": shelter.beds, "condition": shelter.condition.value,
        "status": shelter.status.value, "clearance": shelter.clearance,
    }


def network_id(session: Session) -> int | None:
    return session.scalars(select(NetworkRow.id).order_by(NetworkRow.id)).first()


def update_people(session: Session, people: list[Person]) -> None:
    """Write the availability, condition, superior and position of people already on the roster
    (a scenario's bulk load inserts the roster first; superiors need everyone's ids)."""
    ids = dict(session.execute(select(PersonRow.handle, PersonRow.id)).all())
    for person in people:
        row = session.get(PersonRow, ids[person.handle])
        if row is None:
            raise UnknownPerson(person.handle)
        if person.superior is not None and person.superior not in ids:
            raise UnknownPerson(person.superior)
        row.availability, row.available = person.availability.value, person.available
        row.condition = person.condition.value
        row.superior_id = ids[person.superior] if person.superior else None
        row.x, row.y = person.x, person.y
    session.flush()
