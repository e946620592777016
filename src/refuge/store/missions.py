"""Queries of the mission desk: missions, teams, check-ins, alerts and their notices, reports."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from refuge.domain.alerts import Alert, Notice, Step
from refuge.domain.checkins import Checkin, CheckinStatus
from refuge.domain.missions import (
    ACTIVE,
    CheckpointDue,
    Mission,
    MissionStatus,
    Objective,
    Schedule,
    UnknownMission,
    normalise_mission_code,
)
from refuge.domain.people import PersonCondition
from refuge.domain.reports import Report
from refuge.store.register import handles_by_id
from refuge.store.tables import (
    AlertNoticeRow,
    AlertRow,
    ArmouryRequestRow,
    CheckinRow,
    CheckpointRow,
    InjuryRow,
    ItemRow,
    MissionMemberRow,
    MissionRow,
    ObjectiveRow,
    PersonRow,
    ReportRow,
    ReportSupplyRow,
    ShelterRow,
)


def mission_row(session: Session, code: str, *, lock: bool = False) -> MissionRow:
    """The mission with this code; `lock` holds it until the transaction ends, so changes to it queue up."""
    query = select(MissionRow).where(MissionRow.code == normalise_mission_code(code))
    row = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise UnknownMission(code)
    return row


def next_code(session: Session) -> str:
    highest = session.scalar(select(func.max(MissionRow.id))) or 0
    taken = set(session.scalars(select(MissionRow.code)))
    number = highest + 1
    while f"M-{number:04d}" in taken:
        number += 1
    return f"M-{number:04d}"


def add_mission(session: Session, mission: Mission, ids: dict[str, int], created_at: datetime) -> MissionRow:
    row = MissionRow(created_at=created_at, **_values(mission, ids))
    session.add(row)
    session.flush()
    _write_parts(session, row.id, mission, ids)
    return row


def save_mission(session: Session, row: MissionRow, mission: Mission, ids: dict[str, int]) -> None:
    """Write the mission's status, times, team and objectives over what the row held."""
    for name, value in _values(mission, ids).items():
        setattr(row, name, value)
    for table in (MissionMemberRow, ObjectiveRow, CheckpointRow):
        for old in session.scalars(select(table).where(table.mission_id == row.id)):  # type: ignore[attr-defined]
            session.delete(old)
    session.flush()
    _write_parts(session, row.id, mission, ids)


def _values(mission: Mission, ids: dict[str, int]) -> dict[str, object]:
    return {
        "code": mission.code, "kind": mission.kind.value, "title": mission.title, "rank": mission.rank.value,
        "client": mission.client, "leader_id": ids[mission.leader] if mission.leader else None,
        "subject_id": ids[mission.subject] if mission.subject else None, "area": mission.area,
        "start_at": mission.start, "deadline_at": mission.deadline, "every_hours": mission.schedule.every_hours,
        "grace_minutes": int(mission.schedule.grace.total_seconds() // 60),
        "classification": mission.classification, "status": mission.status.value,
        "started_at": mission.started_at, "ended_at": mission.ended_at, "outcome": mission.outcome,
    }


def _write_parts(session: Session, mission_id: int, mission: Mission, ids: dict[str, int]) -> None:
    session.add_all(MissionMemberRow(mission_id=mission_id, person_id=ids[handle], position=number)
                    for number, handle in enumerate(mission.team))
    session.add_all(ObjectiveRow(mission_id=mission_id, position=number, text=objective.text, met=objective.met)
                    for number, objective in enumerate(mission.objectives))
    session.add_all(CheckpointRow(mission_id=mission_id, name=point.name, due_at=point.due_at)
                    for point in mission.schedule.points)
    session.flush()


def person_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(PersonRow.handle, PersonRow.id)).all())


def missions(session: Session, rows: list[MissionRow] | None = None) -> list[Mission]:
    """Every mission (or those of `rows`) with its team, objectives and schedule, by code."""
    if rows is None:
        rows = list(session.scalars(select(MissionRow).order_by(MissionRow.code)))
    if not rows:
        return []
    wanted = [row.id for row in rows]
    handles = handles_by_id(session)
    teams: dict[int, list[str]] = defaultdict(list)
    for member in session.scalars(select(MissionMemberRow).where(MissionMemberRow.mission_id.in_(wanted))
                                  .order_by(MissionMemberRow.position)):
        teams[member.mission_id].append(handles[member.person_id])
    objectives: dict[int, list[Objective]] = defaultdict(list)
    for objective in session.scalars(select(ObjectiveRow).where(ObjectiveRow.mission_id.in_(wanted))
                                     .order_by(ObjectiveRow.position)):
        objectives[objective.mission_id].append(Objective(objective.text, objective.met))
    points: dict[int, list[CheckpointDue]] = defaultdict(list)
    for point in session.scalars(select(CheckpointRow).where(CheckpointRow.mission_id.in_(wanted))):
        points[point.mission_id].append(CheckpointDue(point.name, point.due_at))
    return [_mission(row, handles, teams[row.id], objectives[row.id], points[row.id]) for row in rows]


