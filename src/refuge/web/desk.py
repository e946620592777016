"""The mission desk: the missions board, a mission with its check-ins, live overdue alerts, emergencies, the roster.

Every list holds only the missions (and their alerts) the viewer is cleared for; a mission they may not
see answers as unknown.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from refuge.api.routes import Db
from refuge.domain.access import Permission
from refuge.domain.checkins import CheckinStatus
from refuge.domain.errors import InvalidInput, NotFound, RefugeError
from refuge.domain.missions import MissionStatus
from refuge.domain.values import utc_now
from refuge.services import emergencies, register
from refuge.services import missions as desk
from refuge.store.database import Database
from refuge.web.mapview import map_data
from refuge.web.network import Config, readiness_of
from refuge.web.pages import PageRoute
from refuge.web.templating import page
from refuge.web.viewer import Viewer, page_allowed

router = APIRouter(route_class=PageRoute)
#: The desk runs missions and emergencies; the field reads its missions and checks in; the roster is the office's.
DeskOfficer = Annotated[Viewer, Depends(page_allowed(Permission.RUN_DESK))]
MissionReader = Annotated[Viewer, Depends(page_allowed(Permission.READ_MISSIONS))]
Reporter = Annotated[Viewer, Depends(page_allowed(Permission.REPORT))]
RosterReader = Annotated[Viewer, Depends(page_allowed(Permission.READ_PEOPLE))]
#: The board's columns, in the order a desk reads them.
BOARD = (MissionStatus.UNDER_WAY, MissionStatus.ASSIGNED, MissionStatus.DRAFT)


@router.get("/desk", response_class=HTMLResponse, include_in_schema=False)
def board(request: Request, db: Db, viewer: DeskOfficer) -> HTMLResponse:
    """The missions board by status, with the live alert list beside it."""
    views = desk.missions(db, clearance=viewer.clearance)
    columns = [(status.value, [v for v in views if v.mission.status is status]) for status in BOARD]
    finished = sorted((v for v in views if v.mission.finished), key=lambda v: v.mission.ended_at or utc_now(),
                      reverse=True)[:10]
    return page(request, "desk.html", columns=columns, finished=finished, now=utc_now(),
                **_alerts_context(db, viewer))


@router.get("/desk/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_panel(request: Request, db: Db, viewer: DeskOfficer) -> HTMLResponse:
    """The alert list (a fragment the desk polls)."""
    return page(request, "_alerts.html", **_alerts_context(db, viewer))


@router.post("/desk/alerts/{alert_id}/ack", response_class=HTMLResponse, include_in_schema=False)
def acknowledge(request: Request, alert_id: int, db: Db, viewer: DeskOfficer) -> HTMLResponse:
    """Acknowledge an alert as the viewer: the ladder stops. A second acknowledgement is refused by name;
    an alert of a mission the viewer is not cleared for is unknown (404)."""
    problem = ""
    try:
        desk.acknowledge(db, alert_id, viewer.handle, clearance=viewer.clearance)
    except NotFound:
        raise
    except RefugeError as error:
        problem = error.message
    return page(request, "_alerts.html", **_alerts_context(db, viewer), problem=problem)


def _alerts_context(db: Database, viewer: Viewer) -> dict[str, Any]:
    found = desk.alerts(db, clearance=viewer.clearance)
    shown = [a for a in found if a.open] + sorted((a for a in found if not a.open),
                                                   key=lambda a: a.stopped_at or a.raised_at, reverse=True)[:5]
    return {"alerts": shown, "open_count": sum(a.open for a in found)}


@router.get("/missions/{code}", response_class=HTMLResponse, include_in_schema=False)
def mission_page(request: Request, code: str, db: Db, viewer: MissionReader) -> HTMLResponse:
    """One mission: objectives, team, schedule, check-ins, alerts, report, and the check-in form."""
    return page(request, "mission.html", **_mission_context(db, code, viewer, {}, {}))


@router.post("/missions/{code}/checkins", response_class=HTMLResponse, include_in_schema=False)
def check_in(request: Request, code: str, db: Db, viewer: Reporter, person: Annotated[str, Form()] = "",
             status: Annotated[str, Form()] = "", message: Annotated[str, Form()] = "") -> HTMLResponse:
    """Record a check-in the desk took (by radio, say), or the viewer's own from the field; refused, the
    form keeps what was typed."""
    view = desk.show(db, code, clearance=viewer.clearance)
    values = {"person": person, "status": status, "message": message}
    errors = {}
    if person not in _reporters(view.mission.team, viewer):
        errors["person"] = "choose someone on the mission's team" if viewer.may(Permission.READ_PEOPLE) \
            else "you may record only your own check-in, on a mission you are on"
    if status and status not in {s.value for s in CheckinStatus}:
        errors["status"] = f"status must be one of {', '.join(s.value for s in CheckinStatus)}"
    if not errors:
        try:
            desk.check_in(db, view.mission.code, person, status=status or None, message=message,
                          clearance=viewer.clearance)
            values = {}
        except RefugeError as error:
            errors["form"] = error.message
    context = _mission_context(db, code, viewer, values, errors)
    template = "_checkins.html" if request.headers.get("HX-Request") else "mission.html"
    return page(request, template, 422 if errors else 200, **context)


def _mission_context(db: Database, code: str, viewer: Viewer, values: dict[str, str],
                     errors: dict[str, str]) -> dict[str, Any]:
    view = desk.show(db, code, clearance=viewer.clearance)
    people = {p.handle: p for p in register.people(db)}
    reporters = _reporters(view.mission.team, viewer) if viewer.may(Permission.REPORT) else []
    return {"view": view, "mission": view.mission, "people": people, "values": values, "errors": errors,
            "reporters": reporters, "statuses": [s.value for s in CheckinStatus], "now": utc_now()}


def _reporters(team: list[str], viewer: Viewer) -> list[str]:
    """Whose check-in the viewer may record: anyone on the team for a role that keeps the roster (the desk
    takes them by radio), else only their own."""
    return list(team) if viewer.may(Permission.READ_PEOPLE) else [h for h in team if h == viewer.handle]


@router.get("/desk/emergency", response_class=HTMLResponse, include_in_schema=False)
def emergency_form(request: Request, db: Db, viewer: DeskOfficer, config: Config) -> HTMLResponse:
    """The emergency form: which skill is needed, where, for whom."""
    return page(request, "emergency.html", **_emergency_context(request, db, viewer, config, {}, {}))


@router.post("/desk/emergency", response_class=HTMLResponse, include_in_schema=False)
def propose(request: Request, db: Db, viewer: DeskOfficer, config: Config, skill: Annotated[str, Form()] = "medic",
            place: Annotated[str, Form()] = "", person: Annotated[str, Form()] = "",
            classification: Annotated[str, Form()] = "1") -> HTMLResponse:
    """Who can go, fastest first, with their routes on the map; or the form again with its errors."""
    values = {"skill": skill, "place": place, "person": person, "classification": classification}
    errors: dict[str, str] = {}
    proposal = None
    try:
        level = _classification(classification)
        proposal = emergencies.propose(db, skill, place, person, level, 5, request.app.state.navigator,
                                       clearance=viewer.clearance)
    except RefugeError as error:
        errors[_emergency_field(error)] = error.message
    context = _emergency_context(request, db, viewer, config, values, errors)
    if proposal is not None:
        context["proposal"] = proposal
        context["overlay"] = {"point": {"x": proposal.at[0], "y": proposal.at[1], "label": proposal.place},
                              "routes": [{"points": [list(p) for p in r.route], "label": r.person.name}
                                         for r in proposal.responders if r.route]}
    template = "_emergency_panel.html" if request.headers.get("HX-Request") else "emergency.html"
    return page(request, template, 422 if errors else 200, **context)


@router.post("/desk/emergency/accept", include_in_schema=False)
def send(request: Request, db: Db, viewer: DeskOfficer, skill: Annotated[str, Form()], place: Annotated[str, Form()],
         person: Annotated[str, Form()], responder: Annotated[str, Form()],
         classification: Annotated[str, Form()] = "1") -> Response:
    """Send a proposed responder: a rescue mission under way now; the browser goes to its page."""
    mission, _chosen = emergencies.accept(db, skill, place, person, responder, _classification(classification),
                                          request.app.state.navigator, clearance=viewer.clearance)
    target = f"/missions/{mission.code}"
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return Response(status_code=303, headers={"Location": target})


def _classification(text: str) -> int:
    """The form's classification as a number (the service refuses one above the viewer's clearance)."""
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"classification must be a whole number from 1 to 5, not {text!r}") from None


def _emergency_field(error: RefugeError) -> str:
    text = error.message.lower()
    if isinstance(error, NotFound) and "person" in text:
        return "person"
    for name in ("classification", "skill"):
        if name in text:
            return name
    return "place"


def _emergency_context(request: Request, db: Database, viewer: Viewer, config, values: dict[str, str],  # type: ignore[no-untyped-def]
                       errors: dict[str, str]) -> dict[str, Any]:
    _network, places = register.network(db)
    shelters = register.shelters(db, viewer.clearance)
    return {"values": values, "errors": errors, "places": places, "people": register.people(db),
            "map": map_data(request, db, shelters, readiness_of(db, viewer, config))}


@router.get("/people", response_class=HTMLResponse, include_in_schema=False)
def roster(request: Request, db: Db, _viewer: RosterReader) -> HTMLResponse:
    """The roster: rank, skills, clearance, condition, availability."""
    return page(request, "people.html", people=register.people(db))
