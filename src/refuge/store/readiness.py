"""The facts readiness is judged on, gathered for every shelter in a few set-based queries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select, true, type_coerce
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
    # The ledger is summed once: an empty category is one whose every stocked item is short with nothing usable.
    empty_items: dict[tuple[int, str], int] = {}
    for shelter_id, category, sku, low, have in session.execute(_shortfalls(_usable(as_of, cutoff))):
        found[shelters[shelter_id]].shortfalls.append(Shortfall(sku, have, low))
        if have <= 0 and low > 0:
            empty_items[(shelter_id, category)] = empty_items.get((shelter_id, category), 0) + 1
    for shelter_id, category, stocked in session.execute(_stocked_categories(sorted({s for s, _ in empty_items}))):
        if empty_items.get((shelter_id, category)) == stocked:
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


def _shortfalls(usable):  # type: ignore[no-untyped-def]
    """(shelter id, category, sku, min, usable) of every par-levelled item below its minimum."""
    have = func.coalesce(usable.c.quantity, 0)
    return (
        select(ParLevelRow.shelter_id, ItemRow.category, ItemRow.sku, ParLevelRow.min, type_coerce(have, Quantity))
        .join(ItemRow, ItemRow.id == ParLevelRow.item_id)
        .outerjoin(usable, and_(usable.c.shelter_id == ParLevelRow.shelter_id, usable.c.item_id == ParLevelRow.item_id))
        .where(have < ParLevelRow.min)
    )


#: Beyond this many shelters, counting every shelter's categories is cheaper than a long IN list.
MAX_LISTED = 2000


def _stocked_categories(shelter_ids: list[int]):  # type: ignore[no-untyped-def]
    """(shelter id, category, items with a minimum above zero) for the given shelters."""
    return (
        select(ParLevelRow.shelter_id, ItemRow.category, func.count())
        .join(ItemRow, ItemRow.id == ParLevelRow.item_id)
        .where(ParLevelRow.min > 0)
        .where(ParLevelRow.shelter_id.in_(shelter_ids) if len(shelter_ids) <= MAX_LISTED else true())
        .group_by(ParLevelRow.shelter_id, ItemRow.category)
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
