"""The terrain a network lies on: a land-cover raster in the network's map frame, and its class table.

The raster is an array of class ids, row 0 the northern edge (as an image is stored), column 0 the
western edge. Cell (row, col) covers x in [x0 + col*size, x0 + (col+1)*size) and
y in (y_top - (row+1)*size, y_top - row*size], where y_top = y0 + rows*size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from refuge.domain.errors import InvalidInput


@dataclass(frozen=True)
class LandClass:
    """One kind of ground. `water` ground can only be crossed by water-walking."""

    id: int
    name: str
    color: str  # "#rrggbb", for maps
    water: bool = False


@dataclass(frozen=True, eq=False)
class Terrain:
    classes: np.ndarray  # uint8 (rows, cols) of LandClass ids
    x0: float  # west edge, metres
    y0: float  # south edge, metres
    cell_size: float  # metres
    table: tuple[LandClass, ...]

    def __post_init__(self) -> None:
        if self.classes.ndim != 2 or self.classes.size == 0:
            raise InvalidInput("a land-cover raster must be a non-empty two-dimensional grid")
        if not self.cell_size > 0:
            raise InvalidInput(f"cell size must be positive, not {self.cell_size}")
        known = {land.id for land in self.table}
        unknown = sorted(set(np.unique(self.classes).tolist()) - known)
        if unknown:
            raise InvalidInput(f"the raster holds class ids not in its class table: {unknown}")

    @property
    def rows(self) -> int:
        return int(self.classes.shape[0])

    @property
    def cols(self) -> int:
        return int(self.classes.shape[1])

    @property
    def width_m(self) -> float:
        return self.cols * self.cell_size

    @property
    def height_m(self) -> float:
        return self.rows * self.cell_size

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x0 + self.width_m and self.y0 <= y < self.y0 + self.height_m

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        """The (row, col) of the cell holding a point; refuses a point off the map."""
        if not self.contains(x, y):
            raise InvalidInput(
                f"position ({x:.0f}, {y:.0f}) is off the map, which spans x {self.x0:.0f}–{self.x0 + self.width_m:.0f} "
                f"and y {self.y0:.0f}–{self.y0 + self.height_m:.0f} metres"
            )
        col = int((x - self.x0) // self.cell_size)
        row = self.rows - 1 - int((y - self.y0) // self.cell_size)
        return row, col

    def centre_of(self, row: int, col: int) -> tuple[float, float]:
        return (self.x0 + (col + 0.5) * self.cell_size, self.y0 + (self.rows - row - 0.5) * self.cell_size)

    def land_class(self, class_id: int) -> LandClass:
        return next(land for land in self.table if land.id == class_id)

    def by_name(self) -> dict[str, LandClass]:
        return {land.name: land for land in self.table}
