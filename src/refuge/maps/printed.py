"""The printed field map: a PDF of crosses on faded terrain, the reference grid, and whose it is.

What goes on paper is what a captured map would give away, so the holder's copy shows only:
  - a cross and the code of each shelter the caller passes (it filters by the holder's clearance;
    nothing else is ever drawn). Codes, not names: a name ("Cedar Hollow") says what to look for on
    the ground, a code says nothing to someone who has not been briefed;
  - no stock figures and no readiness colours: paper must not say which shelters are full;
  - the holder's name and the print date on every page, so a lost copy can be traced and a stale
    one recognised.
Sheets, scale and tiling are described in maps/sheets.py; the grid in terrain/gridref.py.
"""

from __future__ import annotations

import math
import os
import secrets
from datetime import date, datetime
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from refuge.domain.errors import InvalidInput
from refuge.domain.network import Place, Shelter
from refuge.maps import furniture, layers
from refuge.maps.furniture import INK, Marking
from refuge.maps.labels import place_labels
from refuge.maps.render import checked_output
from refuge.maps.sheets import DEFAULT_SCALE, Plan, Sheet, Window, checked_area, layout, plan
from refuge.terrain import gridref
from refuge.terrain.model import Terrain

#: How far the land colours are blended towards white on paper, so crosses and text stand out.
PAPER_FADE = 0.45
INDEX_FADE = 0.55
FRAME_RED = "#b00000"


def print_field_map(terrain: Terrain, shelters: list[Shelter], places: list[Place], holder_name: str,
                    out_path: str | Path, *, printed_on: date, paper: str = "a4", area: Window | None = None,
                    scale: int | None = None, title: str = "Field map") -> int:
    """Write the holder's field map of `area` (default: the whole map) to a PDF; answer its page count.

    Refused with InvalidInput, before anything is written: a path not ending in .pdf, an unknown
    paper, a scale outside 1:10 000–1:1 000 000, an area that is empty or reaches off the map.
    """
    out_path = checked_output(out_path, (".pdf",))
    holder = " ".join(str(holder_name).split())
    if not holder:
        raise InvalidInput("a field map must name the person it is issued to")
    if not isinstance(printed_on, date):
        raise InvalidInput(f"print date must be a date, not {printed_on!r}")
    printed_on = printed_on.date() if isinstance(printed_on, datetime) else printed_on
    the_plan = plan(checked_area(area, terrain), terrain, str(paper).strip().lower(),
                    DEFAULT_SCALE if scale is None else scale)
    marking = Marking(title, holder, printed_on, the_plan.pages)
    figures = [_index_page(terrain, shelters, places, the_plan, marking)] if the_plan.has_index else []
    figures += [_map_page(terrain, shelters, places, the_plan, sheet, marking) for sheet in the_plan.sheets]
    _write(out_path, figures, marking)
    return the_plan.pages


def _write(out_path: Path, figures: list[Figure], marking: Marking) -> None:
    """All pages or nothing: the PDF is written beside its destination, then moved into place."""
    partial = out_path.with_name(f".{out_path.name}.{secrets.token_hex(6)}.part")
    try:
        metadata = {"Title": f"{marking.title} — issued to {marking.holder}", "Creator": "Refuge", "CreationDate": None}
        # Type 42 fonts keep every word as text: pdftotext (and a test) can find the holder's name.
        with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(partial, metadata=metadata) as pdf:
            for figure in figures:
                pdf.savefig(figure)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)


def _map_page(terrain: Terrain, shelters: list[Shelter], places: list[Place], the_plan: Plan, sheet: Sheet,
              marking: Marking) -> Figure:
    page = the_plan.layout
    figure = furniture.new_page(page)
    ax = _map_axes(figure, page.box_mm, sheet.window)
    layers.draw_terrain(ax, terrain, sheet.window, fade=PAPER_FADE)
    layers.draw_grid(ax, terrain, sheet.window, kilometres=True, fontsize=9)
    here = [place for place in places if layers.visible(place.x, place.y, sheet.window)]
    layers.draw_places(ax, here, fontsize=7)
    crosses = [shelter for shelter in shelters if layers.visible(shelter.x, shelter.y, sheet.window)]
    _crosses(ax, crosses, size=7)
    place_labels(ax, [(s.x, s.y, s.code) for s in crosses], fontsize=7, avoid=[(p.x, p.y) for p in here])
    sheets = f"sheet {sheet.page - the_plan.has_index} of {len(the_plan.sheets)}  ·  " if the_plan.has_index else ""
    furniture.header(figure, page, marking, sheet.page,
                     f"{sheets}squares {_squares(terrain, sheet.window)}  ·  {furniture.scale_text(page.scale)}")
    furniture.footer(figure, page, terrain, fade=PAPER_FADE, scale=page.scale,
                     note=furniture.how_to_read(_example(terrain, sheet.window)), adjoining_to=(the_plan, sheet))
    return figure


