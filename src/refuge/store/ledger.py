"""Queries on the ledger: writing movements, reading lots, balances and history."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from refuge.domain.ledger import Lot, LotLine, Movement, MovementKind, lots_from
from refuge.store import balances
from refuge.store.register import codes_by_id, handles_by_id, skus_by_id
from refuge.store.tables import ItemRow, LotBalanceRow, LotLineRow, MovementRow, PersonRow, ShelterRow
from refuge.store.types import Quantity


def lots(session: Session, shelter_id: int, item_id: int, cutoff: datetime | None = None) -> list[Lot]:
    """The lots of one item at one shelter now (from the derived balances), or from the movements that
    occurred before `cutoff`."""
    if cutoff is None:
        current = select(LotBalanceRow.expires_on, LotBalanceRow.quantity).where(
            LotBalanceRow.shelter_id == shelter_id, LotBalanceRow.item_id == item_id)
        return lots_from(session.execute(current).all())
    query = (
        select(LotLineRow.expires_on, func.sum(LotLineRow.quantity))
        .where(LotLineRow.shelter_id == shelter_id, LotLineRow.item_id == item_id)
        .group_by(LotLineRow.expires_on)
    )
    return lots_from(session.execute(query.where(LotLineRow.occurred_at < cutoff)).all())


def lots_by_item(session: Session, shelter_id: int, cutoff: datetime | None = None) -> dict[str, list[Lot]]:
    """Every item's lots at one shelter, by sku."""
    query = (
        select(ItemRow.sku, LotLineRow.expires_on, func.sum(LotLineRow.quantity))
        .join(ItemRow, ItemRow.id == LotLineRow.item_id)
        .where(LotLineRow.shelter_id == shelter_id)
        .group_by(ItemRow.sku, LotLineRow.expires_on)
    )
    if cutoff is not None:
        query = query.where(LotLineRow.occurred_at < cutoff)
    lines: dict[str, list] = defaultdict(list)
    for sku, expires_on, quantity in session.execute(query):
        lines[sku].append((expires_on, quantity))
    return {sku: found for sku, found in ((sku, lots_from(rows)) for sku, rows in lines.items()) if found}


def movement_by_key(session: Session, key: str) -> Movement | None:
    row = session.scalars(select(MovementRow).where(MovementRow.key == key)).one_or_none()
    return _movements(session, [row])[0] if row else None


def add_movement(session: Session, movement: Movement, ids: IdMaps) -> int:
    """Append a movement and its lot lines, and add them to the derived balances; returns its id."""
    row = MovementRow(**movement_values(movement, ids))
    session.add(row)
    session.flush()
    lines = [(ids.shelter[line.shelter], row.item_id, line.expires_on, line.quantity) for line in movement.lines]
    session.add_all(
        LotLineRow(movement_id=row.id, shelter_id=shelter_id, item_id=item_id, expires_on=expires_on,
                   quantity=quantity, occurred_at=movement.occurred_at)
        for shelter_id, item_id, expires_on, quantity in lines
    )
    session.flush()
    balances.apply(session, lines)
    return row.id


def movement_values(movement: Movement, ids: IdMaps) -> dict[str, object]:
    return {
        "kind": movement.kind.value, "shelter_id": ids.shelter[movement.shelter],
        "to_shelter_id": ids.shelter[movement.to_shelter] if movement.to_shelter else None,
        "item_id": ids.item[movement.sku], "quantity": movement.quantity,
        "occurred_at": movement.occurred_at, "recorded_at": movement.recorded_at,
        "by_id": ids.person[movement.by] if movement.by else None, "source": movement.source,
        "note": movement.note, "key": movement.key, "fingerprint": movement.fingerprint,
    }


class IdMaps:
    """Database ids for the codes, skus and handles movements name."""

    def __init__(self, shelter: dict[str, int], item: dict[str, int], person: dict[str, int]) -> None:
        self.shelter, self.item, self.person = shelter, item, person


def id_maps(session: Session) -> IdMaps:
    return IdMaps(
        dict(session.execute(select(ShelterRow.code, ShelterRow.id)).all()),
        dict(session.execute(select(ItemRow.sku, ItemRow.id)).all()),
        dict(session.execute(select(PersonRow.handle, PersonRow.id)).all()),
    )