def _mission(row: MissionRow, handles: dict[int, str], team: list[str], objectives: list[Objective],
             points: list[CheckpointDue]) -> Mission:
    schedule = Schedule(row.every_hours, tuple(points), timedelta(minutes=row.grace_minutes))
    return Mission(
        code=row.code, title=row.title, rank=row.rank, leader=handles[row.leader_id] if row.leader_id else "",  # type: ignore[arg-type]
        team=tuple(team), client=row.client, objectives=tuple(objectives), start=row.start_at,
        deadline=row.deadline_at, area=row.area, schedule=schedule, classification=row.classification,
        status=row.status, kind=row.kind, subject=handles[row.subject_id] if row.subject_id else None,  # type: ignore[arg-type]
        started_at=row.started_at, ended_at=row.ended_at, outcome=row.outcome,
    )


def mission(session: Session, row: MissionRow) -> Mission:
    return missions(session, [row])[0]


def missions_with_status(session: Session, statuses: set[MissionStatus]) -> list[MissionRow]:
    query = select(MissionRow).where(MissionRow.status.in_([s.value for s in statuses])).order_by(MissionRow.code)
    return list(session.scalars(query))


def leaders(session: Session) -> dict[int, str]:
    """Mission id → its leader's handle."""
    query = select(MissionRow.id, PersonRow.handle).join(PersonRow, PersonRow.id == MissionRow.leader_id)
    return dict(session.execute(query).all())  # type: ignore[arg-type]


def item_id(session: Session, sku: str) -> int | None:
    return session.scalar(select(ItemRow.id).where(ItemRow.sku == sku.strip().upper()))


def mark_injured(session: Session, person_id: int) -> None:
    """A person hurt on a mission is injured until someone records otherwise (worse stays worse)."""
    row = session.get(PersonRow, person_id)
    if row is not None and row.condition in (PersonCondition.FIT.value, PersonCondition.TIRED.value,
                                             PersonCondition.CHAKRA_LOW.value):
        row.condition = PersonCondition.INJURED.value
        session.flush()


def busy_handles(session: Session) -> set[str]:
    """Everyone on a mission that is assigned or under way."""
    query = (select(PersonRow.handle).join(MissionMemberRow, MissionMemberRow.person_id == PersonRow.id)
             .join(MissionRow, MissionRow.id == MissionMemberRow.mission_id)
             .where(MissionRow.status.in_([s.value for s in ACTIVE])))
    return set(session.scalars(query))


# --- check-ins --------------------------------------------------------------------------------

def checkins(session: Session, mission_ids: list[int]) -> dict[int, list[Checkin]]:
    """The check-ins of some missions, oldest first, by mission id."""
    found: dict[int, list[Checkin]] = defaultdict(list)
    if not mission_ids:
        return found
    handles = handles_by_id(session)
    codes = dict(session.execute(select(MissionRow.id, MissionRow.code).where(MissionRow.id.in_(mission_ids))).all())
    query = select(CheckinRow).where(CheckinRow.mission_id.in_(mission_ids)).order_by(CheckinRow.at, CheckinRow.id)
    for row in session.scalars(query):
        found[row.mission_id].append(Checkin(codes[row.mission_id], handles[row.person_id], row.at,
                                             CheckinStatus(row.status), row.message, row.x, row.y, row.point,
                                             row.ended_mission))
    return found


def add_checkin(session: Session, mission_id: int, person_id: int, checkin: Checkin, recorded_at: datetime) -> int:
    row = CheckinRow(mission_id=mission_id, person_id=person_id, at=checkin.at, recorded_at=recorded_at,
                     status=checkin.status.value, message=checkin.message, x=checkin.x, y=checkin.y,
                     point=checkin.point, ended_mission=checkin.ended_mission)
    session.add(row)
    session.flush()
    return row.id


