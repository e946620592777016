"""The desk's map: terrain, shelters coloured by readiness, places, the reference grid; PNG or SVG.

The caller passes only the shelters the viewer may see; this module draws exactly those.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from refuge.domain.errors import InvalidInput
from refuge.domain.network import Place, Shelter
from refuge.domain.readiness import Level
from refuge.maps import layers
from refuge.maps.labels import place_labels
from refuge.terrain.model import Terrain

FORMATS = (".png", ".svg")
READINESS_COLOURS = {Level.GREEN: "#1e9e3a", Level.AMBER: "#f2a900", Level.RED: "#d7191c", None: "#8c8c8c"}
READINESS_LABELS = {Level.GREEN: "ready (green)", Level.AMBER: "needs attention (amber)",
                    Level.RED: "not fit to use (red)", None: "readiness unknown"}
_MAP_WIDTH_IN = 9.0  # inches of map; the legend and margins come on top
_DPI = 150


def render_map(terrain: Terrain, shelters: list[Shelter], readiness: dict[str, Level] | None, places: list[Place],
               out_path: str | Path, *, labels: bool = True, title: str = "Shelters and terrain") -> Path:
    """Draw the map to `out_path`, a .png or .svg file (checked before anything is drawn); answer the path."""
    out_path = checked_output(out_path, FORMATS)
    figure = map_figure(terrain, shelters, readiness, places, labels=labels, title=title)
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text: searchable, and testable
        figure.savefig(out_path, dpi=_DPI)
    return out_path


def map_figure(terrain: Terrain, shelters: list[Shelter], readiness: dict[str, Level] | None, places: list[Place],
               *, labels: bool = True, title: str = "Shelters and terrain") -> Figure:
    """The whole map as a Matplotlib figure: terrain, grid, places, shelters by readiness, legend, scale, north."""
    readiness = readiness or {}
    figure = _figure(terrain)
    ax = figure.axes[0]
    layers.draw_terrain(ax, terrain)
    window = (terrain.x0, terrain.y0, terrain.x0 + terrain.width_m, terrain.y0 + terrain.height_m)
    layers.draw_grid(ax, terrain, window, kilometres=False, fontsize=8, line_width=0.6)
    layers.draw_places(ax, places, fontsize=7)
    _draw_shelters(ax, shelters, readiness, labels, places)
    _scale_bar(ax, terrain.width_m)
    north_arrow(ax, (1.14, 0.06), fontsize=11)  # beside the map, under the legend
    _legend(figure, ax, terrain, {readiness.get(shelter.code) for shelter in shelters})
    ax.set_title(title, fontsize=13, fontweight="bold", pad=18)
    return figure


def checked_output(out_path: str | Path, formats: tuple[str, ...]) -> Path:
    """The output path, refused before anything is drawn if its kind or its folder is wrong."""
    path = Path(out_path)
    if path.suffix.lower() not in formats:
        raise InvalidInput(f"cannot write a map to {path.name!r}: the file name must end in {' or '.join(formats)}")
    if not path.parent.is_dir():
        raise InvalidInput(f"cannot write {path.name!r}: folder {str(path.parent)!r} does not exist")
    return path


def _figure(terrain: Terrain) -> Figure:
    map_height = _MAP_WIDTH_IN * terrain.height_m / terrain.width_m
    left, right, bottom, top, legend = 0.45, 0.35, 0.45, 0.85, 2.1
    figure = Figure(figsize=(left + _MAP_WIDTH_IN + right + legend, bottom + map_height + top), dpi=_DPI)
    width, height = figure.get_size_inches()
    ax = figure.add_axes((left / width, bottom / height, _MAP_WIDTH_IN / width, map_height / height))
    ax.set_xlim(terrain.x0, terrain.x0 + terrain.width_m)
    ax.set_ylim(terrain.y0, terrain.y0 + terrain.height_m)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return figure


def _draw_shelters(ax: Axes, shelters: list[Shelter], readiness: dict[str, Level], labels: bool,
                   places: list[Place]) -> None:
    for shelter in shelters:
        ax.plot(shelter.x, shelter.y, marker="o", markersize=7.5, color=READINESS_COLOURS[readiness.get(shelter.code)],
                markeredgecolor="#111111", markeredgewidth=0.9, zorder=8, gid=f"shelter-{shelter.code}")
    if labels:
        place_labels(ax, [(s.x, s.y, s.code) for s in shelters], fontsize=6.5,
                     avoid=[(place.x, place.y) for place in places])


def _scale_bar(ax: Axes, width_m: float) -> None:
    target = width_m / 6
    magnitude = 10 ** math.floor(math.log10(target))
    length = max(step * magnitude for step in (1, 2, 5) if step * magnitude <= target)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    bar = AnchoredSizeBar(ax.transData, length, label, "lower left", pad=0.5, borderpad=0.8, sep=4,
                          frameon=True, size_vertical=length / 25, color="#111111")
    bar.patch.set_alpha(0.85)
    ax.add_artist(bar)


def north_arrow(ax: Axes, where: tuple[float, float], *, fontsize: float) -> None:
    """An arrow pointing to grid north (the top of the map), with its N, at `where` in axes fractions."""
    x, y = where
    ax.annotate("N", xy=(x, y + 0.07), xytext=(x, y), xycoords="axes fraction", ha="center", va="top",
                fontsize=fontsize, fontweight="bold", zorder=10,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
                arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7", "color": "#111111", "linewidth": 1.6})


def _legend(figure: Figure, ax: Axes, terrain: Terrain, levels: set[Level | None]) -> None:
    shown = [Level.GREEN, Level.AMBER, Level.RED, *([None] if None in levels else [])]
    readiness = [Line2D([], [], linestyle="none", marker="o", markersize=7, color=READINESS_COLOURS[level],
                        markeredgecolor="#111111", label=READINESS_LABELS[level]) for level in shown]
    handles = [*readiness, *layers.place_legend(), *layers.land_legend(terrain)]
    figure.legend(handles=handles, loc="upper left", bbox_to_anchor=(ax.get_position().x1 + 0.03, ax.get_position().y1),
                  fontsize=8, frameon=False, title="Shelters · places · land", title_fontsize=9,
                  alignment="left", handlelength=1.6, labelspacing=0.6)
