"""Shelters in and out as GeoJSON: Point features in the network's map frame (x east, y north, metres)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from refuge.domain.errors import Conflict, InvalidInput, RefugeError
from refuge.domain.network import Shelter
from refuge.store import register as store
from refuge.store.database import Database

OPTIONAL = ("access_notes", "beds", "condition", "status", "clearance")


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    unchanged: list[str]


def parse_geojson(text: str, source: str = "the file") -> list[Shelter]:
    """Shelters from a GeoJSON FeatureCollection of Points with at least `code` and `name` properties."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{source} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise InvalidInput(f"{source} is not a GeoJSON FeatureCollection (needs \"type\": \"FeatureCollection\" and a \"features\" list)")
    shelters = [_shelter(feature, number) for number, feature in enumerate(data["features"], start=1)]
    seen: set[str] = set()
    for shelter in shelters:
        if shelter.code in seen:
            raise InvalidInput(f"{source} names shelter {shelter.code} more than once")
        seen.add(shelter.code)
    return shelters


def _shelter(feature: Any, number: int) -> Shelter:
    where = f"feature {number}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InvalidInput(f"{where} is not a GeoJSON Feature")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise InvalidInput(f"{where}: geometry must be a Point")
    coordinates = geometry.get("coordinates")
    if (not isinstance(coordinates, list) or len(coordinates) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2])):
        raise InvalidInput(f"{where}: Point coordinates must be [x, y] in metres")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise InvalidInput(f"{where}: properties are missing")
    missing = [name for name in ("code", "name") if not properties.get(name)]
    if missing:
        raise InvalidInput(f"{where}: missing property {', '.join(repr(m) for m in missing)}")
    extra = {name: properties[name] for name in OPTIONAL if properties.get(name) is not None}
    try:
        return Shelter(code=str(properties["code"]), name=str(properties["name"]),
                       x=coordinates[0], y=coordinates[1], **extra)
    except RefugeError as error:
        raise InvalidInput(f"{where}: {error}") from None


def to_geojson(shelters: list[Shelter], network_name: str | None) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "name": network_name or "shelters",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.x, s.y]},
                "properties": {"code": s.code, "name": s.name, "access_notes": s.access_notes, "beds": s.beds,
                               "condition": s.condition.value, "status": s.status.value, "clearance": s.clearance},
            }
            for s in shelters
        ],
    }


def import_shelters(db: Database, shelters: list[Shelter]) -> ImportResult:
    """Add new shelters; ones already present with the same details are left alone. A shelter that is
    present with different details is a conflict, and then nothing at all is imported."""
    with db.writing() as session:
        existing = store.existing_shelters(session, [s.code for s in shelters])
        changed = sorted(s.code for s in shelters if s.code in existing and existing[s.code] != s)
        if changed:
            raise Conflict(
                f"shelter(s) {', '.join(changed)} already exist with different details; nothing was imported "
                "(Refuge does not overwrite the register from a file)"
            )
        new = [s for s in shelters if s.code not in existing]
        store.add_shelters(session, new, store.network_id(session))
        return ImportResult(sorted(s.code for s in new), sorted(existing))


def export_shelters(db: Database) -> dict[str, Any]:
    with db.reading() as session:
        net = store.network(session)
        return to_geojson(store.shelters(session), net.name if net else None)