def last_positions(session: Session) -> dict[str, tuple[float, float, datetime]]:
    """Each person's latest check-in that gave a position: handle → (x, y, when)."""
    latest = (select(CheckinRow.person_id, func.max(CheckinRow.at).label("at"))
              .where(CheckinRow.x.is_not(None)).group_by(CheckinRow.person_id).subquery())
    query = (select(PersonRow.handle, CheckinRow.x, CheckinRow.y, CheckinRow.at)
             .join(latest, (latest.c.person_id == CheckinRow.person_id) & (latest.c.at == CheckinRow.at))
             .join(PersonRow, PersonRow.id == CheckinRow.person_id).where(CheckinRow.x.is_not(None)))
    return {handle: (x, y, at) for handle, x, y, at in session.execute(query)}


# --- alerts -----------------------------------------------------------------------------------

def alert_rows(session: Session, *, open_only: bool = False, mission_id: int | None = None) -> list[AlertRow]:
    query = select(AlertRow).order_by(AlertRow.raised_at, AlertRow.id)
    if open_only:
        query = query.where(AlertRow.acknowledged_at.is_(None), AlertRow.resolved_at.is_(None))
    if mission_id is not None:
        query = query.where(AlertRow.mission_id == mission_id)
    return list(session.scalars(query))


def alert_row(session: Session, alert_id: int) -> AlertRow | None:
    return session.get(AlertRow, alert_id)


def find_alert(session: Session, mission_id: int, due_at: datetime) -> AlertRow | None:
    return session.scalars(select(AlertRow).where(AlertRow.mission_id == mission_id,
                                                  AlertRow.due_at == due_at)).one_or_none()


def add_alert(session: Session, mission_id: int, due_at: datetime, raised_at: datetime, point: str | None) -> AlertRow:
    row = AlertRow(mission_id=mission_id, due_at=due_at, raised_at=raised_at, point=point)
    session.add(row)
    session.flush()
    return row


def add_notices(session: Session, alert_id: int, notices: list[Notice]) -> list[Notice]:
    """Record the notices not yet recorded for the alert; returns those newly sent."""
    sent = set(session.scalars(select(AlertNoticeRow.step).where(AlertNoticeRow.alert_id == alert_id)))
    new = [notice for notice in notices if notice.step.value not in sent]
    session.add_all(AlertNoticeRow(alert_id=alert_id, step=n.step.value, recipient=n.recipient, at=n.at) for n in new)
    session.flush()
    return new


def acknowledge(session: Session, alert_id: int, person_id: int, at: datetime) -> bool:
    """Mark the alert acknowledged unless somebody already has: True if this call was the first."""
    changed = session.execute(update(AlertRow).where(AlertRow.id == alert_id, AlertRow.acknowledged_at.is_(None))
                              .values(acknowledged_by_id=person_id, acknowledged_at=at))
    return changed.rowcount == 1  # type: ignore[attr-defined]


def resolve_alerts(session: Session, mission_id: int, at: datetime) -> None:
    """A check-in arrived: every open alert of the mission stops climbing."""
    session.execute(update(AlertRow).where(AlertRow.mission_id == mission_id, AlertRow.acknowledged_at.is_(None),
                                           AlertRow.resolved_at.is_(None)).values(resolved_at=at))


def visible_mission_codes(session: Session, clearance: int) -> set[str]:
    """The codes of the missions that exist for someone of this clearance."""
    return set(session.scalars(select(MissionRow.code).where(MissionRow.classification <= clearance)))


def alert_visible(session: Session, alert_id: int, clearance: int) -> bool:
    """Whether the alert's mission exists for someone of this clearance."""
    query = (select(MissionRow.classification).join(AlertRow, AlertRow.mission_id == MissionRow.id)
             .where(AlertRow.id == alert_id))
    found = session.scalars(query).one_or_none()
    return found is not None and found <= clearance


def to_alerts(session: Session, rows: list[AlertRow]) -> list[Alert]:
    if not rows:
        return []
    handles = handles_by_id(session)
    codes = dict(session.execute(select(MissionRow.id, MissionRow.code)).all())
    notices: dict[int, list[Notice]] = defaultdict(list)
    query = select(AlertNoticeRow).where(AlertNoticeRow.alert_id.in_([r.id for r in rows])).order_by(AlertNoticeRow.at)
    for notice in session.scalars(query):
        notices[notice.alert_id].append(Notice(Step(notice.step), notice.recipient, notice.at))
    return [Alert(row.id, codes[row.mission_id], row.due_at, row.raised_at, row.point,
                  handles.get(row.acknowledged_by_id) if row.acknowledged_by_id else None, row.acknowledged_at,
                  row.resolved_at, tuple(notices[row.id])) for row in rows]


# --- reports ----------------------------------------------------------------------------------

