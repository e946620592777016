"""Use cases of the mission desk: missions and their lifecycle, check-ins, overdue alerts, reports.

Each use case is one transaction: a refusal writes nothing. Times a person gives may not be in the
future; `now` is a parameter so that a test (or `refuge overdue --at`) can set the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from refuge.domain.alerts import Alert, Notice, UnknownAlert, notices_due
from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.checkins import Checkin, CheckinStatus, Due, next_due, point_named
from refuge.domain.errors import Conflict, IdempotencyConflict, InvalidInput
from refuge.domain.ledger import Movement, MovementRequest, RequestKind, build_movement
from refuge.domain.messages import Reading, read_message
from refuge.domain.network import parse_choice
from refuge.domain.missions import (
    Mission,
    MissionStatus,
    NotOnMission,
    Objective,
    Schedule,
    UnknownMission,
)
from refuge.domain.reports import Report, ReportConflict
from refuge.domain.values import check_not_future, utc_now
from refuge.store import ledger as ledger_store
from refuge.store import missions as store
from refuge.store import register
from refuge.store.database import Database


@dataclass(frozen=True)
class MissionView:
    """A mission as the desk sees it: with its check-ins, the next one due, its alerts and its report."""

    mission: Mission
    checkins: list[Checkin]
    due: Due | None
    alerts: list[Alert]
    report: FiledReport | None = None

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due.overdue(now)


@dataclass(frozen=True)
class FiledReport:
    report: Report
    #: The consume movements the supplies became (the originals, when the report was sent again).
    movements: list[Movement]
    #: (request id, what, action, quantity, status) sent to the armoury.
    armoury: list[tuple]
    replayed: bool = False


@dataclass(frozen=True)
class CheckedIn:
    checkin: Checkin
    reading: Reading
    mission: Mission


@dataclass(frozen=True)
class OverdueScan:
    at: datetime
    #: Every mission under way that is overdue at `at`, with its open (or newly raised) alert.
    overdue: list[tuple[Mission, Due, Alert]]
    raised: list[Alert]
    #: Notices sent by this scan (rungs reached since the last scan).
    sent: list[tuple[str, Notice]]


def _viewer_clearance(session, as_person: str | None, ceiling: int = FULL_CLEARANCE) -> int:  # type: ignore[no-untyped-def]
    """What the viewer is cleared for: the named person's clearance, never above `ceiling` (the asker's own)."""
    return min(register.person_row(session, as_person).clearance if as_person else FULL_CLEARANCE, ceiling)


def _visible(session, row, as_person: str | None = None, ceiling: int = FULL_CLEARANCE):  # type: ignore[no-untyped-def]
    """A mission the viewer is not cleared for does not exist for them: same answer as a wrong code."""
    if row.classification > _viewer_clearance(session, as_person, ceiling):
        raise UnknownMission(row.code)
    return row


def create(db: Database, title: str, rank: str, *, client: str = "", objectives: list[str] | None = None,
           leader: str | None = None, team: list[str] | None = None, start: datetime | None = None,
           deadline: datetime | None = None, area: str = "", schedule: Schedule | None = None,
           classification: int = 1, now: datetime | None = None, clearance: int = FULL_CLEARANCE) -> Mission:
    """A new mission in draft; with a leader it is assigned at once. Nobody classifies above their own clearance."""
    now = now or utc_now()
    if isinstance(classification, int) and classification > clearance:
        raise InvalidInput(f"classification {classification} is above your own clearance ({clearance})")
    with db.writing() as session:
        people = [register.person_row(session, name).handle for name in ([leader] if leader else []) + (team or [])]
        draft = Mission(store.next_code(session), title, rank, "", (), client=client,  # type: ignore[arg-type]
                        objectives=tuple(Objective(text) for text in objectives or []), start=start,
                        deadline=deadline, area=area, schedule=schedule or Schedule(), classification=classification)
        mission = draft.assigned(people[0], tuple(people[1:]), now) if leader else draft
        if not leader and team:
            mission = replace(draft, team=tuple(dict.fromkeys(people)))
        store.add_mission(session, mission, store.person_ids(session), now)
        return mission


def assign(db: Database, code: str, leader: str, team: list[str] | None = None, now: datetime | None = None,
           clearance: int = FULL_CLEARANCE) -> Mission:
    """Give a draft its leader and team; the mission is then assigned."""
    now = now or utc_now()
    with db.writing() as session:
        row = _visible(session, store.mission_row(session, code, lock=True), ceiling=clearance)
        handles = [register.person_row(session, name).handle for name in [leader, *(team or [])]]
        current = store.mission(session, row)
        mission = current.assigned(handles[0], tuple(dict.fromkeys([*current.team, *handles[1:]])), now)
        store.save_mission(session, row, mission, store.person_ids(session))
        return mission


def start(db: Database, code: str, at: datetime | None = None, now: datetime | None = None,
          clearance: int = FULL_CLEARANCE) -> Mission:
    """The team has left: the mission is under way and its check-in clock runs from `at`."""
    return _move(db, code, MissionStatus.UNDER_WAY, at, "", now, clearance)


def end(db: Database, code: str, outcome: str = "complete", note: str = "", at: datetime | None = None,
        now: datetime | None = None, clearance: int = FULL_CLEARANCE) -> Mission:
    """Close a mission as complete, failed or aborted."""
    wanted = {"complete": MissionStatus.COMPLETE, "failed": MissionStatus.FAILED, "aborted": MissionStatus.ABORTED}
    key = outcome.strip().lower()
    if key not in wanted:
        raise InvalidInput(f"outcome {outcome!r} is not one of: complete, failed, aborted")
    return _move(db, code, wanted[key], at, note, now, clearance)


def _move(db: Database, code: str, wanted: MissionStatus, at: datetime | None, note: str,
          now: datetime | None, clearance: int = FULL_CLEARANCE) -> Mission:
    now = now or utc_now()
    moment = check_not_future(at, now, field="time") if at else now
    with db.writing() as session:
        row = _visible(session, store.mission_row(session, code, lock=True), ceiling=clearance)
        current = store.mission(session, row)
        if current.started_at and moment < current.started_at:
            raise InvalidInput(f"time {moment.isoformat(timespec='minutes')} is before mission {current.code} started")
        mission = current.moved_to(wanted, moment, note)
        store.save_mission(session, row, mission, store.person_ids(session))
        if mission.finished:
            store.resolve_alerts(session, row.id, moment)
        return mission


def missions(db: Database, status: MissionStatus | None = None, as_person: str | None = None,
             clearance: int = FULL_CLEARANCE) -> list[MissionView]:
    """Every mission the viewer may see (all, for the desk), by code, with the next check-in due."""
    with db.reading() as session:
        clearance = _viewer_clearance(session, as_person, clearance)
        rows = [row for row in store.missions_with_status(session, {status} if status else set(MissionStatus))
                if row.classification <= clearance]
        return _views(session, rows)


def show(db: Database, code: str, as_person: str | None = None, clearance: int = FULL_CLEARANCE) -> MissionView:
    """One mission with its check-ins, alerts and report; the report's supplies are told only for the
    shelters the viewer is cleared for."""
    with db.reading() as session:
        row = _visible(session, store.mission_row(session, code), as_person, clearance)
        view = _views(session, [row])[0]
        report_row = store.report_row(session, row.id)
        filed = _filed(session, row.id, report_row, view.mission) if report_row else None
        seen = _viewer_clearance(session, as_person, clearance)
        if filed is not None and seen < FULL_CLEARANCE:
            filed = _seen_by(filed, register.visible_codes(session, seen))
        return replace(view, report=filed)


def _seen_by(filed: FiledReport, visible: set[str]) -> FiledReport:
    supplies = tuple(s for s in filed.report.supplies if s.shelter in visible)
    return replace(filed, report=replace(filed.report, supplies=supplies),
                   movements=[m for m in filed.movements if m.shelter in visible])


def _views(session, rows) -> list[MissionView]:  # type: ignore[no-untyped-def]
    found = store.checkins(session, [row.id for row in rows])
    alerts = store.to_alerts(session, [a for row in rows for a in store.alert_rows(session, mission_id=row.id)])
    by_mission: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_mission.setdefault(alert.mission, []).append(alert)
    views = []
    for row, mission in zip(rows, store.missions(session, rows), strict=True):
        views.append(MissionView(mission, found[row.id], next_due(mission, found[row.id]), by_mission.get(mission.code, [])))
    return views


# --- check-ins --------------------------------------------------------------------------------

def check_in(db: Database, code: str, person: str, *, at: datetime | None = None, status: str | None = None,
             message: str = "", x: float | None = None, y: float | None = None, point: str | None = None,
             now: datetime | None = None, clearance: int = FULL_CLEARANCE) -> CheckedIn:
    """Record a check-in from someone on the mission. A plain last call in the message ("He's here and safe.
    End mission.") confirms them safe and completes the mission; anything less plain leaves it running."""
    now = now or utc_now()
    moment = check_not_future(at, now, field="check-in time") if at else now
    given = CheckinStatus(parse_choice(CheckinStatus, status, "status")) if status else None
    if (x is None) != (y is None):
        raise InvalidInput("a check-in position needs both x and y")
    with db.writing() as session:
        row = _visible(session, store.mission_row(session, code, lock=True), ceiling=clearance)
        who = register.person_row(session, person)
        mission = store.mission(session, row)
        if not mission.on_team(who.handle):
            raise NotOnMission(mission.code, who.handle)
        if mission.status is not MissionStatus.UNDER_WAY:
            raise Conflict(f"mission {mission.code} is {mission.status.value}, not under way: "
                           "check-ins are taken only while a mission is under way")
        if mission.started_at and moment < mission.started_at:
            raise InvalidInput(f"check-in time {moment.isoformat(timespec='minutes')} is before mission "
                               f"{mission.code} started ({mission.started_at.isoformat(timespec='minutes')})")
        named = point_named(mission, point)
        if point and named is None:
            names = ", ".join(p.name for p in mission.schedule.points) or "none"
            raise InvalidInput(f"mission {mission.code} has no check-in point {point!r} (its points: {names})")
        reading = read_message(message)
        closes = reading.ends_mission and given in (None, CheckinStatus.SAFE)
        checkin = Checkin(mission.code, who.handle, moment, given or reading.status, message.strip(), x, y, named, closes)
        store.add_checkin(session, row.id, who.id, checkin, now)
        store.resolve_alerts(session, row.id, moment)
        if x is not None:
            who.x, who.y = x, y
        if closes:
            mission = mission.moved_to(MissionStatus.COMPLETE, moment,
                                       f"closed by {who.handle}'s check-in: {message.strip()}")
            store.save_mission(session, row, mission, store.person_ids(session))
        return CheckedIn(checkin, reading, mission)


# --- overdue alerts ---------------------------------------------------------------------------

def detect_overdue(db: Database, at: datetime | None = None, now: datetime | None = None,
                   clearance: int = FULL_CLEARANCE) -> OverdueScan:
    """Raise an alert for every mission whose check-in is overdue at `at` (default now), and send each
    open alert up its ladder as far as `at` has reached. Running it again at the same time sends nothing new.
    The scan covers every mission; what it answers names only those cleared for `clearance`."""
    now = now or utc_now()
    moment = check_not_future(at, now, field="time") if at else now
    with db.writing() as session:
        rows = [r for r in store.missions_with_status(session, {MissionStatus.UNDER_WAY})
                if r.started_at is None or r.started_at <= moment]
        found = store.checkins(session, [r.id for r in rows])
        raised, overdue, sent = [], [], []
        for row, mission in zip(rows, store.missions(session, rows), strict=True):
            due = next_due(mission, [c for c in found[row.id] if c.at <= moment])
            if due is None or not due.overdue(moment):
                continue
            alert_row = store.find_alert(session, row.id, due.due_at)
            if alert_row is None:
                alert_row = store.add_alert(session, row.id, due.due_at, due.overdue_from, due.point)
                raised.append(alert_row.id)
            overdue.append((row, mission, due, alert_row))
        superiors, leaders = _superiors(session), store.leaders(session)
        for alert_row in store.alert_rows(session, open_only=True):
            if alert_row.raised_at > moment:
                continue
            notices = notices_due(alert_row.raised_at, superiors.get(leaders.get(alert_row.mission_id, "")), moment)
            sent += [(str(alert_row.id), n) for n in store.add_notices(session, alert_row.id, notices)]
        alerts = {a.id: a for a in store.to_alerts(session, [o[3] for o in overdue])}
        scan = OverdueScan(moment, [(m, d, alerts[a.id]) for _r, m, d, a in overdue], [alerts[i] for i in raised], sent)
        return scan if clearance >= FULL_CLEARANCE else _scan_seen_by(session, scan, clearance)


def _scan_seen_by(session, scan: OverdueScan, clearance: int) -> OverdueScan:  # type: ignore[no-untyped-def]
    codes = store.visible_mission_codes(session, clearance)
    return replace(scan, overdue=[o for o in scan.overdue if o[0].code in codes],
                   raised=[a for a in scan.raised if a.mission in codes],
                   sent=[(i, n) for i, n in scan.sent if store.alert_visible(session, int(i), clearance)])


def _superiors(session) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {p.handle: p.superior for p in register.people(session) if p.superior}


def acknowledge(db: Database, alert_id: int, by: str, at: datetime | None = None,
                now: datetime | None = None, clearance: int = FULL_CLEARANCE) -> Alert:
    """Acknowledge an alert: the first acknowledgement stops its ladder; any later one is refused."""
    now = now or utc_now()
    moment = check_not_future(at, now, field="time") if at else now
    with db.writing() as session:
        row = store.alert_row(session, alert_id)
        if row is None or not store.alert_visible(session, alert_id, clearance):
            raise UnknownAlert(alert_id)
        person = register.person_row(session, by)
        if moment < row.raised_at:
            raise InvalidInput(f"alert {alert_id} was raised at {row.raised_at.isoformat(timespec='minutes')}, "
                               "after the acknowledgement time given")
        first = store.acknowledge(session, alert_id, person.id, moment)
        session.refresh(row)
        alert = store.to_alerts(session, [row])[0]
        if not first:
            # Someone else got there first: their acknowledgement stands and this one is refused.
            alert.acknowledge(person.handle, moment)
        return alert


def alerts(db: Database, open_only: bool = False, clearance: int = FULL_CLEARANCE) -> list[Alert]:
    """Every alert (or the open ones) of the missions cleared for `clearance`, oldest first."""
    with db.reading() as session:
        codes = store.visible_mission_codes(session, clearance)
        return [a for a in store.to_alerts(session, store.alert_rows(session, open_only=open_only)) if a.mission in codes]


# --- reports ----------------------------------------------------------------------------------

def file_report(db: Database, report: Report, now: datetime | None = None,
                clearance: int = FULL_CLEARANCE) -> FiledReport:
    """File a mission's report in one transaction: supplies become consume movements (each exactly once,
    under keys made from the report), injuries are recorded, equipment goes to the armoury. The same report
    sent again changes nothing; a different report for the same mission is a ReportConflict."""
    now = now or utc_now()
    check_not_future(report.submitted_at, now, field="report time")
    with db.writing() as session:
        row = _visible(session, store.mission_row(session, report.mission, lock=True), ceiling=clearance)
        mission = store.mission(session, row)
        report = replace(report, mission=mission.code, by=register.person_row(session, report.by).handle,
                         injuries=tuple(replace(i, person=register.person_row(session, i.person).handle)
                                        for i in report.injuries))
        if not mission.on_team(report.by):
            raise NotOnMission(mission.code, report.by)
        if mission.status in (MissionStatus.DRAFT, MissionStatus.ASSIGNED):
            raise Conflict(f"mission {mission.code} is {mission.status.value}: a report comes once it is under way")
        report.check_objectives(len(mission.objectives))
        earlier = store.report_row(session, row.id)
        if earlier is not None:
            if earlier.fingerprint != report.fingerprint():
                raise ReportConflict(mission.code)
            return replace(_filed(session, row.id, earlier, mission), replayed=True)
        ids = _report_ids(session, report, clearance)
        movements = [_post(session, report, line, now, ids) for line in report.supplies]
        store.add_report(session, row.id, report, ids, now)
        objectives = tuple(Objective(o.text, (n + 1) in report.objectives_met) for n, o in enumerate(mission.objectives))
        store.save_mission(session, row, replace(mission, objectives=objectives), ids.person)
        for injury in report.injuries:
            store.mark_injured(session, ids.person[injury.person])
        filed = _filed(session, row.id, store.report_row(session, row.id), mission)
        return replace(filed, movements=movements)


def _report_ids(session, report: Report, clearance: int = FULL_CLEARANCE) -> store.ReportIds:  # type: ignore[no-untyped-def]
    shelters = {s.shelter: register.shelter_row(session, s.shelter, lock=True, clearance=clearance).id
                for s in report.supplies}
    items = {s.sku: register.item_row(session, s.sku).id for s in report.supplies}
    for request in report.equipment:
        # A sku links the request to the catalogue; a description is passed to the armoury as written.
        if (item_id := store.item_id(session, request.what)) is not None:
            items[request.what.strip().upper()] = item_id
    return store.ReportIds(shelters, items, store.person_ids(session))


def _post(session, report: Report, line, now: datetime, ids: store.ReportIds) -> Movement:  # type: ignore[no-untyped-def]
    request = MovementRequest(RequestKind.CONSUME, line.shelter, line.sku, line.quantity,
                              occurred_at=report.used_at(line), by=report.by, source="mission report",
                              note=f"{report.mission}: used on the mission", key=report.movement_key(line))
    if earlier := ledger_store.movement_by_key(session, request.key):  # type: ignore[arg-type]
        # Posted before (by an earlier attempt that the ledger kept): never post it twice.
        if earlier.fingerprint != request.fingerprint():
            raise IdempotencyConflict(request.key or "")
        return earlier
    item = register.to_item(register.item_row(session, line.sku))
    movement = build_movement(request, item, ledger_store.lots(session, ids.shelter[line.shelter], ids.item[line.sku]), now)
    maps = ledger_store.IdMaps(ids.shelter, ids.item, ids.person)
    return replace(movement, id=ledger_store.add_movement(session, movement, maps))


def _filed(session, mission_id: int, row, mission: Mission) -> FiledReport:  # type: ignore[no-untyped-def]
    from refuge.domain.reports import EquipmentRequest, Injury, SupplyUsed

    details = store.report_details(session, row.id)
    handles = register.handles_by_id(session)
    report = Report(mission.code, handles[row.by_id], row.submitted_at, tuple(row.objectives_met),
                    tuple(SupplyUsed(code, sku, quantity, used_at) for code, sku, quantity, used_at, _k in details["supplies"]),
                    tuple(Injury(handle, text) for handle, text in details["injuries"]),
                    tuple(EquipmentRequest(what, action, quantity) for _i, what, action, quantity, _s in details["equipment"]),
                    row.narrative)
    movements = [m for key in (k for *_rest, k in details["supplies"])
                 if (m := ledger_store.movement_by_key(session, key)) is not None]
    return FiledReport(report, movements, details["equipment"])


def report_request(mission: str, by: str, at: str | datetime | None, *, objectives_met: list[int] | None = None,
                   supplies: list[tuple[str, str, object, str | None]] | None = None,
                   injuries: list[tuple[str, str]] | None = None,
                   equipment: list[tuple[str, str, int]] | None = None, narrative: str = "",
                   now: datetime | None = None) -> Report:
    """A Report from raw values (the CLI's options, the API's body), with the domain's messages for bad ones."""
    from refuge.domain.reports import EquipmentRequest, Injury, SupplyUsed
    from refuge.domain.values import parse_datetime

    submitted = parse_datetime(at, field="report time") if at else (now or utc_now())
    return Report(
        mission.strip(), by.strip(), submitted, tuple(objectives_met or ()),
        tuple(SupplyUsed(shelter, sku, quantity, parse_datetime(used, field=f"time {sku} was used") if used else None)  # type: ignore[arg-type]
              for shelter, sku, quantity, used in supplies or []),
        tuple(Injury(person.strip(), text) for person, text in injuries or []),
        tuple(EquipmentRequest(what, action, quantity) for what, action, quantity in equipment or []),  # type: ignore[arg-type]
        narrative.strip(),
    )
