"""A network's own land-cover raster: a GeoTIFF, or a PNG with a world file, plus a class table.

Real users have real maps. The raster holds one class id per cell; it must be north-up with square
cells (rotated, sheared or stretched rasters are refused: reproject them first, e.g. with
`gdalwarp -tr 100 100`). The class table is a CSV file (`id,name,color,water`) or a TOML file with
one `[[classes]]` table per class. Every refusal names the file, and the line where there is one.
"""

from __future__ import annotations

import csv
import logging
import math
import re
import tomllib
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from refuge.domain.errors import InvalidInput
from refuge.terrain.model import LandClass, Terrain

WORLD_FILE_SUFFIXES = (".pgw", ".pngw", ".wld")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}
PIXEL_IS_POINT = 2  # GTRasterTypeGeoKey: the tie point is a cell's centre, not its corner
_TOLERANCE = 1e-9
#: The most cells a land-cover raster may have: the route search's tables take about 3 KB a cell while
#: they are built (a profile's bounds over 40 shelters; 3.3 GB for the Land of Fire's 1.08 million cells),
#: so six million cells (say 2,400 × 2,500 cells, 240 × 250 km at 100 m) need some 20 GB.
MAX_CELLS = 6_000_000


def read_land_cover(raster_path: str | Path, class_table_path: str | Path,
                    world_file_path: str | Path | None = None) -> Terrain:
    """The terrain in a GeoTIFF, or in a PNG beside (or with) its world file, with its class table."""
    raster_path = Path(raster_path)
    table = read_class_table(class_table_path)
    suffix = raster_path.suffix.lower()
    if suffix in (".tif", ".tiff"):
        classes, (left, top, size) = _read_geotiff(raster_path)
    elif suffix == ".png":
        classes = _read_png(raster_path)
        left, top, size = read_world_file(world_file_path or _world_file_beside(raster_path))
    else:
        raise InvalidInput(f"{raster_path}: a land-cover raster must be a GeoTIFF (.tif) or a PNG with a world file")
    classes = _class_ids(classes, raster_path, table, Path(class_table_path))
    return Terrain(classes, left, top - classes.shape[0] * size, size, table)


def read_class_table(path: str | Path) -> tuple[LandClass, ...]:
    """The land classes of a CSV (`id,name,color,water`) or TOML (`[[classes]]`) class table."""
    path = Path(path)
    text = _read_text(path, "class table")
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path, text)
    elif path.suffix.lower() == ".toml":
        rows = _toml_rows(path, text)
    else:
        raise InvalidInput(f"class table {path}: must be a .csv or a .toml file")
    if not rows:
        raise InvalidInput(f"class table {path} lists no classes")
    table = tuple(_land_class(f"class table {path} {where}", row) for where, row in rows)
    for attribute in ("id", "name"):
        values = [getattr(land, attribute) for land in table]
        twice = sorted({value for value in values if values.count(value) > 1}, key=str)
        if twice:
            raise InvalidInput(f"class table {path}: each class needs its own {attribute}; "
                               f"more than one class has {attribute} {', '.join(map(str, twice))}")
    return table


def read_world_file(path: str | Path) -> tuple[float, float, float]:
    """(west edge, north edge, cell size) from a world file: six lines A D B E C F."""
    path = Path(path)
    lines = _read_text(path, "world file").rstrip().splitlines()
    if len(lines) != 6:
        raise InvalidInput(f"world file {path} has {len(lines)} lines; it needs six (A, D, B, E, C, F)")
    a, d, b, e, c, f = (_world_number(path, number, line) for number, line in enumerate(lines, start=1))
    for number, term in ((2, d), (3, b)):
        if term != 0:
            raise InvalidInput(f"world file {path} line {number}: rotation term {term:g} is not 0; "
                               "rotated or sheared rasters are not supported")
    if a <= 0:
        raise InvalidInput(f"world file {path} line 1: the cell width must be positive, not {a:g}")
    if e >= 0:
        raise InvalidInput(f"world file {path} line 4: the cell height must be negative (north up), not {e:g}")
    if not math.isclose(a, -e, rel_tol=_TOLERANCE):
        raise InvalidInput(f"world file {path} line 4: cells are {a:g} wide but {-e:g} high; "
                           "only square cells are supported")
    # C and F name the centre of the top-left cell; the map frame wants its outer corner.
    return c - a / 2, f - e / 2, a


