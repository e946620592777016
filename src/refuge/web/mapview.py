"""The browser's map: the terrain picture (rendered once per terrain, kept in memory) and what the map draws.

Leaflet shows the map in the network's own frame (`L.CRS.Simple`, metres, y north), so shelters,
routes and clicks need no projection: a point is `[y, x]`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from refuge.domain.access import Permission
from refuge.domain.network import Shelter
from refuge.domain.readiness import Readiness
from refuge.maps.overlay import terrain_png
from refuge.api.routes import Db
from refuge.services import maps
from refuge.store.database import Database
from refuge.web.pages import PageRoute
from refuge.web.viewer import Viewer, page_allowed

router = APIRouter(route_class=PageRoute)
READINESS_COLOURS = {"green": "#1e9e3a", "amber": "#f2a900", "red": "#d7191c"}
_lock = threading.Lock()


@dataclass(frozen=True)
class Frame:
    """The terrain's extent in metres, its picture and its legend."""

    digest: str
    bounds: tuple[tuple[float, float], tuple[float, float]]  # [[south, west], [north, east]]
    png: bytes
    legend: list[tuple[str, str]]


def frame(request: Request, db: Database) -> Frame:
    """The terrain's frame and picture, drawn again only when the terrain has changed."""
    digest = maps.terrain_digest(db)
    cached: Frame | None = getattr(request.app.state, "web_frame", None)
    if cached is not None and cached.digest == digest:
        return cached
    with _lock:
        stored = maps.terrain(db)
        terrain = stored.terrain
        bounds = ((terrain.y0, terrain.x0), (terrain.y0 + terrain.height_m, terrain.x0 + terrain.width_m))
        made = Frame(stored.digest, bounds, terrain_png(terrain), [(c.name, c.color) for c in terrain.table])
        request.app.state.web_frame = made
        return made


def map_data(request: Request, db: Database, shelters: list[Shelter], readiness: dict[str, Readiness],
             **extra: Any) -> dict[str, Any]:
    """What a map page hands its script: the frame, the shelters with their readiness, and any overlays."""
    found = frame(request, db)
    return {"bounds": found.bounds, "terrain": f"/map/terrain.png?v={found.digest[:12]}",
            "shelters": [_marker(s, readiness.get(s.code)) for s in shelters], **extra}


def _marker(shelter: Shelter, readiness: Readiness | None) -> dict[str, Any]:
    level = readiness.level.value if readiness else None
    return {"code": shelter.code, "name": shelter.name, "x": shelter.x, "y": shelter.y,
            "status": shelter.status.value, "level": level,
            "colour": READINESS_COLOURS.get(level or "", "#8c8c8c"),
            "reasons": [r.message for r in readiness.reasons[:3]] if readiness else []}


@router.get("/map/terrain.png", include_in_schema=False)
def terrain_picture(request: Request, db: Db,
                    _viewer: Annotated[Viewer, Depends(page_allowed(Permission.READ_SHELTERS))]) -> Response:
    """The land-cover picture for the map's image layer; its address changes with the terrain."""
    found = frame(request, db)
    return Response(found.png, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})
