"""The terrain as a picture for the browser's map: one pixel a cell, each land class in its own colour."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from refuge.terrain.model import Terrain


def terrain_png(terrain: Terrain) -> bytes:
    """The land-cover raster as a PNG, north up (row 0 is the northern edge, as the raster is stored)."""
    palette = np.zeros((256, 3), dtype=np.uint8)
    for land in terrain.table:
        palette[land.id] = [int(land.color[i:i + 2], 16) for i in (1, 3, 5)]
    image = Image.fromarray(palette[terrain.classes], mode="RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
