"""Missions: rank, objectives, team and leader, check-in schedule, classification, and the status machine.

A mission moves draft → assigned → under way → complete, failed or aborted. A draft or assigned
mission may also be aborted. Nothing else is allowed: a finished mission stays finished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from refuge.domain.errors import Conflict, InvalidInput, NotFound
from refuge.domain.network import check_clearance, parse_choice
from refuge.domain.values import parse_datetime

_CODE = re.compile(r"^M-\d{4,}$")
#: A check-in may be this late before the desk is alerted, unless the mission says otherwise.
DEFAULT_GRACE = timedelta(minutes=60)


class MissionRank(StrEnum):
    D = "D"
    C = "C"
    B = "B"
    A = "A"
    S = "S"


class MissionStatus(StrEnum):
    DRAFT = "draft"
    ASSIGNED = "assigned"
    UNDER_WAY = "under-way"
    COMPLETE = "complete"
    FAILED = "failed"
    ABORTED = "aborted"


class MissionKind(StrEnum):
    MISSION = "mission"
    RESCUE = "rescue"


#: Every move the status machine allows; anything else is an IllegalTransition.
TRANSITIONS: dict[MissionStatus, frozenset[MissionStatus]] = {
    MissionStatus.DRAFT: frozenset({MissionStatus.ASSIGNED, MissionStatus.ABORTED}),
    MissionStatus.ASSIGNED: frozenset({MissionStatus.UNDER_WAY, MissionStatus.ABORTED}),
    MissionStatus.UNDER_WAY: frozenset({MissionStatus.COMPLETE, MissionStatus.FAILED, MissionStatus.ABORTED}),
    MissionStatus.COMPLETE: frozenset(),
    MissionStatus.FAILED: frozenset(),
    MissionStatus.ABORTED: frozenset(),
}
ENDINGS = frozenset({MissionStatus.COMPLETE, MissionStatus.FAILED, MissionStatus.ABORTED})
ACTIVE = frozenset({MissionStatus.ASSIGNED, MissionStatus.UNDER_WAY})


class UnknownMission(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"unknown mission {code!r} (see `refuge missions`)")
        self.code = code


class IllegalTransition(Conflict):
    """A status change the machine does not allow, such as starting a finished mission."""

    def __init__(self, code: str, current: MissionStatus, wanted: MissionStatus) -> None:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "nothing: it is finished"
        super().__init__(f"mission {code} is {current.value} and cannot become {wanted.value} "
                         f"(from {current.value} it may become {allowed})")
        self.code, self.current, self.wanted = code, current, wanted


class NotOnMission(Conflict):
    def __init__(self, code: str, person: str) -> None:
        super().__init__(f"{person} is not on mission {code}; only its team may check in or report")
        self.code, self.person = code, person


def normalise_mission_code(value: object) -> str:
    code = str(value).strip().upper()
    if not _CODE.match(code):
        raise UnknownMission(str(value))
    return code


@dataclass(frozen=True)
class Objective:
    text: str
    #: None until a report says whether it was met.
    met: bool | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InvalidInput("an objective needs some text")


@dataclass(frozen=True)
class CheckpointDue:
    """A named point on the route, and when the team should report from it."""

    name: str
    due_at: datetime


@dataclass(frozen=True)
class Schedule:
    """When the team must check in: every N hours, or at named points, with a grace period for lateness."""

    every_hours: float | None = None
    points: tuple[CheckpointDue, ...] = ()
    grace: timedelta = DEFAULT_GRACE

    def __post_init__(self) -> None:
        if self.every_hours is not None and self.points:
            raise InvalidInput("a check-in schedule is every N hours or at named points, not both")
        if self.every_hours is not None and not (0 < self.every_hours <= 24 * 30):
            raise InvalidInput(f"check-ins every {self.every_hours:g} hours: give a number of hours above 0, "
                               "at most 720")
        if self.grace < timedelta(0):
            raise InvalidInput("the grace period cannot be negative")
        names = [point.name.lower() for point in self.points]
        if len(set(names)) != len(names):
            raise InvalidInput("each named check-in point may appear only once")
        object.__setattr__(self, "points", tuple(sorted(self.points, key=lambda p: p.due_at)))

    @property
    def empty(self) -> bool:
        return self.every_hours is None and not self.points


def parse_schedule(text: str | None, grace_minutes: int | None = None) -> Schedule:
    """`every 6h` / `6` (hours), or named points `Tanzaku Town@2026-05-01T14:00; Mikawa Crossing@2026-05-02T09:00`."""
    grace = DEFAULT_GRACE if grace_minutes is None else timedelta(minutes=grace_minutes)
    if grace_minutes is not None and grace_minutes < 0:
        raise InvalidInput(f"grace period must be 0 minutes or more, not {grace_minutes}")
    wanted = (text or "").strip()
    if not wanted:
        return Schedule(grace=grace)
    hours = re.fullmatch(r"(?:every\s+)?(\d+(?:\.\d+)?)\s*(?:h|hours?)?", wanted, re.IGNORECASE)
    if hours:
        return Schedule(every_hours=float(hours.group(1)), grace=grace)
    points = []
    for part in (piece.strip() for piece in wanted.split(";")):
        name, at, when = part.rpartition("@")
        if not at or not name.strip():
            raise InvalidInput(f"check-in schedule {text!r}: expected 'every N h' or 'POINT@TIME; POINT@TIME'")
        points.append(CheckpointDue(name.strip(), parse_datetime(when, field=f"check-in point {name.strip()!r}")))
    return Schedule(points=tuple(points), grace=grace)


@dataclass(frozen=True)
class Mission:
    code: str
    title: str
    rank: MissionRank
    leader: str
    team: tuple[str, ...]
    client: str = ""
    objectives: tuple[Objective, ...] = ()
    start: datetime | None = None
    deadline: datetime | None = None
    area: str = ""
    schedule: Schedule = field(default_factory=Schedule)
    #: The clearance a person needs to see this mission at all.
    classification: int = 1
    status: MissionStatus = MissionStatus.DRAFT
    kind: MissionKind = MissionKind.MISSION
    #: For a rescue: the person to bring back.
    subject: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    outcome: str = ""

    def __post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise InvalidInput(f"mission code {self.code!r} is not valid (expected M- and four digits)")
        if not self.title.strip():
            raise InvalidInput("a mission needs a title")
        object.__setattr__(self, "rank", _rank(self.rank))
        object.__setattr__(self, "status", parse_choice(MissionStatus, self.status, "mission status"))
        object.__setattr__(self, "kind", parse_choice(MissionKind, self.kind, "mission kind"))
        check_clearance(self.classification, "classification")
        team = tuple(dict.fromkeys(self.team))
        if self.leader and self.leader not in team:
            team = (self.leader, *team)
        object.__setattr__(self, "team", team)
        if self.status is not MissionStatus.DRAFT and not self.leader:
            raise InvalidInput(f"mission {self.code} needs a leader once it is assigned")
        if self.start and self.deadline and self.deadline <= self.start:
            raise InvalidInput(f"mission {self.code}: the deadline must come after the start")

    def moved_to(self, wanted: MissionStatus, at: datetime, outcome: str = "") -> Mission:
        """This mission in its next status; IllegalTransition if the machine does not allow it."""
        if wanted not in TRANSITIONS[self.status]:
            raise IllegalTransition(self.code, self.status, wanted)
        if wanted is MissionStatus.ASSIGNED and not self.leader:
            raise InvalidInput(f"mission {self.code} needs a leader before it can be assigned")
        changes: dict[str, object] = {"status": wanted}
        if wanted is MissionStatus.UNDER_WAY:
            changes["started_at"] = at
        if wanted in ENDINGS:
            changes["ended_at"], changes["outcome"] = at, outcome
        return replace(self, **changes)  # type: ignore[arg-type]

    def assigned(self, leader: str, team: tuple[str, ...], at: datetime) -> Mission:
        """The draft given its leader and team, and assigned."""
        if self.status is not MissionStatus.DRAFT:
            raise IllegalTransition(self.code, self.status, MissionStatus.ASSIGNED)
        if not leader:
            raise InvalidInput(f"mission {self.code} needs a leader")
        return replace(self, leader=leader, team=tuple(dict.fromkeys((leader, *team)))).moved_to(
            MissionStatus.ASSIGNED, at)

    def on_team(self, handle: str) -> bool:
        return handle in self.team

    @property
    def finished(self) -> bool:
        return self.status in ENDINGS


def _rank(value: object) -> MissionRank:
    try:
        return MissionRank(str(value).strip().upper())
    except ValueError:
        raise InvalidInput(f"rank {value!r} is not one of: D, C, B, A, S") from None


def parse_status(value: object) -> MissionStatus:
    text = str(value).strip().lower().replace(" ", "-").replace("_", "-")
    return parse_choice(MissionStatus, text, "status")  # type: ignore[return-value]
