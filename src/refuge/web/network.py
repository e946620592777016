"""The dashboard and the network pages: the map, the alerts, key figures, and the shelter table with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from refuge.api.routes import Db, settings
from refuge.config import Settings
from refuge.domain.access import Permission
from refuge.domain.missions import MissionStatus
from refuge.domain.network import Category, Shelter
from refuge.domain.readiness import Level, Readiness, ReadinessPolicy
from refuge.services import ledger, register
from refuge.services import missions as desk
from refuge.services import readiness as readiness_service
from refuge.store.database import Database
from refuge.web.mapview import map_data
from refuge.web.pages import PageRoute
from refuge.web.templating import page
from refuge.web.viewer import Viewer, page_allowed

router = APIRouter(route_class=PageRoute)
#: A viewer who may read the shelters (every role): the services answer only what they are cleared for.
Look = Annotated[Viewer, Depends(page_allowed(Permission.READ_SHELTERS))]
Config = Annotated[Settings, Depends(settings)]


def readiness_of(db: Database, viewer: Viewer, config: Settings) -> dict[str, Readiness]:
    """Readiness of the shelters the viewer is cleared for, by code."""
    policy = ReadinessPolicy(visit_days=config.visit_days)
    return {r.shelter: r for r in readiness_service.readiness(db, policy=policy, clearance=viewer.clearance)}


@dataclass(frozen=True)
class Row:
    """A shelter as the network table shows it."""

    shelter: Shelter
    readiness: Readiness | None
    short: list[str]  # categories with an item below its minimum
    overdue: list[str]  # defences overdue for a test

    @property
    def level(self) -> str:
        return self.readiness.level.value if self.readiness else "unknown"


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, db: Db, viewer: Look, config: Config) -> HTMLResponse:
    """The network at a glance: the map by readiness, open alerts, key figures."""
    shelters = register.shelters(db, viewer.clearance)
    readiness = readiness_of(db, viewer, config)
    levels = {level.value: sum(r.level is level for r in readiness.values()) for level in Level}
    figures = [("shelters", len(shelters)), ("ready (green)", levels["green"]),
               ("need attention (amber)", levels["amber"]), ("not fit (red)", levels["red"])]
    alerts = []
    if viewer.may(Permission.READ_MISSIONS):  # the roles that keep no missions see no mission figures
        alerts = desk.alerts(db, open_only=True, clearance=viewer.clearance)
        under_way = desk.missions(db, MissionStatus.UNDER_WAY, clearance=viewer.clearance)
        figures += [("missions under way", len(under_way)), ("open alerts", len(alerts))]
    worst = sorted((r for r in readiness.values() if r.level is not Level.GREEN),
                   key=lambda r: (r.level is not Level.RED, r.shelter))[:8]
    names = {s.code: s.name for s in shelters}
    return page(request, "dashboard.html", figures=figures, alerts=alerts, worst=worst, names=names,
                map=map_data(request, db, shelters, readiness))


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network(request: Request, db: Db, viewer: Look, config: Config,
            level: Annotated[str, Query()] = "", short: Annotated[str, Query()] = "",
            overdue: Annotated[str, Query()] = "", q: Annotated[str, Query()] = "") -> HTMLResponse:
    """Every shelter the viewer may know of, filtered by readiness, a category running short, defences
    overdue and a search of code, name and access notes. An HTMX request gets the table alone."""
    rows = table(db, viewer, config)
    shown = [row for row in rows if _wanted(row, level, short, bool(overdue), q.strip().lower())]
    template = "_network_table.html" if request.headers.get("HX-Request") else "network.html"
    return page(request, template, rows=shown, total=len(rows), levels=[lv.value for lv in Level],
                categories=[c.value for c in Category],
                filters={"level": level, "short": short, "overdue": bool(overdue), "q": q})


def table(db: Database, viewer: Viewer, config: Settings) -> list[Row]:
    """One row per shelter the viewer is cleared for, with what is short and which defences are overdue."""
    readiness = readiness_of(db, viewer, config)
    rows = []
    for shelter in register.shelters(db, viewer.clearance):
        lines = ledger.stock(db, shelter.code, clearance=viewer.clearance).lines
        short = sorted({line.item.category.value for line in lines if line.par and line.usable < line.par.min})
        found = readiness.get(shelter.code)
        overdue = [r.message for r in found.reasons if r.rule == "defence-overdue"] if found else []
        rows.append(Row(shelter, found, short, overdue))
    return rows


def _wanted(row: Row, level: str, short: str, overdue: bool, text: str) -> bool:
    shelter = row.shelter
    return ((not level or row.level == level) and (not short or short in row.short)
            and (not overdue or bool(row.overdue))
            and (not text or text in f"{shelter.code} {shelter.name} {shelter.access_notes}".lower()))