def _world_file_beside(raster_path: Path) -> Path:
    for suffix in WORLD_FILE_SUFFIXES:
        candidate = raster_path.with_suffix(suffix)
        if candidate.exists():
            return candidate
    names = ", ".join(raster_path.with_suffix(suffix).name for suffix in WORLD_FILE_SUFFIXES)
    raise InvalidInput(f"{raster_path} needs a world file ({names}) beside it, or give the world file's path")


def _world_number(path: Path, number: int, line: str) -> float:
    try:
        value = float(line.strip())
    except ValueError:
        raise InvalidInput(f"world file {path} line {number}: {line.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise InvalidInput(f"world file {path} line {number}: {line.strip()!r} is not a finite number")
    return value


def _read_geotiff(path: Path) -> tuple[np.ndarray, tuple[float, float, float]]:
    import tifffile

    try:
        with _quiet("tifffile"), tifffile.TiffFile(path) as tiff:
            if not len(tiff.pages):
                raise InvalidInput(f"{path} is not a readable GeoTIFF: it holds no image")
            page = tiff.pages[0]
            if len(page.shape) < 2:
                raise InvalidInput(f"{path} is not a readable GeoTIFF: its first image has no rows and columns")
            _not_too_large(path, *page.shape[:2])
            tags = {code: page.tags[code].value for code in (33550, 33922, 34264, 34735) if code in page.tags}
            return page.asarray(), _geotiff_frame(path, tags)
    except InvalidInput:
        raise
    except Exception as error:  # a damaged file fails inside the reader in many ways (index, key, struct errors)
        raise InvalidInput(f"{path} is not a readable GeoTIFF: {error or type(error).__name__}") from None


def _not_too_large(path: Path, rows: int, cols: int) -> None:
    if rows * cols > MAX_CELLS:
        raise InvalidInput(f"{path} has {rows:,} × {cols:,} cells ({rows * cols:,}); a land-cover raster may have at "
                           f"most {MAX_CELLS:,}: resample it to larger cells (e.g. gdalwarp -tr 100 100) or cut it "
                           "to the network's area")


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """The reader's own log lines held back: what went wrong reaches the user as one clear error."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _geotiff_frame(path: Path, tags: dict) -> tuple[float, float, float]:
    """(west edge, north edge, cell size) from the pixel scale and tie point (or a plain transformation)."""
    if 34264 in tags:
        m = tags[34264]
        if m[1] != 0 or m[4] != 0:
            raise InvalidInput(f"{path}: the raster is rotated or sheared; only north-up rasters are supported")
        scale, tie = (m[0], -m[5]), (0.0, 0.0, m[3], m[7])
    elif 33550 in tags and 33922 in tags:
        if len(tags[33922]) != 6:
            raise InvalidInput(f"{path} has {len(tags[33922]) // 6} tie points; only one (with a pixel scale) "
                               "is supported: warp the raster to a regular grid first")
        scale, tie = tags[33550][:2], (tags[33922][0], tags[33922][1], tags[33922][3], tags[33922][4])
    else:
        raise InvalidInput(f"{path} has no georeferencing (ModelPixelScale and ModelTiepoint tags); "
                           "use a GeoTIFF, or a PNG with a world file")
    width, height = scale
    if width <= 0 or height <= 0:
        raise InvalidInput(f"{path}: cells must be north-up with a positive size, not {width:g} by {height:g}")
    if not math.isclose(width, height, rel_tol=_TOLERANCE):
        raise InvalidInput(f"{path}: cells are {width:g} wide but {height:g} high; only square cells are supported")
    column, row, x, y = tie
    if _raster_type(tags.get(34735, ())) == PIXEL_IS_POINT:
        column, row = column + 0.5, row + 0.5
    return x - column * width, y + row * width, float(width)


def _raster_type(directory: tuple) -> int | None:
    """GTRasterTypeGeoKey (1025) from a GeoKeyDirectory: a header of four, then keys of four."""
    for start in range(4, len(directory) - 3, 4):
        key, location, _count, value = directory[start:start + 4]
        if key == 1025 and location == 0:
            return int(value)
    return None


def _read_png(path: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # the size is checked below, before the cells are read
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            _not_too_large(path, image.height, image.width)
            if image.mode not in ("P", "L", "1", "I", "I;16"):
                raise InvalidInput(f"{path} is an image of mode {image.mode}; a land-cover PNG holds class ids "
                                   "as palette indices or grey levels (mode P or L)")
            return np.array(image).astype(np.int64)
    except Image.DecompressionBombError:  # larger still than the limit above: not even opened
        # the library refuses to open an image of more than twice its MAX_IMAGE_PIXELS
        raise InvalidInput(f"{path} is too large for a land-cover raster (over {2 * Image.MAX_IMAGE_PIXELS:,} cells); "
                           f"it may have at most {MAX_CELLS:,}: resample it to larger cells or cut it to the "
                           "network's area") from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as error:
        raise InvalidInput(f"{path} is not a readable PNG: {error}") from None


def _class_ids(values: np.ndarray, raster_path: Path, table: tuple[LandClass, ...], table_path: Path) -> np.ndarray:
    if values.ndim != 2:
        raise InvalidInput(f"{raster_path} has {values.shape[-1] if values.ndim == 3 else values.ndim} bands; "
                           "a land-cover raster has one band of class ids")
    if values.dtype.kind == "f":
        if not np.all(np.isfinite(values) & (values == np.round(values))):
            raise InvalidInput(f"{raster_path} holds values that are not whole numbers; class ids are whole numbers")
    elif values.dtype.kind not in "iub":
        raise InvalidInput(f"{raster_path} holds {values.dtype} values; class ids are whole numbers")
    found = np.unique(values).astype(np.int64)
    unknown = sorted(set(found.tolist()) - {land.id for land in table})
    if unknown:
        shown = ", ".join(map(str, unknown[:20])) + (" …" if len(unknown) > 20 else "")
        raise InvalidInput(f"{raster_path} holds class ids that are not in the class table {table_path}: {shown}")
    return values.astype(np.uint8)


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot read the {what} {path}: {getattr(error, 'strerror', None) or error}") from None


def _csv_rows(path: Path, text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(text.splitlines())
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("id", "name", "color") if name not in header]
    if missing:
        raise InvalidInput(f"class table {path}: the header needs the columns id, name, color (and water); "
                           f"{', '.join(missing)} missing")
    reader.fieldnames = header
    return [(f"line {reader.line_num}", row) for row in reader if any((value or "").strip() for value in row.values())]


def _toml_rows(path: Path, text: str) -> list[tuple[str, dict]]:
    try:
        classes = tomllib.loads(text).get("classes")
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"class table {path} is not valid TOML: {error}") from None
    if not isinstance(classes, list) or not all(isinstance(row, dict) for row in classes):
        raise InvalidInput(f"class table {path}: give each class as a [[classes]] table with id, name, color, water")
    return [(f"class {number}", row) for number, row in enumerate(classes, start=1)]


def _land_class(where: str, row: dict) -> LandClass:
    raw_id, name = row.get("id"), str(row.get("name") or "").strip()
    try:
        class_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else int(str(raw_id).strip())
    except ValueError:
        raise InvalidInput(f"{where}: id {raw_id!r} is not a whole number") from None
    if not 0 <= class_id <= 255:
        raise InvalidInput(f"{where}: id {class_id} must be from 0 to 255")
    if not name:
        raise InvalidInput(f"{where}: class {class_id} needs a name")
    color = str(row.get("color") or "").strip()
    if not _COLOR.match(color):
        raise InvalidInput(f"{where}: color {color!r} must be written #rrggbb")
    return LandClass(class_id, name, color.lower(), _water(where, row.get("water")))


def _water(where: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise InvalidInput(f"{where}: water must be true or false, not {value!r}")
