"""The plans page: plan resupply runs (long work, with progress), see them on the map, accept them, print
their run sheets, and record what a run did at each shelter.

A plan is worked out in a background thread; the page polls its progress. Plans are kept in memory
until the server stops: accepting one writes its runs, and only then does it outlive the server.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from refuge.api.plans import PlanOut
from refuge.api.routes import Db
from refuge.domain.access import Permission
from refuge.domain.defences import parse_result
from refuge.domain.errors import InvalidInput, NotFound, RefugeError
from refuge.domain.values import parse_date, utc_now
from refuge.services import register, runs
from refuge.services.planner import DEFAULT_CAPACITY_KG, DEFAULT_HOURS, ResupplyPlan, plan_resupply
from refuge.store.database import Database
from refuge.web.mapview import map_data
from refuge.web.network import Config, readiness_of
from refuge.web.pages import PageRoute
from refuge.web.templating import page
from refuge.web.viewer import Viewer, page_allowed

router = APIRouter(route_class=PageRoute)
#: The page: planners plan; volunteers (who walk runs but do not plan) see the accepted runs alone.
Look = Annotated[Viewer, Depends(page_allowed(Permission.PLAN, Permission.WALK_RUNS))]
Planner = Annotated[Viewer, Depends(page_allowed(Permission.PLAN))]
RunWalker = Annotated[Viewer, Depends(page_allowed(Permission.WALK_RUNS))]


@dataclass
class Job:
    """A plan being worked out: how far it has got, and what came of it."""

    id: str
    done: int = 0
    total: int = 0
    plan: ResupplyPlan | None = None
    error: str = ""
    accepted: list[int] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.plan is not None or bool(self.error)


class UnknownPlan(NotFound):
    def __init__(self, job: str) -> None:
        super().__init__(f"unknown plan {job!r}: plans are kept until the server stops; plan again")


def _jobs(request: Request) -> dict[str, Job]:
    if not hasattr(request.app.state, "web_plans"):
        request.app.state.web_plans = {}
    return request.app.state.web_plans


def _job(request: Request, job_id: str) -> Job:
    found = _jobs(request).get(job_id)
    if found is None:
        raise UnknownPlan(job_id)
    return found


@router.get("/plans", response_class=HTMLResponse, include_in_schema=False)
def plans_page(request: Request, db: Db, viewer: Look, config: Config) -> HTMLResponse:
    """The planning form, the map, and the accepted runs with their outcome forms."""
    values = {"start": utc_now().date().isoformat(), "days": "14", "volunteers": [], "capacity": f"{DEFAULT_CAPACITY_KG:g}",
              "hours": f"{DEFAULT_HOURS:g}", "time_limit": "10"}
    return page(request, "plans.html", **_context(request, db, viewer, config, values, {}))


@router.post("/plans", response_class=HTMLResponse, include_in_schema=False)
def start_plan(request: Request, db: Db, viewer: Planner, config: Config, start: Annotated[str, Form()] = "",
               days: Annotated[str, Form()] = "", volunteers: Annotated[list[str] | None, Form()] = None,
               capacity: Annotated[str, Form()] = "", hours: Annotated[str, Form()] = "",
               time_limit: Annotated[str, Form()] = "") -> HTMLResponse:
    """Check the form and start planning in the background; the answer polls the plan's progress."""
    values = {"start": start, "days": days, "volunteers": volunteers or [], "capacity": capacity, "hours": hours,
              "time_limit": time_limit}
    errors, parsed = _checked(values)
    job = None
    if not errors:
        job = Job(uuid.uuid4().hex[:12])
        _jobs(request)[job.id] = job
        threading.Thread(target=_work, args=(db, job, parsed, viewer.clearance), daemon=True).start()
    context = _context(request, db, viewer, config, values, errors, job)
    template = "_plan_panel.html" if request.headers.get("HX-Request") else "plans.html"
    return page(request, template, 422 if errors else 202, **context)


