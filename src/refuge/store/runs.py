"""Accepted runs and their stops: the queries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from refuge.domain.errors import NotFound
from refuge.store.tables import PersonRow, RunRow, RunStopRow, ShelterRow


def run_by_key(session: Session, key: str) -> RunRow | None:
    return session.scalars(select(RunRow).where(RunRow.key == key)).first()


def add_run(session: Session, key: str, starts_on: date, volunteer_id: int, days: int, minutes: int,
            accepted_at: datetime, stops: list[tuple[int, date, dict, list]]) -> int:
    run = RunRow(key=key, starts_on=starts_on, volunteer_id=volunteer_id, days=days, minutes=minutes,
                 status="planned", accepted_at=accepted_at)
    session.add(run)
    session.flush()
    for position, (shelter_id, arrive_on, packing, tasks) in enumerate(stops, 1):
        session.add(RunStopRow(run_id=run.id, position=position, shelter_id=shelter_id, arrive_on=arrive_on,
                               packing=packing, tasks=tasks))
    session.flush()
    return run.id


def run_row(session: Session, run_id: int, *, lock: bool = False) -> RunRow:
    query = select(RunRow).where(RunRow.id == run_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"unknown run {run_id} (see `refuge runs`)")
    return row


def stops(session: Session, run_id: int) -> list[tuple[RunStopRow, str]]:
    """The run's stops in order, each with its shelter's code."""
    query = (select(RunStopRow, ShelterRow.code).join(ShelterRow, ShelterRow.id == RunStopRow.shelter_id)
             .where(RunStopRow.run_id == run_id).order_by(RunStopRow.position))
    return [(row, code) for row, code in session.execute(query).all()]


def runs(session: Session) -> list[tuple[RunRow, str]]:
    """Every accepted run with its volunteer's handle, by day."""
    query = select(RunRow, PersonRow.handle).join(PersonRow, PersonRow.id == RunRow.volunteer_id)
    return [(row, handle) for row, handle in session.execute(query.order_by(RunRow.starts_on, RunRow.id)).all()]
