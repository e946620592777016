"""The Land of Fire's land cover, drawn at demo load from the scenario's map features.

The drawing is deterministic: every texture comes from a noise field seeded by a fixed number and a
key (the feature's name), never from the global random state, so the same features always give the
same raster. Layers go down in this order, each over the ones before: grassland with copses and
knolls; forests with glades; hills; the mountain cores of the large ranges, with crags of cliff and
passes where roads and mountain paths cross them; marsh; meandering rivers; the lake, with the
island inside it; settlements at the places (on both banks of a river, never in it); and roads,
over everything but the lake, so that a road cell over a river is a bridge.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy import ndimage
from skimage.draw import disk

from refuge.terrain.model import LandClass, Terrain

LAND_OF_FIRE_CLASSES: tuple[LandClass, ...] = (
    LandClass(0, "road", "#8b5a2b"),
    LandClass(1, "grassland", "#cfe0a0"),
    LandClass(2, "forest", "#4e8a3e"),
    LandClass(3, "hills", "#c8b27c"),
    LandClass(4, "mountain", "#9a8c7a"),
    LandClass(5, "pass", "#ddd0b4"),
    LandClass(6, "river", "#4a90d9", water=True),
    LandClass(7, "lake", "#2e6db4", water=True),
    LandClass(8, "marsh", "#86ae9c"),
    LandClass(9, "settlement", "#d9735b"),
    LandClass(10, "cliff", "#4a3f36"),
)
CLASS_ID = {land.name: land.id for land in LAND_OF_FIRE_CLASSES}

SEED = 2026
#: A hill outline larger than this is a range: its core, this far inside the outline, is mountain.
RANGE_MIN_KM2, MOUNTAIN_DEPTH_M = 300.0, 2000.0
HILL_WOBBLE_M, FOREST_WOBBLE_M = 800.0, 1200.0
RIVER_WIDTH_M, RIVER_MEANDER_M = 300.0, 350.0
PASS_HALF_WIDTH_M = 400.0
#: Settlement radius by kind of place; a village is larger than a town.
SETTLEMENT_RADIUS_M = {"village": 1600.0, "town": 700.0}
#: Cliffs never come this close to a shelter or a place, so each keeps its ways out.
CLEAR_OF_CLIFFS_M = 600.0
#: Mountain paths of the bundled map, used when the features name no passes of their own.
LAND_OF_FIRE_PASSES = [
    {"name": "Snow Pass", "points": [(35_000, 79_000), (34_300, 83_000), (35_000, 85_500), (35_600, 90_000)]},
    {"name": "Kikyo Pass", "points": [(105_000, 79_000), (112_000, 77_500), (120_000, 77_000)]},
]

Window = tuple[slice, slice]


def land_of_fire_terrain(features: dict, places: Iterable, shelters: Iterable, cell_size: float = 100.0, *,
                         width_m: float = 120_000.0, height_m: float = 90_000.0) -> Terrain:
    """Draw the Land of Fire from its map features, places (with .x, .y, .kind) and shelters (with .x, .y).

    `features` is the scenario's, or the database's JSON copy of it (points may be lists, not tuples).
    The map's south-west corner is the origin; cells are `cell_size` metres.
    """
    canvas = _Canvas(round(height_m / cell_size), round(width_m / cell_size), cell_size)
    places, shelters = list(places), list(shelters)
    land = np.full(canvas.shape, CLASS_ID["grassland"], dtype=np.uint8)
    _draw_woods(canvas, land, _named(features, "forests"))
    _paint(canvas, land, _named(features, "hills"), "hills", blur=6, amplitude=0.3, wobble_m=HILL_WOBBLE_M)
    paths = canvas.lines(_named(features, "roads") + (_named(features, "passes") or LAND_OF_FIRE_PASSES))
    _draw_ranges(canvas, land, _named(features, "hills"), paths, [*places, *shelters])
    _paint(canvas, land, _named(features, "marsh"), "marsh", blur=4, amplitude=0.2, wobble_m=400.0)
    _draw_water(canvas, land, features)
    _draw_settlements(canvas, land, places)
    roads = canvas.lines(_named(features, "roads")) & (land != CLASS_ID["lake"])
    land[roads] = CLASS_ID["road"]
    return Terrain(land, 0.0, 0.0, float(cell_size), LAND_OF_FIRE_CLASSES)


def class_colours(table: Sequence[LandClass]) -> np.ndarray:
    """A (256, 3) uint8 lookup from class id to its map colour (ids not in the table are black)."""
    lookup = np.zeros((256, 3), dtype=np.uint8)
    for land in table:
        lookup[land.id] = [int(land.color[i:i + 2], 16) for i in (1, 3, 5)]
    return lookup


def save_preview(terrain: Terrain, path: str | Path) -> Path:
    """Write the raster as a PNG in the class colours, one pixel a cell, for a quick look."""
    from PIL import Image

    path = Path(path)
    Image.fromarray(class_colours(terrain.table)[terrain.classes]).save(path)
    return path


def _named(features: dict, kind: str) -> list[dict]:
    return list(features.get(kind) or [])


def _paint(canvas: _Canvas, land: np.ndarray, named: list[dict], class_name: str, **edge: float) -> None:
    for feature in named:
        window, mask = canvas.ragged(feature, class_name, **edge)
        land[window][mask] = CLASS_ID[class_name]


def _draw_woods(canvas: _Canvas, land: np.ndarray, forests: list[dict]) -> None:
    """Forests with glades in them; copses and rocky knolls scattered over the open land."""
    texture = canvas.noise("woods", 2500.0)
    for forest in forests:
        window, mask = canvas.ragged(forest, "forest", blur=8, amplitude=0.35, wobble_m=FOREST_WOBBLE_M)
        land[window][mask & (texture[window] > -1.3)] = CLASS_ID["forest"]
    land[texture > 1.8] = CLASS_ID["forest"]
    land[texture < -2.6] = CLASS_ID["hills"]


def _draw_ranges(canvas: _Canvas, land: np.ndarray, hills: list[dict], paths: np.ndarray, points: list) -> None:
    """The mountain core of each large hill outline, with crags of cliff, cut by passes along `paths`."""
    for hill in hills:
        if _area_km2(hill["points"]) < RANGE_MIN_KM2:
            continue
        outline = canvas.outline(hill, HILL_WOBBLE_M)
        window = canvas.window(outline, margin_m=MOUNTAIN_DEPTH_M)
        depth = ndimage.distance_transform_edt(canvas.fill(outline, window)) * canvas.cell_size
        mountain = (depth + 600.0 * canvas.noise("mountains", 4000.0, window) > MOUNTAIN_DEPTH_M) & (depth > 0)
        ridges = np.abs(canvas.noise("ridges", 3000.0, window)) < 0.05
        crags = ridges & (canvas.noise("crags", 1500.0, window) > 0.4) & (depth > MOUNTAIN_DEPTH_M + 1000.0)
        crags &= ~canvas.near(points, CLEAR_OF_CLIFFS_M, window)
        corridor = _thicken(paths[window], PASS_HALF_WIDTH_M / canvas.cell_size)
        view = land[window]
        view[mountain] = CLASS_ID["mountain"]
        view[mountain & crags & ~corridor] = CLASS_ID["cliff"]
        view[mountain & corridor] = CLASS_ID["pass"]


def _draw_water(canvas: _Canvas, land: np.ndarray, features: dict) -> None:
    """Meandering rivers, then the lake over them, then the island in the lake."""
    rivers = canvas.lines(_named(features, "rivers"), wobble_m=RIVER_MEANDER_M)
    land[_thicken(rivers, RIVER_WIDTH_M / canvas.cell_size / 2)] = CLASS_ID["river"]
    if features.get("lake"):
        lake = {"name": "lake", "points": features["lake"]}
        window, shore = canvas.ragged(lake, "lake", blur=3, amplitude=0.2, wobble_m=250.0)
        land[window][shore | canvas.fill(lake["points"], window)] = CLASS_ID["lake"]
    if features.get("island"):
        window = canvas.window(features["island"], margin_m=0.0)
        island = canvas.fill(features["island"], window)
        pines = canvas.noise("island", 800.0, window) > -0.2
        land[window][island] = np.where(pines[island], CLASS_ID["forest"], CLASS_ID["grassland"])


def _draw_settlements(canvas: _Canvas, land: np.ndarray, places: list) -> None:
    """A blob of houses at each place, frayed at its edge, on both banks of a river but never in it."""
    for place in places:
        radius = SETTLEMENT_RADIUS_M.get(getattr(place, "kind", "town"), SETTLEMENT_RADIUS_M["town"])
        window = canvas.window([(place.x, place.y)], margin_m=radius * 1.5)
        row, col = canvas.pixels([(place.x, place.y)])
        rows, cols = np.ogrid[window[0], window[1]]
        reach = radius / canvas.cell_size * (1.0 + 0.25 * canvas.noise("settlements", 600.0, window))
        view = land[window]
        dry = ~np.isin(view, [CLASS_ID["river"], CLASS_ID["lake"]])
        view[(np.hypot(rows - row[0], cols - col[0]) < reach) & dry] = CLASS_ID["settlement"]


class _Canvas:
    """Map coordinates to cells, and the drawing primitives, on a raster of one shape."""

    def __init__(self, rows: int, cols: int, cell_size: float) -> None:
        self.shape, self.cell_size = (rows, cols), cell_size
        self._grids: dict[tuple[str, float], tuple[int, np.ndarray]] = {}

    def pixels(self, points: Sequence) -> tuple[np.ndarray, np.ndarray]:
        """Row and column (fractional; cell centres at whole numbers) of map points."""
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
        return self.shape[0] - xy[:, 1] / self.cell_size - 0.5, xy[:, 0] / self.cell_size - 0.5

    def window(self, points: Sequence, margin_m: float) -> Window:
        """The cells around the points' bounding box, with a margin, cut to the raster."""
        rows, cols = self.pixels(points)
        margin = margin_m / self.cell_size + 1
        top, bottom = (int(np.clip(v, 0, self.shape[0])) for v in (rows.min() - margin, rows.max() + margin + 1))
        left, right = (int(np.clip(v, 0, self.shape[1])) for v in (cols.min() - margin, cols.max() + margin + 1))
        return slice(top, max(top, bottom)), slice(left, max(left, right))

    def fill(self, points: Sequence, window: Window) -> np.ndarray:
        """The window's cells whose centres lie inside the outline."""
        rows, cols = self.pixels(points)
        shape = (window[0].stop - window[0].start, window[1].stop - window[1].start)
        return _fill(rows - window[0].start, cols - window[1].start, shape)

    def outline(self, feature: dict, wobble_m: float) -> np.ndarray:
        """The feature's outline swayed by its own noise; corners on or past the map's edge stay past it."""
        xy = np.asarray(feature["points"], dtype=float).reshape(-1, 2).copy()
        for axis, far in ((0, self.shape[1] * self.cell_size), (1, self.shape[0] * self.cell_size)):
            xy[:, axis] = np.where(xy[:, axis] <= 0, xy[:, axis] - 2000.0, xy[:, axis])
            xy[:, axis] = np.where(xy[:, axis] >= far, xy[:, axis] + 2000.0, xy[:, axis])
        return _sway(xy, feature.get("name", ""), wobble_m, self.cell_size, closed=True)

    def ragged(self, feature: dict, key: str, blur: float, amplitude: float,
               wobble_m: float) -> tuple[Window, np.ndarray]:
        """A feature's swayed outline with its edge frayed by noise: the natural edge of a forest or a marsh."""
        outline = self.outline(feature, wobble_m)
        window = self.window(outline, margin_m=4 * blur * self.cell_size)
        soft = ndimage.gaussian_filter(self.fill(outline, window).astype(np.float32), blur)
        # The noise counts most at the outline and fades out deep inside and far outside it.
        return window, soft + amplitude * 4.0 * soft * (1.0 - soft) * self.noise(key, 3000.0, window) > 0.5

    def lines(self, named: list[dict], wobble_m: float = 0.0) -> np.ndarray:
        """A 4-connected line (no step only diagonal) along each feature's polyline, swayed if asked."""
        mask = np.zeros(self.shape, dtype=bool)
        for feature in named:
            points = feature["points"]
            if wobble_m:
                points = _sway(points, feature.get("name", ""), wobble_m, self.cell_size)
            rows, cols = _trace(*self.pixels(points))
            inside = (rows >= 0) & (rows < self.shape[0]) & (cols >= 0) & (cols < self.shape[1])
            mask[rows[inside], cols[inside]] = True
        return mask

    def near(self, points: list, radius_m: float, window: Window) -> np.ndarray:
        """The window's cells within a radius of any of the points (objects with .x and .y)."""
        mask = np.zeros((window[0].stop - window[0].start, window[1].stop - window[1].start), dtype=bool)
        for point in points:
            row, col = self.pixels([(point.x, point.y)])
            centre = (row[0] - window[0].start, col[0] - window[1].start)
            mask[disk(centre, radius_m / self.cell_size, shape=mask.shape)] = True
        return mask

    def noise(self, key: str, period_m: float, window: Window | None = None) -> np.ndarray:
        """Smooth fractal noise (about mean 0, deviation 1) over the window; the same key, the same field."""
        if (key, period_m) not in self._grids:
            self._grids[(key, period_m)] = self._coarse_noise(key, period_m)
        step, grid = self._grids[(key, period_m)]
        window = window or (slice(0, self.shape[0]), slice(0, self.shape[1]))
        return _upsample(grid, step, window)

    def _coarse_noise(self, key: str, period_m: float) -> tuple[int, np.ndarray]:
        """Octaves of 9, 3 and 1 times the finest step, summed on the finest grid and normalised."""
        rng = np.random.default_rng([SEED, zlib.crc32(key.encode())])
        step = max(2, round(period_m / self.cell_size / 9))
        coarse = (self.shape[0] // step + 4, self.shape[1] // step + 4)
        total = np.zeros(coarse, dtype=np.float32)
        for factor, weight in ((9, 1.0), (3, 0.5), (1, 0.25)):
            grid = rng.standard_normal((coarse[0] // factor + 2, coarse[1] // factor + 2)).astype(np.float32)
            total += weight * _upsample(grid, factor, (slice(0, coarse[0]), slice(0, coarse[1])))
        return step, (total - total.mean()) / total.std()


def _sway(points: Sequence, key: str, amplitude_m: float, cell_size: float, closed: bool = False) -> np.ndarray:
    """A polyline (or a closed outline) every cell, pushed sideways by smooth noise seeded by `key`.

    An open line keeps its two ends in place (a river still meets the lake and the map's edge).
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if closed:
        points = np.vstack([points, points[:1]])
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    samples = np.linspace(0.0, along[-1], max(2, int(along[-1] / cell_size) + 1))
    x, y = np.interp(samples, along, points[:, 0]), np.interp(samples, along, points[:, 1])
    rng = np.random.default_rng([SEED, zlib.crc32(key.encode())])
    sway = ndimage.gaussian_filter1d(rng.standard_normal(len(samples)), 1200.0 / cell_size,
                                     mode="wrap" if closed else "nearest")
    sway *= amplitude_m / max(float(sway.std()), 1e-9)
    if not closed:
        sway *= np.sin(np.linspace(0.0, np.pi, len(samples))) ** 0.5
    dx, dy = np.gradient(x), np.gradient(y)
    norm = np.maximum(np.hypot(dx, dy), 1e-9)
    return np.column_stack([x - sway * dy / norm, y + sway * dx / norm])


def _trace(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cells a polyline passes, 4-connected: sampled every half cell at most, with corners filled in."""
    length = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(rows), np.diff(cols)))])
    samples = np.linspace(0.0, length[-1], max(2, int(np.ceil(length[-1] * 2)) + 1))
    r = np.rint(np.interp(samples, length, rows)).astype(np.int64)
    c = np.rint(np.interp(samples, length, cols)).astype(np.int64)
    diagonal = (np.diff(r) != 0) & (np.diff(c) != 0)
    return np.concatenate([r, r[:-1][diagonal]]), np.concatenate([c, c[1:][diagonal]])