def _index_page(terrain: Terrain, shelters: list[Shelter], places: list[Place], the_plan: Plan,
                marking: Marking) -> Figure:
    """Page 1 of a tiled map: the whole area, each sheet's frame numbered with its page."""
    window = _union([sheet.window for sheet in the_plan.sheets])
    wide = window[2] - window[0] >= window[3] - window[1]
    page = layout(the_plan.layout.paper, the_plan.layout.scale, portrait=not wide)
    figure = furniture.new_page(page)
    left, bottom, width, height = page.box_mm
    scale = _round_up(max((window[2] - window[0]) / width, (window[3] - window[1]) / height) * 1000)
    fitted = ((window[2] - window[0]) * 1000 / scale, (window[3] - window[1]) * 1000 / scale)
    ax = _map_axes(figure, (left + (width - fitted[0]) / 2, bottom + (height - fitted[1]) / 2, *fitted), window)
    layers.draw_terrain(ax, terrain, window, fade=INDEX_FADE)
    layers.draw_grid(ax, terrain, window, kilometres=False, fontsize=8, line_width=0.5)
    layers.draw_places(ax, places, fontsize=6)
    _crosses(ax, [s for s in shelters if layers.visible(s.x, s.y, window)], size=4)
    for sheet in the_plan.sheets:
        x0, y0, x1, y1 = sheet.window
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=FRAME_RED, linewidth=1.0, zorder=11))
        layers.haloed(ax, str(sheet.page), the_plan.middle_of_own_part(sheet), (0, 0), fontsize=16, fontweight="bold",
                      color=FRAME_RED, ha="center", va="center", zorder=12)
    sheets = f"{len(the_plan.sheets)} sheets at {furniture.scale_text(the_plan.layout.scale)}"
    furniture.header(figure, page, marking, 1, f"Index of {sheets}: each framed in red with its page number")
    note = ["Index of sheets", f"The red frames are the {sheets}", "that follow; each number is its page.",
            f"Neighbouring sheets overlap by {the_plan.layout.overlap_m / 1000:g} km."]
    furniture.footer(figure, page, terrain, fade=INDEX_FADE, scale=scale, note=note, kilometre_lines=False)
    return figure


def _round_up(scale: float) -> int:
    """`scale` rounded up to two significant figures (1:608 117 -> 1:610 000)."""
    unit = 10 ** max(0, math.floor(math.log10(scale)) - 1)
    return int(math.ceil(scale / unit) * unit)


def _map_axes(figure: Figure, box: tuple[float, float, float, float], window: Window) -> Axes:
    ax = figure.add_axes(furniture.axes_box(figure, *box))
    ax.set_xlim(window[0], window[2])
    ax.set_ylim(window[1], window[3])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(1.0)
    return ax


def _crosses(ax: Axes, shelters: list[Shelter], *, size: float) -> None:
    xs, ys = [s.x for s in shelters], [s.y for s in shelters]
    ax.plot(xs, ys, linestyle="none", marker="x", markersize=size, markeredgewidth=size * 0.5, color="white", zorder=8)
    ax.plot(xs, ys, linestyle="none", marker="x", markersize=size, markeredgewidth=size * 0.25, color=INK, zorder=8)


def _union(windows: list[Window]) -> Window:
    return (min(w[0] for w in windows), min(w[1] for w in windows), max(w[2] for w in windows),
            max(w[3] for w in windows))


def _on_map(terrain: Terrain, window: Window) -> Window:
    return (max(window[0], terrain.x0), max(window[1], terrain.y0),
            min(window[2], terrain.x0 + terrain.width_m) - 1e-6, min(window[3], terrain.y0 + terrain.height_m) - 1e-6)


def _squares(terrain: Terrain, window: Window) -> str:
    x0, y0, x1, y1 = _on_map(terrain, window)
    return f"{gridref.format_gridref(x0, y0, terrain).split()[0]}–{gridref.format_gridref(x1, y1, terrain).split()[0]}"


def _example(terrain: Terrain, window: Window) -> str:
    """A reference to read as an example: 2.3 km east and 7.5 km north in the square at the sheet's middle."""
    x0, y0, x1, y1 = _on_map(terrain, window)
    return f"{gridref.format_gridref((x0 + x1) / 2, (y0 + y1) / 2, terrain).split()[0]} 2375"
