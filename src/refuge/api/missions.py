"""The JSON routes of the mission desk: missions, check-ins, alerts and emergencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from refuge.api.mission_schemas import (
    AcceptedOut,
    AcceptIn,
    AckIn,
    AlertOut,
    AssignIn,
    CheckedInOut,
    CheckinIn,
    EmergencyIn,
    EndIn,
    MissionIn,
    MissionOut,
    OverdueOut,
    ProposalOut,
    ReportIn,
    ReportOut,
    ResponderOut,
    StartIn,
)
from refuge.api.auth import DeskOfficer, MissionReader, Reporter
from refuge.api.deps import Db, refusals
from refuge.domain.missions import parse_schedule, parse_status
from refuge.domain.values import parse_datetime
from refuge.services import emergencies
from refuge.services import missions as desk

router = APIRouter()
AsPerson = Annotated[str | None, Query(alias="as", description="ask for another person: only missions they (and you) "
                                                                "are cleared for appear")]


def _time(value: str | None, field: str):  # type: ignore[no-untyped-def]
    return parse_datetime(value, field=field) if value else None


@router.get("/missions", response_model=list[MissionOut], summary="Missions", responses=refusals(404, 422),
            description="Every mission (or those in one `status`) the asker is cleared for, by code, with the next "
                        "check-in due and its alerts.")
def list_missions(db: Db, status: Annotated[str | None, Query(description="draft, assigned, under-way, complete, "
                                                               "failed or aborted")] = None,
                  as_person: AsPerson = None, *, who: MissionReader) -> list[MissionOut]:
    wanted = parse_status(status) if status else None
    asked = who.asking_as(as_person) if as_person else None
    return [MissionOut.of_view(view) for view in desk.missions(db, wanted, asked, who.clearance)]


@router.post("/missions", response_model=MissionOut, status_code=201, summary="New mission",
             responses=refusals(404, 422),
             description="A new mission in draft; with a `leader` it is assigned at once. `checkins` is `every 6h` "
                         "or named points `POINT@TIME; POINT@TIME`; `grace_minutes` defaults to 60.")
def new_mission(body: MissionIn, db: Db, who: DeskOfficer) -> MissionOut:
    made = desk.create(db, body.title, body.rank, client=body.client, objectives=body.objectives, leader=body.leader,
                       team=body.team, start=_time(body.start, "start"), deadline=_time(body.deadline, "deadline"),
                       area=body.area, schedule=parse_schedule(body.checkins, body.grace_minutes),
                       classification=body.classification, clearance=who.clearance)
    return MissionOut.of(made)


@router.get("/missions/{code}", response_model=MissionOut, summary="One mission", responses=refusals(404, 422),
            description="A mission with its check-ins, next check-in due, alerts and report.")
def show_mission(code: str, db: Db, as_person: AsPerson = None, *, who: MissionReader) -> MissionOut:
    asked = who.asking_as(as_person) if as_person else None
    return MissionOut.of_view(desk.show(db, code, asked, who.clearance), full=True)


@router.post("/missions/{code}/assign", response_model=MissionOut, summary="Assign a mission",
             responses=refusals(404, 409, 422), description="Give a draft its leader and team.")
def assign_mission(code: str, body: AssignIn, db: Db, who: DeskOfficer) -> MissionOut:
    return MissionOut.of(desk.assign(db, code, body.leader, body.team, clearance=who.clearance))


@router.post("/missions/{code}/start", response_model=MissionOut, summary="Start a mission",
             responses=refusals(404, 409, 422), description="The team has left (at `at`, default now).")
def start_mission(code: str, body: StartIn, db: Db, who: DeskOfficer) -> MissionOut:
    return MissionOut.of(desk.start(db, code, _time(body.at, "at"), clearance=who.clearance))


@router.post("/missions/{code}/end", response_model=MissionOut, summary="End a mission",
             responses=refusals(404, 409, 422), description="Close a mission under way as complete, failed or "
                                                             "aborted (a draft or assigned one may only be aborted).")
def end_mission(code: str, body: EndIn, db: Db, who: DeskOfficer) -> MissionOut:
    return MissionOut.of(desk.end(db, code, body.outcome, body.note, _time(body.at, "at"), clearance=who.clearance))


@router.post("/missions/{code}/report", response_model=ReportOut, status_code=201, summary="File a mission report",
             responses={200: {"model": ReportOut, "description": "the same report again: nothing written"},
                        **refusals(404, 409, 422)},
             description="Objectives met, supplies used at shelters (each a consume movement in that shelter's "
                         "ledger, exactly once), injuries, equipment for the armoury, narrative. All or nothing. "
                         "Sending the same report again answers 200 with `replayed: true`; a different report "
                         "for the same mission is refused (409).")
def file_report(code: str, body: ReportIn, response: Response, db: Db, who: Reporter) -> ReportOut:
    report = desk.report_request(
        code, who.acting_for(body.by) or body.by, body.submitted_at, objectives_met=body.objectives_met,
        supplies=[(s.shelter, s.sku, s.quantity, s.used_at) for s in body.supplies],
        injuries=[(i.person, i.description) for i in body.injuries],
        equipment=[(e.what, e.action, e.quantity) for e in body.equipment], narrative=body.narrative)
    filed = desk.file_report(db, report, clearance=who.clearance)
    if filed.replayed:
        response.status_code = 200
    return ReportOut.of(filed)


@router.post("/checkins", response_model=CheckedInOut, status_code=201, summary="Check in",
             responses=refusals(404, 409, 422),
             description="A check-in from someone on a mission under way. The message is read for status; a plain "
                         "last call (\"He's here and safe. End mission.\") completes the mission.")
def check_in(body: CheckinIn, db: Db, who: Reporter) -> CheckedInOut:
    person = who.acting_for(body.person) or body.person
    done = desk.check_in(db, body.mission, person, at=_time(body.at, "at"), status=body.status,
                         message=body.message, x=body.x, y=body.y, point=body.point, clearance=who.clearance)
    return CheckedInOut.of(done.checkin, done.reading, done.mission)


@router.get("/alerts", response_model=list[AlertOut], summary="Overdue alerts", responses=refusals(422),
            description="Every alert, oldest first, with the notices its ladder has sent; `open` keeps those not "
                        "yet acknowledged or resolved by a check-in.")
def list_alerts(db: Db, who: MissionReader,
                open: Annotated[bool, Query(description="only open alerts")] = False) -> list[AlertOut]:
    return [AlertOut.of(alert) for alert in desk.alerts(db, open, who.clearance)]


@router.post("/alerts/scan", response_model=OverdueOut, summary="Detect overdue check-ins",
             responses=refusals(422),
             description="Raise alerts for missions overdue at `at` (default now; never in the future) and send "
                         "each open alert up its ladder; the server also does this on a schedule.")
def scan_overdue(db: Db, who: DeskOfficer,
                 at: Annotated[str | None, Query(description="ISO time, default now")] = None) -> OverdueOut:
    return OverdueOut.of(desk.detect_overdue(db, _time(at, "at"), clearance=who.clearance))


@router.post("/alerts/{alert_id}/ack", response_model=AlertOut, summary="Acknowledge an alert",
             responses=refusals(404, 409, 422),
             description="The first acknowledgement stops the ladder; a later one is refused (409) naming the first.")
def acknowledge(alert_id: int, body: AckIn, db: Db, who: DeskOfficer) -> AlertOut:
    return AlertOut.of(desk.acknowledge(db, alert_id, body.by, _time(body.at, "at"), clearance=who.clearance))


@router.post("/emergencies", response_model=ProposalOut, summary="Propose responders", responses=refusals(404, 422),
             description="\"A medic is needed at <place> for <person>\": responders with the skill, fit, free and "
                         "cleared, fastest first, each with a route and the shelters on the way with what they hold.")
def propose(body: EmergencyIn, request: Request, db: Db, who: DeskOfficer) -> ProposalOut:
    return ProposalOut.of(emergencies.propose(db, body.skill, body.place, body.person, body.classification,
                                              body.limit, request.app.state.navigator, clearance=who.clearance))


@router.post("/emergencies/accept", response_model=AcceptedOut, status_code=201, summary="Send a responder",
             responses=refusals(404, 409, 422),
             description="Send one of the proposed responders: a rescue mission, under way now, with check-ins "
                         "every two hours.")
def accept(body: AcceptIn, request: Request, db: Db, who: DeskOfficer) -> AcceptedOut:
    mission, chosen = emergencies.accept(db, body.skill, body.place, body.person, body.responder, body.classification,
                                         request.app.state.navigator, clearance=who.clearance)
    return AcceptedOut(mission=MissionOut.of(mission), responder=ResponderOut.of(chosen))