def _thicken(mask: np.ndarray, radius: float) -> np.ndarray:
    """The cells within `radius` cells of a marked cell (a dilation by a disc, done by shifting)."""
    reach = max(1, int(radius))
    out = mask.copy()
    for dr in range(-reach, reach + 1):
        for dc in range(-reach, reach + 1):
            if (dr or dc) and dr * dr + dc * dc <= max(radius, 1.0) ** 2 + 1e-9:
                out[max(dr, 0):mask.shape[0] + min(dr, 0), max(dc, 0):mask.shape[1] + min(dc, 0)] |= \
                    mask[max(-dr, 0):mask.shape[0] + min(-dr, 0), max(-dc, 0):mask.shape[1] + min(-dc, 0)]
    return out


def _upsample(grid: np.ndarray, factor: int, window: Window) -> np.ndarray:
    """Bilinear upsampling of a grid by a whole factor, only over the window of the finer grid."""
    for axis, part in enumerate(window):
        position = np.arange(part.start, part.stop, dtype=np.float32) / factor
        index = position.astype(np.int64)
        fraction = np.expand_dims(position - index, 1 - axis)
        low, high = np.take(grid, index, axis), np.take(grid, index + 1, axis)
        grid = low + (high - low) * fraction
    return grid


def _fill(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The cells whose centres lie inside a polygon (even-odd rule), filled scan line by scan line.

    skimage.draw.polygon tests every cell of the bounding box against every edge, too slow for a
    long swayed outline; here each edge gives its crossings with the rows it spans.
    """
    r0, c0, r1, c1 = rows, cols, np.roll(rows, -1), np.roll(cols, -1)
    first = np.clip(np.ceil(np.minimum(r0, r1)), 0, shape[0]).astype(np.int64)
    count = np.clip(np.ceil(np.maximum(r0, r1)), 0, shape[0]).astype(np.int64) - first
    edge = np.repeat(np.arange(len(r0)), count)
    row = first[edge] + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    x = c0[edge] + (row - r0[edge]) * (c1[edge] - c0[edge]) / (r1[edge] - r0[edge])
    order = np.lexsort((x, row))
    row, x = row[order], np.clip(np.ceil(x[order]), 0, shape[1]).astype(np.int64)
    edges = np.zeros((shape[0], shape[1] + 1), dtype=np.int32)
    np.add.at(edges, (row[0::2], x[0::2]), 1)
    np.add.at(edges, (row[1::2], x[1::2]), -1)
    return np.cumsum(edges[:, :-1], axis=1) > 0


def _area_km2(points: Sequence) -> float:
    xy = np.asarray(points, dtype=float).reshape(-1, 2)
    x, y = xy[:, 0], xy[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2e6
