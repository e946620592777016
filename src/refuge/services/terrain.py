"""Use cases of the network's terrain: import a land-cover raster of one's own, describe the one in use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.errors import InvalidInput
from refuge.domain.values import utc_now
from refuge.services.navigation import NO_TERRAIN
from refuge.store import register as register_store
from refuge.store import terrain as terrain_store
from refuge.store.database import Database
from refuge.terrain.model import Terrain
from refuge.terrain.rasters import read_land_cover
from refuge.terrain.search import passable
from refuge.terrain.travel import default_travel_model_text, move_costs, parse_travel_model


@dataclass(frozen=True)
class ClassShare:
    id: int
    name: str
    color: str
    water: bool
    cells: int
    share: float


@dataclass(frozen=True)
class TerrainSummary:
    source: str
    digest: str
    rows: int
    cols: int
    cell_size: float
    x0: float
    y0: float
    classes: list[ClassShare]
    profiles: list[str]
    #: Shelters and places outside the raster, or standing where nobody can walk: (code or name, why).
    misplaced: list[tuple[str, str]]


def import_terrain(db: Database, raster: Path, classes: Path, world: Path | None = None,
                   travel: Path | None = None, now: datetime | None = None) -> TerrainSummary:
    """Replace the network's terrain with a raster of its own. Everything is read and checked first;
    nothing is written when anything is wrong. Without `travel`, the network's current travel model
    is kept if it covers the new classes, else the bundled one if that does."""
    terrain = read_land_cover(raster, classes, world)
    with db.reading() as session:
        current = terrain_store.load_terrain(session)
    if travel is not None:
        model_text = _read(travel)
        parse_travel_model(model_text, terrain.table, str(travel))
    else:
        model_text = _fitting_model(terrain, [current.travel_model] if current else [])
    with db.writing() as session:
        terrain_store.save_terrain(session, register_store.network_id(session), terrain, model_text,
                                   raster.name, now or utc_now())
    return describe(db)


def describe(db: Database, clearance: int = FULL_CLEARANCE) -> TerrainSummary:
    """The terrain in use; the shelters it names as misplaced are those cleared for `clearance`."""
    with db.reading() as session:
        stored = terrain_store.load_terrain(session)
        if stored is None:
            raise InvalidInput(NO_TERRAIN)
        shelters = register_store.shelters(session, clearance)
        places = register_store.places(session)
    terrain = stored.terrain
    model = parse_travel_model(stored.travel_model, terrain.table, "the network's travel model")
    counts = np.bincount(terrain.classes.ravel(), minlength=256)
    shares = [ClassShare(c.id, c.name, c.color, c.water, int(counts[c.id]), float(counts[c.id]) / terrain.classes.size)
              for c in terrain.table]
    walking = move_costs(terrain, model, "walking") if "walking" in model.profile_names else None
    misplaced = []
    for key, x, y in [(s.code, s.x, s.y) for s in shelters] + [(p.name, p.x, p.y) for p in places]:
        if not terrain.contains(x, y):
            misplaced.append((key, "outside the map"))
        elif walking is not None and not passable(walking, terrain.cell_of(x, y)):
            land = terrain.land_class(int(terrain.classes[terrain.cell_of(x, y)]))
            misplaced.append((key, f"in {land.name}, which cannot be walked"))
    return TerrainSummary(stored.source, stored.digest, terrain.rows, terrain.cols, terrain.cell_size, terrain.x0,
                          terrain.y0, shares, list(model.profile_names), misplaced)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot read the travel model {path}: {getattr(error, 'strerror', None) or error}") from None


def _fitting_model(terrain: Terrain, candidates: list[str]) -> str:
    for text in [*candidates, default_travel_model_text()]:
        try:
            parse_travel_model(text, terrain.table)
        except InvalidInput:
            continue
        return text
    names = ", ".join(c.name for c in terrain.table)
    raise InvalidInput(f"no travel model covers the raster's classes ({names}); give one with --travel FILE.toml "
                       "(see src/refuge/terrain/data/land_of_fire_travel.toml for the format)")

