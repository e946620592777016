"""The field page: from a clicked point or a typed grid reference, the nearest usable shelters and the route.

Needs, chakra and travel profile narrow the answer; the viewer sees only shelters they are cleared for
(the navigator is asked as the viewer). The printed field map is the viewer's own: their name on it, and
only their shelters.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from refuge.api.routes import Db
from refuge.config import Settings
from refuge.domain.access import Permission
from refuge.domain.errors import InvalidInput
from refuge.domain.network import Category, ShelterStatus
from refuge.services import maps, register
from refuge.services.navigation import Nearest, check_chakra
from refuge.store.database import Database
from refuge.web.mapview import map_data
from refuge.web.network import Config, readiness_of
from refuge.web.pages import PageRoute
from refuge.web.templating import page
from refuge.web.viewer import Viewer, page_allowed

router = APIRouter(route_class=PageRoute)
Look = Annotated[Viewer, Depends(page_allowed(Permission.NAVIGATE))]
PROFILES = ("walking", "running", "injured")


@router.get("/field", response_class=HTMLResponse, include_in_schema=False)
def field_page(request: Request, db: Db, viewer: Look, config: Config) -> HTMLResponse:
    """The map to click, and the form: where, what is needed, how much chakra, how one travels."""
    return page(request, "field.html", map=_map(request, db, viewer, config), categories=list(Category),
                profiles=PROFILES, values={"at": "", "need": [], "chakra": "", "profile": ""}, errors={})


def _map(request: Request, db: Database, viewer: Viewer, config: Settings) -> dict[str, Any]:
    shelters = [s for s in register.shelters(db, viewer.clearance) if s.status is ShelterStatus.ACTIVE]
    return map_data(request, db, shelters, readiness_of(db, viewer, config))


@router.get("/field/nearest", response_class=HTMLResponse, include_in_schema=False)
def nearest(request: Request, db: Db, viewer: Look, config: Config, at: Annotated[str, Query()] = "",
            need: Annotated[list[str] | None, Query()] = None, chakra: Annotated[str, Query()] = "",
            profile: Annotated[str, Query()] = "") -> HTMLResponse:
    """The nearest usable shelters from `at` (a fragment): each with time, distance, bearing, chakra and route."""
    values = {"at": at, "need": need or [], "chakra": chakra, "profile": profile}
    errors = _checked(values)
    found = None
    if not errors:
        try:
            found = request.app.state.navigator.nearest(at.strip(), values["need"], _chakra(chakra),
                                                        profile or None, as_person=viewer.handle, limit=5,
                                                        clearance=viewer.clearance)
        except InvalidInput as error:
            errors["chakra" if "chakra" in error.message else "at"] = error.message
    context: dict[str, Any] = {"values": values, "errors": errors, "found": found, "categories": list(Category),
                               "profiles": PROFILES}
    if found is not None:
        context["overlay"] = _overlay(found)
    if request.headers.get("HX-Request"):
        return page(request, "_field_panel.html", 422 if errors else 200, **context)
    return page(request, "field.html", 422 if errors else 200, map=_map(request, db, viewer, config), **context)


@router.get("/field/map.pdf", include_in_schema=False)
def field_map(db: Db, viewer: Look) -> Response:
    """My field map: a printable PDF with a cross for each active shelter the viewer is cleared for."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "field-map.pdf"
        maps.print_field_map(db, viewer.handle, out)
        body = out.read_bytes()
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="field-map-{viewer.handle}.pdf"'})


def _checked(values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not values["at"].strip():
        errors["at"] = "click the map or type a grid reference (such as F4 2375) or X,Y in metres"
    try:
        _chakra(values["chakra"])
    except InvalidInput as error:
        errors["chakra"] = error.message
    if values["profile"] and values["profile"] not in PROFILES:
        errors["profile"] = f"travel profile must be one of {', '.join(PROFILES)}"
    known = {c.value for c in Category}
    if unknown := [n for n in values["need"] if n not in known]:
        errors["need"] = f"unknown need {unknown[0]!r}"
    return errors


def _chakra(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"chakra must be a number, not {text!r}") from None
    check_chakra(value)
    return value


def _overlay(found: Nearest) -> dict[str, Any]:
    """What the map draws for an answer: the point asked from, and each route (the fastest first)."""
    routes = [{"points": [[found.x, found.y], *[list(p) for p in d.leg.route], [d.shelter.x, d.shelter.y]],
               "label": f"{d.shelter.code} {d.shelter.name}"} for d in found.destinations]
    return {"point": {"x": found.x, "y": found.y, "label": found.gridref}, "routes": routes}
