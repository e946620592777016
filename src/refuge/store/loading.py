"""Bulk loading of a whole scenario, and clearing a database for a fresh one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from refuge.domain.calendar import Calendar
from refuge.scenarios.model import Scenario
from refuge.domain.ledger import Movement
from refuge.domain.people import Person
from refuge.store import balances
from refuge.store.calendars import weekdays_mask
from refuge.store.ledger import IdMaps, id_maps, movement_values
from refuge.store.register import shelter_values
from refuge.store.tables import (
    Base,
    DefenceRow,
    DefenceTestRow,
    ItemRow,
    LotLineRow,
    MovementRow,
    NetworkRow,
    ParLevelRow,
    PersonDayRow,
    PersonRow,
    PlaceRow,
    ShelterRow,
)

BATCH = 5000


def is_empty(session: Session) -> bool:
    return session.scalars(select(ShelterRow.id).limit(1)).first() is None


def clear(session: Session) -> None:
    """Delete every row of every table, children first."""
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(delete(table))


def add_people(session: Session, people: Iterable[Person], calendars: Mapping[str, Calendar] | None = None) -> None:
    """Put people on the roster with their usual weekdays (their superiors and positions come later, with
    `update_people`; their dates away and free, with the calendars' days)."""
    calendars = calendars or {}
    _batched(session, PersonRow, [
        {"handle": p.handle, "name": p.name, "rank": p.rank.value, "skills": list(p.skills),
         "clearance": p.clearance, "max_chakra": p.max_chakra, "condition": p.condition.value,
         "available": p.available, "notes": p.notes,
         "weekdays": weekdays_mask(calendars.get(p.handle, Calendar()))} for p in people
    ])


def load(session: Session, scenario: Scenario, progress: Callable[[str, int], None] | None = None) -> None:
    """Insert a scenario into an empty database in a handful of batched statements."""
    tick = progress or (lambda _stage, _count: None)
    net = scenario.network
    network_id = session.execute(
        insert(NetworkRow).returning(NetworkRow.id),
        [{"name": net.name, "width_m": net.width_m, "height_m": net.height_m,
          "description": net.description, "features": _jsonable(scenario.features)}],
    ).scalar_one()
    _batched(session, PlaceRow, [
        {"network_id": network_id, "name": p.name, "kind": p.kind, "x": p.x, "y": p.y,
         "is_base": p.is_base, "has_hospital": p.has_hospital} for p in scenario.places
    ])
    _batched(session, ShelterRow, [{"network_id": network_id, **shelter_values(s)} for s in scenario.shelters])
    _batched(session, ItemRow, [
        {"sku": i.sku, "name": i.name, "category": i.category.value, "unit": i.unit,
         "unit_weight_kg": i.unit_weight_kg, "shelf_life_days": i.shelf_life_days} for i in scenario.items
    ])
    add_people(session, scenario.people, scenario.calendars)
    tick("register", len(scenario.shelters))
    ids = id_maps(session)
    _batched(session, PersonDayRow, [
        {"person_id": ids.person[handle], "day": day, "available": day in found.available}
        for handle, found in scenario.calendars.items() for day in sorted(found.away | found.available)
    ])
    _batched(session, ParLevelRow, [
        {"shelter_id": ids.shelter[p.shelter], "item_id": ids.item[p.sku], "min": p.min,
         "target": p.target, "capacity": p.capacity} for p in scenario.par_levels
    ])
    _load_defences(session, scenario, ids)
    tick("defences", len(scenario.defences))
    load_movements(session, scenario.movements, ids, tick)
    balances.sync_minimums(session)  # the par-levelled pairs that saw no movement


def _load_defences(session: Session, scenario: Scenario, ids: IdMaps) -> None:
    _batched(session, DefenceRow, [
        {"shelter_id": ids.shelter[d.shelter], "code": d.code, "kind": d.kind.value, "name": d.name,
         "test_interval_days": d.test_interval_days, "charge_life_days": d.charge_life_days,
         "installed_on": d.installed_on, "arming_instructions": d.arming_instructions}
        for d in scenario.defences
    ])
    defence_ids = {
        (code, defence): defence_id
        for defence_id, code, defence in session.execute(
            select(DefenceRow.id, ShelterRow.code, DefenceRow.code).join(ShelterRow, ShelterRow.id == DefenceRow.shelter_id)
        )
    }
    _batched(session, DefenceTestRow, (
        {"defence_id": defence_ids[(t.shelter, t.defence)], "tested_at": t.tested_at,
         "recorded_at": t.tested_at, "result": t.result.value,
         "by_id": ids.person[t.by] if t.by else None, "note": t.note}
        for t in scenario.defence_tests
    ))


def load_movements(session: Session, movements: Iterable[Movement], ids: IdMaps,
                   tick: Callable[[str, int], None] = lambda _s, _c: None) -> int:
    """Append movements with their lot lines in batches; returns how many were written."""
    batch: list[Movement] = []
    pending = balances.Pending()
    count = 0
    for movement in movements:
        batch.append(movement)
        if len(batch) >= BATCH:
            count += _flush(session, batch, ids, pending)
            tick("movements", count)
    count += _flush(session, batch, ids, pending)
    pending.write(session)
    tick("movements", count)
    return count


def _flush(session: Session, batch: list[Movement], ids: IdMaps, pending: balances.Pending) -> int:
    if not batch:
        return 0
    returning = insert(MovementRow).returning(MovementRow.id, sort_by_parameter_order=True)
    movement_ids = session.execute(returning, [movement_values(m, ids) for m in batch]).scalars().all()
    lines = [
        {"movement_id": movement_id, "shelter_id": ids.shelter[line.shelter], "item_id": ids.item[m.sku],
         "expires_on": line.expires_on, "quantity": line.quantity, "occurred_at": m.occurred_at}
        for movement_id, m in zip(movement_ids, batch, strict=True)
        for line in m.lines
    ]
    for line in lines:
        pending.add(line["shelter_id"], line["item_id"], line["expires_on"], line["quantity"])
    if lines:
        # Core, not the ORM's bulk insert: the ORM leaves out keys whose value is None, so lines with and
        # without expiry would break the batch into many small statements.
        session.connection().execute(LotLineRow.__table__.insert(), lines)
    written = len(batch)
    batch.clear()
    return written


def _batched(session: Session, table: type, rows: Iterable[dict]) -> None:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(table), batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