def history(session: Session, shelter_id: int | None = None, item_id: int | None = None,
            limit: int | None = None, among: list[int] | None = None) -> list[Movement]:
    """Movements, newest first by when they occurred, touching a shelter (either end of a transfer);
    with `among`, only those touching one of those shelters."""
    query: Select = select(MovementRow)
    if among is not None:
        query = query.where(or_(MovementRow.shelter_id.in_(among), MovementRow.to_shelter_id.in_(among)))
    if shelter_id is not None:
        query = query.where(or_(MovementRow.shelter_id == shelter_id, MovementRow.to_shelter_id == shelter_id))
    if item_id is not None:
        query = query.where(MovementRow.item_id == item_id)
    query = query.order_by(MovementRow.occurred_at.desc(), MovementRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return _movements(session, list(session.scalars(query)))


def _movements(session: Session, rows: list[MovementRow]) -> list[Movement]:
    if not rows:
        return []
    codes, skus, handles = codes_by_id(session), skus_by_id(session), handles_by_id(session)
    lines: dict[int, list[LotLine]] = defaultdict(list)
    query = select(LotLineRow).where(LotLineRow.movement_id.in_([row.id for row in rows])).order_by(LotLineRow.id)
    for line in session.scalars(query):
        lines[line.movement_id].append(LotLine(codes[line.shelter_id], line.expires_on, line.quantity))
    return [
        Movement(
            kind=MovementKind(row.kind), shelter=codes[row.shelter_id], sku=skus[row.item_id],
            quantity=row.quantity, occurred_at=row.occurred_at, recorded_at=row.recorded_at,
            lines=tuple(lines[row.id]), to_shelter=codes.get(row.to_shelter_id) if row.to_shelter_id else None,
            by=handles.get(row.by_id) if row.by_id else None, source=row.source, note=row.note,
            key=row.key, fingerprint=row.fingerprint, id=row.id,
        )
        for row in rows
    ]


def expired_lots(as_of, cutoff: datetime | None = None):  # type: ignore[no-untyped-def]
    """(shelter id, item id, sku, expiry, quantity) of lots still holding stock that expired before `as_of`."""
    total = func.sum(LotLineRow.quantity)
    query = (
        select(LotLineRow.shelter_id, LotLineRow.item_id, ItemRow.sku, LotLineRow.expires_on,
               type_coerce(total, Quantity))
        .join(ItemRow, ItemRow.id == LotLineRow.item_id)
        .where(LotLineRow.expires_on < as_of)
        .group_by(LotLineRow.shelter_id, LotLineRow.item_id, ItemRow.sku, LotLineRow.expires_on)
        .having(total > 0)
        .order_by(LotLineRow.shelter_id, ItemRow.sku, LotLineRow.expires_on)
    )
    return query.where(LotLineRow.occurred_at < cutoff) if cutoff is not None else query


def usable_stock(session: Session, as_of, cutoff: datetime) -> dict[str, list[tuple[str, str, str, Decimal]]]:  # type: ignore[no-untyped-def]
    """Usable (unexpired, positive) stock at every shelter at the end of a day: code → [(category, sku, name, quantity)]."""
    good = or_(LotLineRow.expires_on.is_(None), LotLineRow.expires_on >= as_of)
    total = func.sum(LotLineRow.quantity)
    query = (
        select(ShelterRow.code, ItemRow.category, ItemRow.sku, ItemRow.name, type_coerce(total, Quantity))
        .join(ShelterRow, ShelterRow.id == LotLineRow.shelter_id)
        .join(ItemRow, ItemRow.id == LotLineRow.item_id)
        .where(LotLineRow.occurred_at < cutoff, good)
        .group_by(ShelterRow.code, ItemRow.category, ItemRow.sku, ItemRow.name)
        .having(total > 0)
        .order_by(ShelterRow.code, ItemRow.category, ItemRow.sku)
    )
    found: dict[str, list[tuple[str, str, str, Decimal]]] = defaultdict(list)
    for code, category, sku, name, quantity in session.execute(query):
        found[code].append((category, sku, name, quantity))
    return dict(found)
