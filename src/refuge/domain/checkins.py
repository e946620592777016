"""Check-ins: who reported, when, from where, in what state; and when the next one is due.

A mission under way on an `every N hours` schedule owes a check-in N hours after the last one (or
after it started). On named points it owes one from each point, in order of the time it is due
there. A check-in later than its due time plus the grace period makes the mission overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from refuge.domain.missions import Mission, MissionStatus


class CheckinStatus(StrEnum):
    SAFE = "safe"
    NEEDS_HELP = "needs-help"
    WOUNDED = "wounded"
    #: Neither the person nor the message said clearly.
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Checkin:
    mission: str
    person: str
    at: datetime
    status: CheckinStatus = CheckinStatus.UNKNOWN
    message: str = ""
    x: float | None = None
    y: float | None = None
    #: The named check-in point this reports from, if the schedule has points.
    point: str | None = None
    #: True when the message closed the mission ("He's here and safe. End mission.").
    ended_mission: bool = False


@dataclass(frozen=True)
class Due:
    """The next check-in a mission owes: when, from which point if any, and when it becomes overdue."""

    mission: str
    due_at: datetime
    overdue_from: datetime
    point: str | None = None

    def overdue(self, now: datetime) -> bool:
        return now > self.overdue_from


def next_due(mission: Mission, checkins: Sequence[Checkin]) -> Due | None:
    """The next check-in `mission` owes, or None (not under way, no schedule, or every point reported)."""
    if mission.status is not MissionStatus.UNDER_WAY or mission.schedule.empty:
        return None
    schedule = mission.schedule
    if schedule.every_hours is not None:
        since = max([mission.started_at or mission.start, *(c.at for c in checkins)], default=None)
        if since is None:
            return None
        due_at = since + timedelta(hours=schedule.every_hours)
        return Due(mission.code, due_at, due_at + schedule.grace)
    reported = {c.point.lower() for c in checkins if c.point}
    for point in schedule.points:
        if point.name.lower() not in reported:
            return Due(mission.code, point.due_at, point.due_at + schedule.grace, point.name)
    return None


def point_named(mission: Mission, name: str | None) -> str | None:
    """The schedule's own spelling of a point named in a check-in, or None if it names no point."""
    if not name:
        return None
    for point in mission.schedule.points:
        if point.name.lower() == name.strip().lower():
            return point.name
    return None
