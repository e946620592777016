"""The facts readiness is judged on, gathered for every shelter in a few set-based queries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from refuge.domain.defences import state_of
from refuge.domain.ledger import VISIT_KINDS, MovementKind
from refuge.domain.network import ShelterStatus
from refuge.domain.readiness import ExpiredLot, ShelterFacts, Shortfall
from refuge.store.ledger import expired_lots
from refuge.store.register import defences
from refuge.store.tables import DefenceRow, DefenceTestRow, ItemRow, LotLineRow, MovementRow, ParLevelRow, ShelterRow
from refuge.store.types import Quantity


def facts(session: Session, as_of: date, cutoff: datetime) -> dict[str, ShelterFacts]:
    """Facts for every shelter on `as_of`, from what occurred before `cutoff` (the end of that day)."""
    shelters = dict(session.execute(select(ShelterRow.id, ShelterRow.code)).all())
    statuses = dict(session.execute(select(ShelterRow.code, ShelterRow.status)).all())
    found = {code: _Facts() for code in shelters.values()}
    usable = _usable(as_of, cutoff)
    for shelter_id, sku, low, have in session.execute(_shortfalls(usable)):
        found[shelters[shelter_id]].shortfalls.append(Shortfall(sku, have, low))
    for shelter_id, category in session.execute(_empty_categories(usable)):
        found[shelters[shelter_id]].empty_categories.append(category)
    for shelter_id, _item, sku, expires_on, quantity in session.execute(expired_lots(as_of, cutoff)):
        found[shelters[shelter_id]].expired_lots.append(ExpiredLot(sku, expires_on, quantity))
    for defence, tests in defences(session, cutoff=cutoff):
        found[defence.shelter].defences.append(state_of(defence, tests, as_of))
    for shelter_id, last in _last_visits(session, cutoff):
        found[shelters[shelter_id]].note_visit(last)
    return {
        code: ShelterFacts(code, ShelterStatus(statuses[code]), f.shortfalls, f.empty_categories,
                           f.expired_lots, f.defences, f.last_visit)
        for code, f in sorted(found.items())
    }


class _Facts:
    def __init__(self) -> None:
        self.shortfalls: list = []
        self.empty_categories: list = []
        self.expired_lots: list = []
        self.defences: list = []
        self.last_visit: datetime | None = None

    def note_visit(self, moment: datetime | None) -> None:
        if moment is not None and (self.last_visit is None or moment > self.last_visit):
            self.last_visit = moment


def _usable(as_of: date, cutoff: datetime):  # type: ignore[no-untyped-def]
    """Usable (unexpired) quantity per shelter and item, as a subquery."""
    good = or_(LotLineRow.expires_on.is_(None), LotLineRow.expires_on >= as_of)
    return (
        select(
            LotLineRow.shelter_id,
            LotLineRow.item_id,
            func.sum(case((good, LotLineRow.quantity), else_=0)).label("quantity"),
        )
        .where(LotLineRow.occurred_at < cutoff)
        .group_by(LotLineRow.shelter_id, LotLineRow.item_id)
        .subquery()
    )


def _with_usable(usable):  # type: ignore[no-untyped-def]
    have = func.coalesce(usable.c.quantity, 0)
    joined = (
        select(ParLevelRow.shelter_id)
        .join(ItemRow, ItemRow.id == ParLevelRow.item_id)
        .outerjoin(usable, and_(usable.c.shelter_id == ParLevelRow.shelter_id, usable.c.item_id == ParLevelRow.item_id))
    )
    return joined, have


def _shortfalls(usable):  # type: ignore[no-untyped-def]
    joined, have = _with_usable(usable)
    return joined.add_columns(ItemRow.sku, ParLevelRow.min, type_coerce(have, Quantity)).where(have < ParLevelRow.min)


def _empty_categories(usable):  # type: ignore[no-untyped-def]
    joined, have = _with_usable(usable)
    return (
        joined.add_columns(ItemRow.category)
        .where(ParLevelRow.min > 0)
        .group_by(ParLevelRow.shelter_id, ItemRow.category)
        .having(func.sum(have) <= 0)
    )


def _last_visits(session: Session, cutoff: datetime):  # type: ignore[no-untyped-def]
    """When each shelter was last looked after: restocked, counted, written off, sent stock, or tested."""
    kinds = [kind.value for kind in VISIT_KINDS]
    here = (
        select(MovementRow.shelter_id, func.max(MovementRow.occurred_at))
        .where(MovementRow.kind.in_(kinds), MovementRow.occurred_at < cutoff)
        .group_by(MovementRow.shelter_id)
    )
    delivered = (
        select(MovementRow.to_shelter_id, func.max(MovementRow.occurred_at))
        .where(MovementRow.kind == MovementKind.TRANSFER.value, MovementRow.occurred_at < cutoff)
        .group_by(MovementRow.to_shelter_id)
    )
    tested = (
        select(DefenceRow.shelter_id, func.max(DefenceTestRow.tested_at))
        .join(DefenceRow, DefenceRow.id == DefenceTestRow.defence_id)
        .where(DefenceTestRow.tested_at < cutoff)
        .group_by(DefenceRow.shelter_id)
    )
    for query in (here, delivered, tested):
        yield from session.execute(query).all()