def report_row(session: Session, mission_id: int) -> ReportRow | None:
    return session.scalars(select(ReportRow).where(ReportRow.mission_id == mission_id)).one_or_none()


def add_report(session: Session, mission_id: int, report: Report, ids: ReportIds, recorded_at: datetime) -> int:
    row = ReportRow(mission_id=mission_id, by_id=ids.person[report.by], submitted_at=report.submitted_at,
                    recorded_at=recorded_at, objectives_met=list(report.objectives_met), narrative=report.narrative,
                    fingerprint=report.fingerprint())
    session.add(row)
    session.flush()
    session.add_all(ReportSupplyRow(report_id=row.id, shelter_id=ids.shelter[s.shelter], item_id=ids.item[s.sku],
                                    quantity=s.quantity, used_at=report.used_at(s), movement_key=report.movement_key(s))
                    for s in report.supplies)
    session.add_all(InjuryRow(report_id=row.id, person_id=ids.person[i.person], description=i.description)
                    for i in report.injuries)
    session.add_all(ArmouryRequestRow(report_id=row.id, item_id=ids.item.get(e.what.strip().upper()),
                                      description=e.what.strip(), action=e.action.value, quantity=e.quantity,
                                      status="open", requested_at=recorded_at) for e in report.equipment)
    session.flush()
    return row.id


class ReportIds:
    def __init__(self, shelter: dict[str, int], item: dict[str, int], person: dict[str, int]) -> None:
        self.shelter, self.item, self.person = shelter, item, person


def report_details(session: Session, report_id: int) -> dict[str, list]:
    """The supplies (with their movement keys), injuries and armoury requests of a report."""
    supplies = session.execute(
        select(ShelterRow.code, ItemRow.sku, ReportSupplyRow.quantity, ReportSupplyRow.used_at, ReportSupplyRow.movement_key)
        .join(ShelterRow, ShelterRow.id == ReportSupplyRow.shelter_id).join(ItemRow, ItemRow.id == ReportSupplyRow.item_id)
        .where(ReportSupplyRow.report_id == report_id).order_by(ShelterRow.code, ItemRow.sku)).all()
    injuries = session.execute(select(PersonRow.handle, InjuryRow.description)
                               .join(PersonRow, PersonRow.id == InjuryRow.person_id)
                               .where(InjuryRow.report_id == report_id).order_by(InjuryRow.id)).all()
    equipment = session.execute(select(ArmouryRequestRow.id, ArmouryRequestRow.description, ArmouryRequestRow.action,
                                       ArmouryRequestRow.quantity, ArmouryRequestRow.status)
                                .where(ArmouryRequestRow.report_id == report_id).order_by(ArmouryRequestRow.id)).all()
    return {"supplies": [tuple(r) for r in supplies], "injuries": [tuple(r) for r in injuries],
            "equipment": [tuple(r) for r in equipment]}


def all_report_supplies(session: Session) -> list[tuple[str, str, str, object, str]]:
    """Every supply line of every report: (mission, shelter, sku, quantity, movement key)."""
    query = (select(MissionRow.code, ShelterRow.code, ItemRow.sku, ReportSupplyRow.quantity, ReportSupplyRow.movement_key)
             .join(ReportRow, ReportRow.id == ReportSupplyRow.report_id)
             .join(MissionRow, MissionRow.id == ReportRow.mission_id)
             .join(ShelterRow, ShelterRow.id == ReportSupplyRow.shelter_id)
             .join(ItemRow, ItemRow.id == ReportSupplyRow.item_id).order_by(MissionRow.code, ShelterRow.code, ItemRow.sku))
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def load_missions(session: Session, book: list, at: datetime) -> None:  # type: ignore[type-arg]
    """Insert a scenario's missions with their check-ins and reports (the ledger already holds the
    movements their reports name)."""
    people = person_ids(session)
    ids = ReportIds(dict(session.execute(select(ShelterRow.code, ShelterRow.id)).all()),
                    dict(session.execute(select(ItemRow.sku, ItemRow.id)).all()), people)
    for entry in book:
        row = add_mission(session, entry.mission, people, entry.created_at or entry.mission.started_at or at)
        session.add_all(CheckinRow(mission_id=row.id, person_id=people[c.person], at=c.at, recorded_at=c.at,
                                   status=c.status.value, message=c.message, x=c.x, y=c.y, point=c.point,
                                   ended_mission=c.ended_mission) for c in entry.checkins)
        if entry.report is not None:
            add_report(session, row.id, entry.report, ids, entry.report.submitted_at)
    session.flush()
