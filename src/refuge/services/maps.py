"""Use cases of the maps: the office's rendered map and a holder's printed field map."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from refuge.domain.errors import InvalidInput
from refuge.domain.network import Shelter, ShelterStatus
from refuge.domain.values import utc_now
from refuge.services.readiness import readiness
from refuge.store import register as register_store
from refuge.store import terrain as terrain_store
from refuge.store.database import Database
from refuge.services.navigation import NO_TERRAIN


def render(db: Database, out: str | Path, as_person: str | None = None, as_of: date | None = None) -> Path:
    """Draw the terrain with the shelters coloured by readiness: all of them for the office, or only
    those `as_person` is cleared for."""
    from refuge.maps.render import render_map  # Matplotlib loads only for the commands that draw

    with db.reading() as session:
        stored = _terrain(session)
        shelters = _visible(session, as_person, active_only=False)
        places = register_store.places(session)
    levels = {r.shelter: r.level for r in readiness(db, as_of) if r.shelter in {s.code for s in shelters}}
    title = f"{stored.source or 'Shelters'} — shelters by readiness"
    return render_map(stored.terrain, shelters, levels, places, out, title=title)


def print_field_map(db: Database, for_person: str, out: str | Path, paper: str = "a4",
                    area: tuple[float, float, float, float] | None = None, printed_on: date | None = None) -> int:
    """A printable field map for one person: a cross for each active shelter they are cleared for and
    no other, no stock figures, their name on every page. Answers the page count."""
    from refuge.maps.printed import print_field_map as draw

    with db.reading() as session:
        stored = _terrain(session)
        person = register_store.to_person(register_store.person_row(session, for_person))
        shelters = _visible(session, person.handle, active_only=True)
        places = register_store.places(session)
    return draw(stored.terrain, shelters, places, person.name, out,
                printed_on=printed_on or utc_now().date(), paper=paper, area=area)


def parse_area(text: str) -> tuple[float, float, float, float]:
    """X0,Y0,X1,Y1 in metres."""
    parts = [part.strip() for part in text.split(",")]
    try:
        x0, y0, x1, y1 = (float(part) for part in parts)
    except ValueError:
        raise InvalidInput(f"area {text!r} must be X0,Y0,X1,Y1 in metres, e.g. 40000,50000,70000,70000") from None
    if x1 <= x0 or y1 <= y0:
        raise InvalidInput(f"area {text!r} is empty: X1 must exceed X0 and Y1 must exceed Y0")
    return x0, y0, x1, y1


def _terrain(session) -> terrain_store.StoredTerrain:  # type: ignore[no-untyped-def]
    stored = terrain_store.load_terrain(session)
    if stored is None:
        raise InvalidInput(NO_TERRAIN)
    return stored


def _visible(session, as_person: str | None, active_only: bool) -> list[Shelter]:  # type: ignore[no-untyped-def]
    clearance = register_store.to_person(register_store.person_row(session, as_person)).clearance if as_person else 5
    return [s for s in register_store.shelters(session)
            if s.clearance <= clearance and (s.status is ShelterStatus.ACTIVE or not active_only)]


def terrain_digest(db: Database) -> str | None:
    """The fingerprint of the network's terrain (None without one): it changes whenever the terrain does."""
    with db.reading() as session:
        return terrain_store.terrain_digest(session)


def terrain(db: Database) -> terrain_store.StoredTerrain:
    """The network's terrain as stored; refused when the network has none yet."""
    with db.reading() as session:
        return _terrain(session)