def _checked(values: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    errors, parsed = {}, {}
    checks = {"start": lambda t: parse_date(t, field="first day") if t.strip() else None,
              "days": lambda t: _number(t, int, "days", 1, 365),
              "capacity": lambda t: _number(t, float, "capacity", 0.1, 200),
              "hours": lambda t: _number(t, float, "hours a day", 0.5, 24),
              "time_limit": lambda t: _number(t, float, "time limit", 1, 600)}
    for name, check in checks.items():
        try:
            parsed[name] = check(values[name])
        except InvalidInput as error:
            errors[name] = error.message
    if not values["volunteers"]:
        errors["volunteers"] = "choose at least one volunteer to walk the runs"
    parsed["volunteers"] = values["volunteers"]
    return errors, parsed


def _number(text: str, kind: type, name: str, low: float, high: float) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a {'whole ' if kind is int else ''}number, not {text!r}") from None
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be from {low:g} to {high:g}, not {text}")
    return value


def _work(db: Database, job: Job, parsed: dict[str, Any], clearance: int) -> None:
    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        job.plan = plan_resupply(db, parsed["start"], parsed["days"], parsed["volunteers"], parsed["capacity"],
                                 parsed["hours"], parsed["time_limit"], progress=progress, clearance=clearance)
    except RefugeError as error:
        job.error = error.message
    except Exception as error:  # a defect must still end the job, so the page stops waiting
        job.error = f"planning failed: {error}"


@router.get("/plans/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_panel(request: Request, job_id: str, db: Db, viewer: Planner) -> HTMLResponse:
    """A plan's progress while it is worked out; then its runs, drawn on the map, to accept or print."""
    return page(request, "_plan_job.html", job=_job(request, job_id), **_result(db, _job(request, job_id), viewer))


@router.post("/plans/jobs/{job_id}/accept", response_class=HTMLResponse, include_in_schema=False)
def accept_plan(request: Request, job_id: str, db: Db, viewer: Planner) -> HTMLResponse:
    """Accept the plan's runs (all or none; accepting again changes nothing) and show the accepted runs."""
    job = _job(request, job_id)
    if job.plan is None:
        raise InvalidInput("the plan is not ready yet")
    job.accepted = [a.id for a in runs.accept(db, PlanOut.of(job.plan).model_dump(), viewer.clearance)]
    return page(request, "_plan_job.html", job=job, **_result(db, job, viewer), accepted_now=True)


@router.get("/plans/jobs/{job_id}/sheets.pdf", include_in_schema=False)
def run_sheets(request: Request, job_id: str, _viewer: Planner) -> Response:
    """The plan's run sheets: one A4 page a run, to print and carry."""
    from refuge.maps.runsheets import print_run_sheets

    job = _job(request, job_id)
    if job.plan is None:
        raise InvalidInput("the plan is not ready yet")
    positions = {key: (x, y) for key, (_name, x, y) in job.plan.places.items()}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "runs.pdf"
        print_run_sheets(PlanOut.of(job.plan), positions, out)
        body = out.read_bytes()
    return Response(body, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="runs.pdf"'})


@router.post("/plans/runs/{run_id}/stops/{shelter}", response_class=HTMLResponse, include_in_schema=False)
async def record_outcome(request: Request, run_id: int, shelter: str, db: Db, viewer: RunWalker) -> HTMLResponse:
    """Record what a run did at a shelter: units delivered, counted, defences tested (fields named by sku or
    defence). Refused, nothing is written and the runs come back with the error."""
    register.shelter(db, shelter, viewer.clearance)
    form = await request.form()
    lines = {kind: {str(k).split(":", 1)[1]: str(v) for k, v in form.items() if str(k).startswith(f"{kind}:") and str(v).strip()}
             for kind in ("delivered", "counted", "tested")}
    message, problem = "", ""
    try:
        tested = {code: parse_result(result) for code, result in lines["tested"].items()}
        done = runs.record_stop(db, run_id, shelter, lines["delivered"], lines["counted"], tested,
                                clearance=viewer.clearance)
        message = f"run {run_id}: {done.shelter} recorded ({len(done.movements)} movement(s), {done.tests} test(s))"
    except RefugeError as error:
        problem = error.message
    return page(request, "_accepted_runs.html", 422 if problem else 200, runs=_accepted(db, viewer),
                message=message, problem=problem, problem_at=(run_id, shelter.upper()))


def _accepted(db: Database, viewer: Viewer) -> list[dict[str, Any]]:
    """The accepted runs, with only the stops the viewer is cleared for; none for a role that walks no runs."""
    return runs.listed(db, viewer.clearance) if viewer.may(Permission.WALK_RUNS) else []


def _result(db: Database, job: Job, viewer: Viewer) -> dict[str, Any]:
    if job.plan is None:
        return {}
    shaped = PlanOut.of(job.plan)
    places = job.plan.places
    lines = []
    for n, run in enumerate(shaped.runs, 1):
        points = [places[job.plan.base][1:], *[places[s.shelter][1:] for s in run.stops], places[job.plan.base][1:]]
        lines.append({"points": [list(p) for p in points], "label": f"run {n}: {run.volunteer}, {run.day}"})
    return {"shaped": shaped, "overlay": {"runs": lines}}


def _context(request: Request, db: Database, viewer: Viewer, config, values: dict[str, Any],  # type: ignore[no-untyped-def]
             errors: dict[str, str], job: Job | None = None) -> dict[str, Any]:
    shelters = [s for s in register.shelters(db, viewer.clearance) if s.status.value == "active"]
    people = [p for p in register.people(db) if p.free]
    return {"values": values, "errors": errors, "job": job, "people": people, "runs": _accepted(db, viewer),
            "map": map_data(request, db, shelters, readiness_of(db, viewer, config)), "today": date.today()}


@router.get("/plans/accepted", response_class=HTMLResponse, include_in_schema=False)
def accepted_runs(request: Request, db: Db, viewer: RunWalker) -> HTMLResponse:
    """The accepted runs with their outcome forms (a fragment)."""
    return page(request, "_accepted_runs.html", runs=_accepted(db, viewer))
