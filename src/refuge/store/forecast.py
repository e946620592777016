"""Queries for the forecasts: consumption by day, when each shelter began holding each item, lots, par levels."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session

from refuge.domain.ledger import MovementKind
from refuge.store.tables import LotLineRow, MovementRow, ParLevelRow
from refuge.store.types import Quantity

Pair = tuple[int, int]  # (shelter id, item id)


def daily_consumption(session: Session, since: datetime, cutoff: datetime) -> dict[Pair, dict[date, Decimal]]:
    """Units consumed per shelter, item and day, from consumption that occurred in [since, cutoff)."""
    query = select(MovementRow.shelter_id, MovementRow.item_id, MovementRow.occurred_at, MovementRow.quantity).where(
        MovementRow.kind == MovementKind.CONSUME.value, MovementRow.occurred_at >= since,
        MovementRow.occurred_at < cutoff)
    days: dict[Pair, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for shelter_id, item_id, occurred_at, quantity in session.execute(query):
        days[(shelter_id, item_id)][occurred_at.date()] += abs(quantity)
    return {pair: dict(found) for pair, found in days.items()}


def first_movements(session: Session, cutoff: datetime) -> dict[Pair, datetime]:
    """When each shelter's ledger first touched each item (the start of its exposure)."""
    query = (select(LotLineRow.shelter_id, LotLineRow.item_id, func.min(LotLineRow.occurred_at))
             .where(LotLineRow.occurred_at < cutoff).group_by(LotLineRow.shelter_id, LotLineRow.item_id))
    return {(s, i): first for s, i, first in session.execute(query)}


def all_lots(session: Session, cutoff: datetime) -> dict[Pair, list[tuple[date | None, Decimal]]]:
    """Every lot still holding stock, per shelter and item: (expiry, quantity)."""
    total = func.sum(LotLineRow.quantity)
    query = (select(LotLineRow.shelter_id, LotLineRow.item_id, LotLineRow.expires_on, type_coerce(total, Quantity))
             .where(LotLineRow.occurred_at < cutoff)
             .group_by(LotLineRow.shelter_id, LotLineRow.item_id, LotLineRow.expires_on).having(total > 0))
    found: dict[Pair, list[tuple[date | None, Decimal]]] = defaultdict(list)
    for shelter_id, item_id, expires_on, quantity in session.execute(query):
        found[(shelter_id, item_id)].append((expires_on, quantity))
    return dict(found)


def par_levels(session: Session) -> dict[Pair, tuple[Decimal, Decimal, Decimal]]:
    """(min, target, capacity) per shelter and item."""
    query = select(ParLevelRow.shelter_id, ParLevelRow.item_id, ParLevelRow.min, ParLevelRow.target,
                   ParLevelRow.capacity)
    return {(s, i): (low, target, capacity) for s, i, low, target, capacity in session.execute(query)}
