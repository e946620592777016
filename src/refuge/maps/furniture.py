"""The furniture around a printed map: the header (title, holder, print date, page), and the footer's
legend, scale bar, north arrow, notes (how to read a grid reference) and adjoining sheets.

Drawn straight on the page in millimetres from its lower-left corner, without axes of their own:
a tiled map has dozens of pages and Matplotlib axes are slow to make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.transforms import Affine2D, Transform

from refuge.maps import layers
from refuge.maps.sheets import MARGIN_MM, Layout, Plan, Sheet
from refuge.terrain.model import Terrain

INK = "#111111"
GREY = "#333333"
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Marking:
    """What every page says about itself: whose it is and when it was printed."""

    title: str
    holder: str
    printed_on: date
    pages: int


@dataclass(frozen=True)
class Pen:
    """Draws on a page in millimetres, from an origin (the footer's lower-left corner, say)."""

    figure: Figure
    x0: float = 0.0
    y0: float = 0.0

    @property
    def mm(self) -> Transform:
        return Affine2D().scale(1 / MM_PER_INCH).translate(self.x0 / MM_PER_INCH, self.y0 / MM_PER_INCH) + \
            self.figure.dpi_scale_trans

    def text(self, x: float, y: float, text: str, size: float, **style: object) -> None:
        self.figure.text(x, y, text, fontsize=size, transform=self.mm, **{"color": INK, **style})  # type: ignore[arg-type]

    def box(self, x: float, y: float, width: float, height: float, **style: object) -> None:
        self.figure.add_artist(Rectangle((x, y), width, height, transform=self.mm, **style))  # type: ignore[arg-type]

    def symbol(self, x: float, y: float, **style: object) -> None:
        self.figure.add_artist(Line2D([x], [y], linestyle="none", transform=self.mm, **style))  # type: ignore[arg-type]


def scale_text(scale: int) -> str:
    return f"1:{scale:,}".replace(",", " ")


def new_page(page: Layout) -> Figure:
    width, height = page.page_mm
    return Figure(figsize=(width / MM_PER_INCH, height / MM_PER_INCH))


def axes_box(figure: Figure, left: float, bottom: float, width: float, height: float) -> tuple[float, ...]:
    """A box given in millimetres from the page's lower-left corner, in figure fractions."""
    page_width, page_height = figure.get_size_inches() * MM_PER_INCH
    return left / page_width, bottom / page_height, width / page_width, height / page_height


def header(figure: Figure, page: Layout, marking: Marking, number: int, subtitle: str) -> None:
    """Two lines across the top of the page (HEADER_MM high): title and subtitle; holder, date, page."""
    width, height = page.page_mm
    pen, right, top = Pen(figure), width - MARGIN_MM, height - MARGIN_MM
    pen.text(MARGIN_MM, top - 4, marking.title, 12, fontweight="bold", va="center")
    pen.text(MARGIN_MM, top - 9.5, subtitle, 7.5, va="center", color=GREY)
    pen.text(right, top - 4, f"Issued to {marking.holder}", 10, fontweight="bold", ha="right", va="center")
    pen.text(right, top - 9.5, f"Printed {marking.printed_on.isoformat()}  ·  page {number} of {marking.pages}",
             7.5, ha="right", va="center", color=GREY)


def footer(figure: Figure, page: Layout, terrain: Terrain, *, fade: float, scale: int, note: list[str],
           adjoining_to: tuple[Plan, Sheet] | None = None, kilometre_lines: bool = True) -> None:
    """One row on a landscape page; on a portrait page the legend takes a row of its own above the rest."""
    pen, right = Pen(figure, MARGIN_MM, MARGIN_MM), page.page_mm[0] - 2 * MARGIN_MM
    legend(pen, terrain, top=page.footer_mm - 1.5, fade=fade, rows=2 if page.portrait else 5)
    left = 0.0 if page.portrait else right - 165
    scale_bar(pen, left, scale, 52, kilometre_lines)
    north_arrow(pen, left + 70)
    notes(pen, left + 80, note)
    if adjoining_to is not None and len(adjoining_to[0].sheets) > 1:
        adjoining(pen, right, *adjoining_to)


def legend(pen: Pen, terrain: Terrain, *, top: float, fade: float, rows: int, column_mm: float = 23) -> None:
    """The shelter cross, the place symbols and the land classes, in columns of `rows`."""
    entries: list[tuple[dict[str, object] | None, str]] = [
        ({"marker": "x", "markersize": 5.5, "markeredgewidth": 1.6, "color": INK}, "shelter (code)"),
        *[({"marker": marker, "markersize": 5, "color": colour, "markeredgecolor": "white"}, name)
          for marker, colour, name in layers.PLACE_SYMBOLS],
        *[(None, land.name) for land in layers.land_classes_present(terrain)],
    ]
    colours = {land.name: layers.faded(land.color, fade) for land in terrain.table}
    for index, (style, label) in enumerate(entries):
        x, y = (index // rows) * column_mm, top - 2 - (index % rows) * 3.9
        if style is None:
            pen.box(x, y - 1.1, 4, 2.4, facecolor=colours[label], edgecolor="#555555", linewidth=0.4)
        else:
            pen.symbol(x + 2, y, **style)
        pen.text(x + 5.5, y, label, 6.5, va="center")


def scale_bar(pen: Pen, left: float, scale: int, width_mm: float, kilometre_lines: bool) -> None:
    """A bar of alternate black and white kilometres, as long as fits in `width_mm`, and the scale."""
    mm_per_km = 1_000_000 / scale
    step = next(km for km in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if km * mm_per_km >= 8)
    count = max(1, min(10, int(width_mm // (step * mm_per_km))))
    for i in range(count):
        pen.box(left + i * step * mm_per_km, 13, step * mm_per_km, 1.6, linewidth=0.6, edgecolor=INK,
                facecolor=INK if i % 2 == 0 else "white")
    for i in range(count + 1):
        pen.text(left + i * step * mm_per_km, 15.4, f"{i * step:g}", 6, ha="center", va="bottom")
    pen.text(left + count * step * mm_per_km + 2, 13.8, "km", 6.5, va="center")
    pen.text(left, 9.5, f"Scale {scale_text(scale)}", 8, fontweight="bold", va="center")
    lines = "Blue lines: 10 km grid squares." + ("\nFaint lines: every kilometre." if kilometre_lines else "")
    pen.text(left, 7.2, lines, 5.8, va="top", color=GREY, linespacing=1.3)


def north_arrow(pen: Pen, x: float) -> None:
    pen.figure.add_artist(FancyArrowPatch((x, 9.5), (x, 21), transform=pen.mm, color=INK, linewidth=1.4,
                                          arrowstyle="-|>,head_width=3,head_length=6"))
    pen.text(x, 6.8, "N", 10, fontweight="bold", ha="center", va="center")
    pen.text(x, 2.6, "grid north", 5, ha="center", va="center", color=GREY)


def how_to_read(example: str) -> list[str]:
    """How to read a 4-figure reference, with one from this sheet as the example."""
    square, figures = example.split()
    east, north = f"{figures[0]}.{figures[1]}", f"{figures[2]}.{figures[3]}"
    return ["Grid reference",
            "Square: letter (top, bottom) and row (sides).",
            "Then km and tenths east of the square's",
            "south-west corner, then km and tenths north:",
            f"{example} = {east} km east, {north} km north in {square}."]


def notes(pen: Pen, left: float, lines: list[str]) -> None:
    """A bold first line and small print under it."""
    pen.text(left, 22.5, lines[0], 7, fontweight="bold", va="top")
    pen.text(left, 18.8, "\n".join(lines[1:]), 5.8, va="top", color=GREY, linespacing=1.35)


def adjoining(pen: Pen, right: float, the_plan: Plan, sheet: Sheet) -> None:
    """A 3 × 3 diagram of this sheet (shaded) and the page numbers of the sheets around it."""
    cell, top = 5.6, 20.5
    left = right - 3 * cell
    pen.text(left + 1.5 * cell, top + 1.2, "Adjoining pages", 5.8, ha="center", va="bottom")
    for dy, dx in np.ndindex(3, 3):
        x, y = left + dx * cell, top - (dy + 1) * cell
        neighbour = the_plan.at(sheet.row + dy - 1, sheet.column + dx - 1)
        pen.box(x, y, cell, cell, facecolor="#cccccc" if (dx, dy) == (1, 1) else "white", edgecolor=INK,
                linewidth=0.5)
        if neighbour is not None:
            pen.text(x + cell / 2, y + cell / 2, str(neighbour.page), 6, ha="center", va="center",
                     fontweight="bold" if neighbour is sheet else "normal")
