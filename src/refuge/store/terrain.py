"""Queries on the terrain: the stored land-cover raster and the cached travel-time matrices."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from refuge.terrain.model import LandClass, Terrain
from refuge.store.tables import TerrainRow, TravelMatrixRow


@dataclass(frozen=True)
class StoredTerrain:
    terrain: Terrain
    travel_model: str
    digest: str
    source: str


def digest_of(terrain: Terrain, travel_model: str) -> str:
    """A fingerprint of everything a route depends on but the places: raster, frame, classes, travel model."""
    sha = hashlib.sha256()
    sha.update(np.ascontiguousarray(terrain.classes).tobytes())
    sha.update(repr((terrain.classes.shape, terrain.x0, terrain.y0, terrain.cell_size, terrain.table)).encode())
    sha.update(travel_model.encode())
    return sha.hexdigest()


def save_terrain(session: Session, network_id: int, terrain: Terrain, travel_model: str, source: str,
                 now: datetime) -> str:
    """Store (or replace) the network's terrain; returns its digest. Cached matrices of older terrains go."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, classes=terrain.classes.astype(np.uint8))
    digest = digest_of(terrain, travel_model)
    session.execute(delete(TerrainRow).where(TerrainRow.network_id == network_id))
    session.execute(delete(TravelMatrixRow).where(TravelMatrixRow.terrain_digest != digest))
    session.add(TerrainRow(
        network_id=network_id, x0=terrain.x0, y0=terrain.y0, cell_size=terrain.cell_size,
        rows=terrain.rows, cols=terrain.cols, classes=buffer.getvalue(),
        class_table=[{"id": c.id, "name": c.name, "color": c.color, "water": c.water} for c in terrain.table],
        travel_model=travel_model, digest=digest, source=source, loaded_at=now,
    ))
    session.flush()
    return digest


def load_terrain(session: Session) -> StoredTerrain | None:
    row = session.scalars(select(TerrainRow).order_by(TerrainRow.id)).first()
    if row is None:
        return None
    classes = np.load(io.BytesIO(row.classes))["classes"]
    table = tuple(LandClass(c["id"], c["name"], c["color"], bool(c["water"])) for c in row.class_table)
    terrain = Terrain(classes, row.x0, row.y0, row.cell_size, table)
    return StoredTerrain(terrain, row.travel_model, row.digest, row.source)


def terrain_digest(session: Session) -> str | None:
    return session.scalars(select(TerrainRow.digest).order_by(TerrainRow.id)).first()


def cached_matrix(session: Session, terrain_digest: str, profile: str, chakra: float,
                  points_digest: str) -> tuple[dict, datetime] | None:
    """The cached matrix's payload and when it was built, if there is one for exactly these inputs."""
    query = select(TravelMatrixRow.payload, TravelMatrixRow.built_at).where(
        TravelMatrixRow.terrain_digest == terrain_digest, TravelMatrixRow.profile == profile,
        TravelMatrixRow.chakra == chakra, TravelMatrixRow.points_digest == points_digest,
    )
    row = session.execute(query).first()
    return (row.payload, row.built_at) if row else None


def save_matrix(session: Session, terrain_digest: str, profile: str, chakra: float, points_digest: str,
                payload: dict, now: datetime) -> None:
    session.execute(delete(TravelMatrixRow).where(
        TravelMatrixRow.terrain_digest == terrain_digest, TravelMatrixRow.profile == profile,
        TravelMatrixRow.chakra == chakra, TravelMatrixRow.points_digest == points_digest,
    ))
    session.add(TravelMatrixRow(terrain_digest=terrain_digest, profile=profile, chakra=chakra,
                                points_digest=points_digest, payload=payload, built_at=now))
    session.flush()
