"""A small terrain for the test network: open grassland, a lake around LF-003's island, a cliff wall."""

from __future__ import annotations

import numpy as np

from refuge.store import terrain as terrain_store
from refuge.store import register as register_store
from refuge.store.database import Database
from refuge.terrain.landcover import CLASS_ID, LAND_OF_FIRE_CLASSES
from refuge.terrain.model import Terrain
from refuge.terrain.travel import default_travel_model_text
from tests.factories import NOW

CELL = 500.0
#: The cliff wall runs north–south at x = 40 km between y = 5 km and 30 km.
CLIFF_X, CLIFF_Y = 40_000.0, (5_000.0, 30_000.0)


def small_terrain() -> Terrain:
    rows, cols = 100, 120  # 50 km north to south, 60 km west to east
    classes = np.full((rows, cols), CLASS_ID["grassland"], dtype=np.uint8)
    y, x = np.mgrid[0:rows, 0:cols]
    east, north = (x + 0.5) * CELL, (rows - y - 0.5) * CELL
    from_island = np.hypot(east - 50_000, north - 40_000)
    classes[from_island <= 4_000] = CLASS_ID["lake"]
    classes[from_island <= 1_000] = CLASS_ID["forest"]
    wall = (np.abs(east - CLIFF_X) < CELL) & (north > CLIFF_Y[0]) & (north < CLIFF_Y[1])
    classes[wall] = CLASS_ID["cliff"]
    classes[np.abs(north - 20_000) < CELL / 2] = CLASS_ID["road"]
    classes[wall] = CLASS_ID["cliff"]
    return Terrain(classes, 0.0, 0.0, CELL, LAND_OF_FIRE_CLASSES)


def add_terrain(db: Database) -> None:
    with db.writing() as session:
        terrain_store.save_terrain(session, register_store.network_id(session), small_terrain(),  # type: ignore[arg-type]
                                   default_travel_model_text(), "Test Land", NOW)
