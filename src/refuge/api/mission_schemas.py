"""The JSON shapes of the mission desk, shared by the API and by the CLI's `--json`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from refuge.api.schemas import MovementOut, Quantity
from refuge.domain.alerts import Alert
from refuge.domain.checkins import Checkin
from refuge.domain.messages import Reading
from refuge.domain.missions import Mission
from refuge.services.missions import FiledReport, MissionView, OverdueScan

if TYPE_CHECKING:  # the route search behind emergencies loads only when one is asked for
    from refuge.services.emergencies import Proposal, Responder


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ObjectiveOut(BaseModel):
    number: int
    text: str
    met: bool | None


class PointOut(BaseModel):
    name: str
    due_at: datetime


class ScheduleOut(BaseModel):
    every_hours: float | None
    points: list[PointOut]
    grace_minutes: int


class NoticeOut(BaseModel):
    step: str
    recipient: str
    at: datetime


class AlertOut(BaseModel):
    id: int
    mission: str
    due_at: datetime
    raised_at: datetime
    point: str | None
    level: str
    open: bool
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    notices: list[NoticeOut]

    @classmethod
    def of(cls, alert: Alert) -> AlertOut:
        return cls(id=alert.id or 0, mission=alert.mission, due_at=alert.due_at, raised_at=alert.raised_at,
                   point=alert.point, level=alert.level.value, open=alert.open, acknowledged_by=alert.acknowledged_by,
                   acknowledged_at=alert.acknowledged_at, resolved_at=alert.resolved_at,
                   notices=[NoticeOut(step=n.step.value, recipient=n.recipient, at=n.at) for n in alert.notices])


class CheckinOut(BaseModel):
    mission: str
    person: str
    at: datetime
    status: str
    message: str
    x: float | None
    y: float | None
    point: str | None
    ended_mission: bool

    @classmethod
    def of(cls, checkin: Checkin) -> CheckinOut:
        return cls(mission=checkin.mission, person=checkin.person, at=checkin.at, status=checkin.status.value,
                   message=checkin.message, x=checkin.x, y=checkin.y, point=checkin.point,
                   ended_mission=checkin.ended_mission)


class SupplyOut(BaseModel):
    shelter: str
    sku: str
    quantity: Quantity
    used_at: datetime | None


class InjuryOut(BaseModel):
    person: str
    description: str


class EquipmentOut(BaseModel):
    what: str
    action: str
    quantity: int


class ArmouryRequestOut(BaseModel):
    id: int
    what: str
    action: str
    quantity: int
    status: str


class ReportOut(BaseModel):
    mission: str
    by: str
    submitted_at: datetime
    objectives_met: list[int]
    supplies: list[SupplyOut]
    injuries: list[InjuryOut]
    equipment: list[EquipmentOut]
    narrative: str
    movements: list[MovementOut]
    armoury: list[ArmouryRequestOut]
    replayed: bool

    @classmethod
    def of(cls, filed: FiledReport) -> ReportOut:
        report = filed.report
        return cls(
            mission=report.mission, by=report.by, submitted_at=report.submitted_at,
            objectives_met=list(report.objectives_met),
            supplies=[SupplyOut(shelter=s.shelter, sku=s.sku, quantity=s.quantity, used_at=report.used_at(s))
                      for s in report.supplies],
            injuries=[InjuryOut(person=i.person, description=i.description) for i in report.injuries],
            equipment=[EquipmentOut(what=e.what, action=e.action.value, quantity=e.quantity) for e in report.equipment],
            narrative=report.narrative, movements=[MovementOut.of(m) for m in filed.movements],
            armoury=[ArmouryRequestOut(id=i, what=w, action=a, quantity=q, status=s) for i, w, a, q, s in filed.armoury],
            replayed=filed.replayed,
        )


class MissionOut(BaseModel):
    code: str
    kind: str
    title: str
    rank: str
    client: str
    status: str
    leader: str
    team: list[str]
    subject: str | None
    objectives: list[ObjectiveOut]
    start: datetime | None
    deadline: datetime | None
    area: str
    schedule: ScheduleOut
    classification: int
    started_at: datetime | None
    ended_at: datetime | None
    outcome: str
    next_checkin_due: datetime | None = None
    overdue_from: datetime | None = None
    checkins: list[CheckinOut] = Field(default_factory=list)
    alerts: list[AlertOut] = Field(default_factory=list)
    report: ReportOut | None = None

    @classmethod
    def of(cls, mission: Mission) -> MissionOut:
        schedule = mission.schedule
        return cls(
            code=mission.code, kind=mission.kind.value, title=mission.title, rank=mission.rank.value,
            client=mission.client, status=mission.status.value, leader=mission.leader, team=list(mission.team),
            subject=mission.subject,
            objectives=[ObjectiveOut(number=n, text=o.text, met=o.met) for n, o in enumerate(mission.objectives, 1)],
            start=mission.start, deadline=mission.deadline, area=mission.area,
            schedule=ScheduleOut(every_hours=schedule.every_hours,
                                 points=[PointOut(name=p.name, due_at=p.due_at) for p in schedule.points],
                                 grace_minutes=int(schedule.grace.total_seconds() // 60)),
            classification=mission.classification, started_at=mission.started_at, ended_at=mission.ended_at,
            outcome=mission.outcome,
        )

    @classmethod
    def of_view(cls, view: MissionView, full: bool = False) -> MissionOut:
        out = cls.of(view.mission)
        out.next_checkin_due = view.due.due_at if view.due else None
        out.overdue_from = view.due.overdue_from if view.due else None
        out.alerts = [AlertOut.of(a) for a in view.alerts]
        if full:
            out.checkins = [CheckinOut.of(c) for c in view.checkins]
            out.report = ReportOut.of(view.report) if view.report else None
        return out


class CheckedInOut(BaseModel):
    checkin: CheckinOut
    mission_status: str
    #: True when the message was read as the last call and the mission was completed by it.
    ended_mission: bool
    #: Why a message asking to end the mission did not (it was not plain enough).
    doubts: list[str]

    @classmethod
    def of(cls, checkin: Checkin, reading: Reading, mission: Mission) -> CheckedInOut:
        return cls(checkin=CheckinOut.of(checkin), mission_status=mission.status.value,
                   ended_mission=checkin.ended_mission, doubts=list(reading.doubts))


class OverdueMissionOut(BaseModel):
    mission: str
    title: str
    leader: str
    due_at: datetime
    overdue_from: datetime
    point: str | None
    alert: AlertOut


class SentOut(BaseModel):
    alert: int
    step: str
    recipient: str
    at: datetime


class OverdueOut(BaseModel):
    at: datetime
    overdue: list[OverdueMissionOut]
    raised: list[int]
    sent: list[SentOut]

    @classmethod
    def of(cls, scan: OverdueScan) -> OverdueOut:
        return cls(
            at=scan.at,
            overdue=[OverdueMissionOut(mission=m.code, title=m.title, leader=m.leader, due_at=d.due_at,
                                       overdue_from=d.overdue_from, point=d.point, alert=AlertOut.of(a))
                     for m, d, a in scan.overdue],
            raised=[a.id or 0 for a in scan.raised],
            sent=[SentOut(alert=int(alert), step=n.step.value, recipient=n.recipient, at=n.at) for alert, n in scan.sent],
        )


class ShelterOnTheWayOut(BaseModel):
    code: str
    name: str
    off_route_m: float
    holds: dict[str, Quantity]


class ResponderOut(BaseModel):
    handle: str
    name: str
    rank: str
    clearance: int
    start: tuple[float, float]
    start_from: str
    time_s: float
    minutes: int
    distance_m: float
    chakra: float
    method: str
    route: list[tuple[float, float]]
    shelters: list[ShelterOnTheWayOut]

    @classmethod
    def of(cls, r: Responder) -> ResponderOut:
        return cls(handle=r.person.handle, name=r.person.name, rank=r.person.rank.value, clearance=r.person.clearance,
                   start=r.start, start_from=r.start_from, time_s=round(r.time_s, 1), minutes=round(r.time_s / 60),
                   distance_m=round(r.distance_m, 1), chakra=r.chakra, method=r.method, route=r.route,
                   shelters=[ShelterOnTheWayOut(code=c, name=n, off_route_m=off, holds=holds)
                             for c, n, off, holds in r.shelters])


class ExcludedOut(BaseModel):
    handle: str
    reason: str


class ProposalOut(BaseModel):
    skill: str
    place: str
    at: tuple[float, float]
    person: str
    clearance: int
    responders: list[ResponderOut]
    excluded: list[ExcludedOut]

    @classmethod
    def of(cls, proposal: Proposal) -> ProposalOut:
        return cls(skill=proposal.skill, place=proposal.place, at=proposal.at, person=proposal.subject.handle,
                   clearance=proposal.clearance, responders=[ResponderOut.of(r) for r in proposal.responders],
                   excluded=[ExcludedOut(handle=h, reason=why) for h, why in proposal.excluded])


class AcceptedOut(BaseModel):
    mission: MissionOut
    responder: ResponderOut


# --- what is sent -------------------------------------------------------------------------------

class MissionIn(_In):
    title: str
    rank: str
    client: str = ""
    objectives: list[str] = Field(default_factory=list)
    leader: str | None = None
    team: list[str] = Field(default_factory=list)
    start: str | None = None
    deadline: str | None = None
    area: str = ""
    checkins: str | None = Field(None, description="`every 6h`, or named points `POINT@TIME; POINT@TIME`")
    grace_minutes: int | None = None
    classification: int = 1


class AssignIn(_In):
    leader: str
    team: list[str] = Field(default_factory=list)


class StartIn(_In):
    at: str | None = None


class EndIn(_In):
    outcome: str = "complete"
    note: str = ""
    at: str | None = None


class CheckinIn(_In):
    mission: str
    person: str
    at: str | None = None
    status: str | None = None
    message: str = ""
    x: float | None = None
    y: float | None = None
    point: str | None = None


class AckIn(_In):
    by: str
    at: str | None = None


class SupplyIn(_In):
    shelter: str
    sku: str
    quantity: Decimal | str | int | float
    used_at: str | None = None


class InjuryIn(_In):
    person: str
    description: str


class EquipmentIn(_In):
    what: str
    action: str
    quantity: int = 1


class ReportIn(_In):
    by: str
    submitted_at: str | None = None
    objectives_met: list[int] = Field(default_factory=list)
    supplies: list[SupplyIn] = Field(default_factory=list)
    injuries: list[InjuryIn] = Field(default_factory=list)
    equipment: list[EquipmentIn] = Field(default_factory=list)
    narrative: str = ""


class EmergencyIn(_In):
    skill: str = "medic"
    place: str
    person: str
    classification: int = 1
    limit: int | None = 5


class AcceptIn(EmergencyIn):
    responder: str
