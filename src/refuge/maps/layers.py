"""The layers both kinds of map are drawn from: terrain, the reference grid, places, shelter labels.

Every function draws on a Matplotlib Axes whose data coordinates are the network's map frame
(metres east and north); nothing here opens a window or touches a file.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import ScaledTranslation

from refuge.domain.network import Place
from refuge.maps.sheets import Window
from refuge.terrain import gridref
from refuge.terrain.model import LandClass, Terrain

#: A white outline under text, so labels stay legible over any ground. Drawn by a copy of the text
#: beneath it, because a text with path effects is written out as shapes: the label itself must stay
#: text, so that a PDF or SVG can be searched (and tested) for it.
HALO = [patheffects.Stroke(linewidth=2.4, foreground="white")]
HOSPITAL_RED = "#c8102e"
GRID_BLUE = "#1f3a93"
#: marker, colour, label of each kind of place on a map.
PLACE_SYMBOLS = [("s", "#222222", "village"), ("o", "#222222", "town"), ("P", HOSPITAL_RED, "hospital")]


def draw_terrain(ax: Axes, terrain: Terrain, window: Window | None = None, *, fade: float = 0.0) -> None:
    """The land-cover raster coloured by its class table; `fade` (0–1) blends the colours towards white.

    Only the cells under `window` are drawn, so a printed page embeds its own piece of the map.
    """
    ids = sorted(land.id for land in terrain.table)
    lookup = np.zeros(max(ids) + 1, dtype=np.uint8)
    lookup[ids] = np.arange(len(ids))
    colours = [faded(terrain.land_class(i).color, fade) for i in ids]
    rows, cols, extent = _cells_under(terrain, window)
    ax.imshow(lookup[terrain.classes[rows, cols]], cmap=ListedColormap(colours), vmin=-0.5, vmax=len(ids) - 0.5,
              extent=extent, origin="upper", interpolation="nearest", zorder=0)


def faded(colour: str, fade: float) -> tuple[float, float, float]:
    return tuple(channel * (1 - fade) + fade for channel in to_rgb(colour))  # type: ignore[return-value]


def _cells_under(terrain: Terrain, window: Window | None) -> tuple[slice, slice, list[float]]:
    size, top = terrain.cell_size, terrain.y0 + terrain.height_m
    if window is None:
        return slice(None), slice(None), [terrain.x0, terrain.x0 + terrain.width_m, terrain.y0, top]
    x0, y0, x1, y1 = window
    col0 = int(np.clip((x0 - terrain.x0) // size, 0, terrain.cols - 1))
    col1 = int(np.clip(-((terrain.x0 - x1) // size), col0 + 1, terrain.cols))
    row0 = int(np.clip((top - y1) // size, 0, terrain.rows - 1))
    row1 = int(np.clip(-((y0 - top) // size), row0 + 1, terrain.rows))
    extent = [terrain.x0 + col0 * size, terrain.x0 + col1 * size, top - row1 * size, top - row0 * size]
    return slice(row0, row1), slice(col0, col1), extent


def land_classes_present(terrain: Terrain) -> list[LandClass]:
    """The land classes that occur on the map, in class-table order."""
    counts = np.bincount(terrain.classes.ravel(), minlength=max(land.id for land in terrain.table) + 1)
    return [land for land in terrain.table if counts[land.id]]


def land_legend(terrain: Terrain) -> list[Patch]:
    """One swatch per land class that occurs on the map."""
    return [Patch(facecolor=land.color, edgecolor="#555555", linewidth=0.4, label=land.name)
            for land in land_classes_present(terrain)]


def draw_grid(ax: Axes, frame: gridref.Frame, window: Window, *, kilometres: bool, fontsize: float,
              line_width: float = 0.9) -> None:
    """The reference grid: square lines every 10 km, letters on the top and bottom margins, row numbers
    on the left and right, as `parse_gridref` reads them; optionally faint lines every kilometre."""
    x0, y0, x1, y1 = window
    square = gridref.SQUARE_M
    if kilometres:
        _lines(ax, frame, window, 1_000, colour="#00000040", width=0.25)
        _kilometre_figures(ax, frame, window)
    _lines(ax, frame, window, square, colour=GRID_BLUE, width=line_width)
    text = {"fontsize": fontsize, "fontweight": "bold", "color": GRID_BLUE, "clip_on": False}
    for column in range(gridref.column_count(frame)):
        west, east = frame.x0 + column * square, min(frame.x0 + (column + 1) * square, frame.x0 + frame.width_m)
        if east > x0 and west < x1:
            middle = (max(west, x0) + min(east, x1)) / 2
            letter = gridref.column_letters(column)
            ax.text(middle, -0.012, letter, transform=ax.get_xaxis_transform(), ha="center", va="top", **text)
            ax.text(middle, 1.012, letter, transform=ax.get_xaxis_transform(), ha="center", va="bottom", **text)
    for row in range(gridref.row_count(frame)):
        south, north = frame.y0 + row * square, min(frame.y0 + (row + 1) * square, frame.y0 + frame.height_m)
        if north > y0 and south < y1:
            middle = (max(south, y0) + min(north, y1)) / 2
            ax.text(-0.008, middle, str(row + 1), transform=ax.get_yaxis_transform(), ha="right", va="center", **text)
            ax.text(1.008, middle, str(row + 1), transform=ax.get_yaxis_transform(), ha="left", va="center", **text)


def _kilometre_figures(ax: Axes, frame: gridref.Frame, window: Window) -> None:
    """Each kilometre line's figure inside its square (1–9), along the bottom and left edges: the
    first figure of an easting or northing is read off these. Drawn as markers, one artist per figure,
    because dozens of texts on each of dozens of pages make printing slow."""
    x0, y0, x1, y1 = window
    eastings = [x for x in np.arange(frame.x0, frame.x0 + frame.width_m, 1_000) if x0 < x < x1]
    northings = [y for y in np.arange(frame.y0, frame.y0 + frame.height_m, 1_000) if y0 < y < y1]
    bottom = ax.get_xaxis_transform() + _offset(ax, 0, 4)
    left = ax.get_yaxis_transform() + _offset(ax, 4, 0)
    for figure in range(1, 10):
        xs = [x for x in eastings if round((x - frame.x0) / 1_000) % 10 == figure]
        ys = [y for y in northings if round((y - frame.y0) / 1_000) % 10 == figure]
        style = {"linestyle": "none", "marker": _digit(figure), "markersize": 4.6, "markeredgewidth": 0,
                 "color": "#333333", "zorder": 3}
        ax.plot(xs, [0] * len(xs), transform=bottom, **style)  # type: ignore[arg-type]
        ax.plot([0] * len(ys), ys, transform=left, **style)  # type: ignore[arg-type]


@functools.cache
def _digit(figure: int) -> Path:
    """A figure's outline as a marker, centred on the point; made once, as text layout is slow."""
    outline = TextPath((0, 0), str(figure), size=10)
    box = outline.get_extents()
    return Path(outline.vertices - [(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2], outline.codes)


def _lines(ax: Axes, frame: gridref.Frame, window: Window, step: float, *, colour: str, width: float) -> None:
    """Grid lines every `step` metres from the frame's corner, within the window and the frame."""
    x0, y0, x1, y1 = window
    right, top = frame.x0 + frame.width_m, frame.y0 + frame.height_m
    bottom, upper, left, east = max(y0, frame.y0), min(y1, top), max(x0, frame.x0), min(x1, right)
    segments = [[(x, bottom), (x, upper)] for x in np.arange(frame.x0, right + 1e-6, step) if x0 <= x <= x1]
    segments += [[(left, y), (east, y)] for y in np.arange(frame.y0, top + 1e-6, step) if y0 <= y <= y1]
    ax.add_collection(LineCollection(segments, colors=colour, linewidths=width, zorder=2), autolim=False)


def draw_places(ax: Axes, places: list[Place], *, fontsize: float) -> None:
    """Villages as squares, towns as circles, a hospital as a red cross beside its town; names in italic."""
    for place in places:
        marker, size = ("s", 7) if place.kind == "village" else ("o", 5.5)
        ax.plot(place.x, place.y, marker=marker, markersize=size, color="#222222", markeredgecolor="white",
                markeredgewidth=0.8, zorder=5)
        if place.has_hospital:
            ax.plot(place.x, place.y, marker="P", markersize=size + 1, color=HOSPITAL_RED, markeredgecolor="white",
                    markeredgewidth=0.6, zorder=6, transform=ax.transData + _offset(ax, -9, 0))
        haloed(ax, place.name, (place.x, place.y), (0, -8), ha="center", va="top", fontsize=fontsize,
               fontstyle="italic", color="#222222", zorder=7)


def haloed(ax: Axes, text: str, xy: tuple[float, float], offset: tuple[float, float], **style: object) -> None:
    """`text` beside the point `xy` (`offset` in points), over a white halo; hidden if `xy` is off the axes."""
    for effects in (HALO, None):
        ax.annotate(text, xy, xytext=offset, textcoords="offset points", annotation_clip=True,
                    path_effects=effects, **style)  # type: ignore[arg-type]


def _offset(ax: Axes, dx_points: float, dy_points: float) -> ScaledTranslation:
    return ScaledTranslation(dx_points / 72, dy_points / 72, ax.figure.dpi_scale_trans)


def place_legend() -> list[Line2D]:
    return [Line2D([], [], linestyle="none", marker=marker, markersize=6, color=colour, markeredgecolor="white",
                   label=label) for marker, colour, label in PLACE_SYMBOLS]


def visible(x: float, y: float, window: Window) -> bool:
    x0, y0, x1, y1 = window
    return x0 <= x <= x1 and y0 <= y <= y1
