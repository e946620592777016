"""Overdue alerts and their escalation ladder: the desk, then the leader's superior, then the Hokage's office.

An alert is raised the moment a check-in becomes overdue (its due time plus the grace period). Each
step up the ladder comes one interval after the one before, unless someone has acknowledged the
alert (or the team has checked in) by then: the first acknowledgement stops the ladder for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from refuge.domain.errors import Conflict, NotFound

#: How long each step of the ladder waits for an acknowledgement before the next is told.
DEFAULT_STEP = timedelta(minutes=60)
DESK = "mission desk"
OFFICE = "Hokage's office"


class Step(StrEnum):
    DESK = "desk"
    SUPERIOR = "superior"
    OFFICE = "office"


class UnknownAlert(NotFound):
    def __init__(self, alert: object) -> None:
        super().__init__(f"unknown alert {alert!r} (see `refuge overdue`)")


class AlreadyAcknowledged(Conflict):
    def __init__(self, alert: int, by: str, at: datetime) -> None:
        super().__init__(f"alert {alert} was already acknowledged by {by} at {at.isoformat(timespec='minutes')}; "
                         "the first acknowledgement stands")
        self.by, self.at = by, at


@dataclass(frozen=True)
class Notice:
    """One rung of the ladder: who was told, and when."""

    step: Step
    recipient: str
    at: datetime


def ladder(raised_at: datetime, superior: str | None, step: timedelta = DEFAULT_STEP) -> list[Notice]:
    """Every notice the alert would send if nobody ever acknowledged it. Without a superior on record
    the second rung goes straight to the Hokage's office, one step after the desk."""
    notices = [Notice(Step.DESK, DESK, raised_at)]
    if superior:
        notices.append(Notice(Step.SUPERIOR, superior, raised_at + step))
    notices.append(Notice(Step.OFFICE, OFFICE, raised_at + step * len(notices)))
    return notices


def notices_due(raised_at: datetime, superior: str | None, now: datetime, stopped_at: datetime | None = None,
                step: timedelta = DEFAULT_STEP) -> list[Notice]:
    """The notices sent by `now`: those whose time has come and that came before the ladder stopped.

    A notice falling due at the very moment of the acknowledgement is not sent: the person on the
    previous rung answered in time.
    """
    return [notice for notice in ladder(raised_at, superior, step)
            if notice.at <= now and (stopped_at is None or notice.at < stopped_at or notice.step is Step.DESK)]


@dataclass(frozen=True)
class Alert:
    id: int | None
    mission: str
    due_at: datetime
    raised_at: datetime
    point: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    #: When a check-in arrived after all, which also stops the ladder.
    resolved_at: datetime | None = None
    notices: tuple[Notice, ...] = ()

    @property
    def stopped_at(self) -> datetime | None:
        moments = [m for m in (self.acknowledged_at, self.resolved_at) if m is not None]
        return min(moments) if moments else None

    @property
    def open(self) -> bool:
        return self.stopped_at is None

    @property
    def level(self) -> Step:
        return self.notices[-1].step if self.notices else Step.DESK

    def acknowledge(self, by: str, at: datetime) -> Alert:
        if self.acknowledged_by is not None and self.acknowledged_at is not None:
            raise AlreadyAcknowledged(self.id or 0, self.acknowledged_by, self.acknowledged_at)
        return Alert(self.id, self.mission, self.due_at, self.raised_at, self.point, by, at, self.resolved_at,
                     self.notices)
