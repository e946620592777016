"""How a printed field map is cut into sheets: paper, print scale, the map box on the page, tiling.

Every sheet is printed at one fixed scale, 1:100 000 unless asked otherwise, so that 1 mm on paper
is 100 m on the ground (one terrain cell) and a 10 km grid square is 10 cm: a shinobi measures
distance with a ruler and reads a 4-figure grid reference by eye. An A4 sheet shows about
27 km × 15 km of ground, an A3 sheet about 40 km × 24 km. An area larger than one sheet is tiled
into rows and columns of sheets that overlap by 1 cm of paper (1 km at 1:100 000), in reading order
from the north-west; sheets are landscape, or portrait when that needs fewer of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from refuge.domain.errors import InvalidInput
from refuge.terrain.gridref import Frame

Window = tuple[float, float, float, float]  # x0, y0, x1, y1 in metres

#: Paper sizes, long side first, in millimetres.
PAPERS = {"a4": (297.0, 210.0), "a3": (420.0, 297.0)}
DEFAULT_SCALE = 100_000
#: Print scales accepted: 1:10 000 (a large-scale sheet of a valley) to 1:1 000 000 (a whole province).
SCALES = range(10_000, 1_000_001)
OVERLAP_MM = 10.0
MARGIN_MM = 7.0  # the printer's unprintable edge and then some
HEADER_MM = 11.0  # title, holder, print date, page number
GRID_BAND_MM = 6.0  # grid letters and numbers around the map box
#: Legend, scale bar, north arrow, how to read a reference, adjoining sheets: one row across a
#: landscape page, two rows (the legend above the rest) on a portrait one.
FOOTER_MM = {False: 25.0, True: 38.0}


@dataclass(frozen=True)
class Layout:
    """One page: its size and the map box on it, in millimetres from the page's lower-left corner."""

    paper: str
    page_mm: tuple[float, float]
    box_mm: tuple[float, float, float, float]  # left, bottom, width, height
    scale: int

    @property
    def portrait(self) -> bool:
        return self.page_mm[1] > self.page_mm[0]

    @property
    def footer_mm(self) -> float:
        return FOOTER_MM[self.portrait]

    @property
    def ground_m(self) -> tuple[float, float]:
        """Metres of ground the map box shows, east-west and north-south."""
        return self.box_mm[2] * self.scale / 1000, self.box_mm[3] * self.scale / 1000

    @property
    def overlap_m(self) -> float:
        return OVERLAP_MM * self.scale / 1000


@dataclass(frozen=True)
class Sheet:
    page: int  # its page in the PDF (the index, when there is one, is page 1)
    row: int  # 0 is the northern row of sheets
    column: int  # 0 is the western column
    window: Window


@dataclass(frozen=True)
class Plan:
    layout: Layout
    area: Window
    sheets: tuple[Sheet, ...]

    @property
    def has_index(self) -> bool:
        return len(self.sheets) > 1

    @property
    def pages(self) -> int:
        return len(self.sheets) + self.has_index

    def at(self, row: int, column: int) -> Sheet | None:
        return next((s for s in self.sheets if (s.row, s.column) == (row, column)), None)

    def middle_of_own_part(self, sheet: Sheet) -> tuple[float, float]:
        """The middle of the part of a sheet that is its own, each overlap split halfway with the
        neighbour: where the index writes its number, apart from the neighbours' even when sheets
        overlap by much."""
        x0, y0, x1, y1 = sheet.window
        west, east = self.at(sheet.row, sheet.column - 1), self.at(sheet.row, sheet.column + 1)
        south, north = self.at(sheet.row + 1, sheet.column), self.at(sheet.row - 1, sheet.column)
        x0 = (x0 + west.window[2]) / 2 if west else x0
        x1 = (x1 + east.window[0]) / 2 if east else x1
        y0 = (y0 + south.window[3]) / 2 if south else y0
        y1 = (y1 + north.window[1]) / 2 if north else y1
        return (x0 + x1) / 2, (y0 + y1) / 2


def layout(paper: str, scale: int, *, portrait: bool = False) -> Layout:
    if paper not in PAPERS:
        raise InvalidInput(f"paper {paper!r} is not one of: {', '.join(PAPERS)}")
    if isinstance(scale, bool) or not isinstance(scale, int) or scale not in SCALES:
        raise InvalidInput(f"print scale must be a whole number from {SCALES.start} to {SCALES.stop - 1} (1:N), not {scale!r}")
    long, short = PAPERS[paper]
    width, height = (short, long) if portrait else (long, short)
    footer = FOOTER_MM[portrait]
    box = (MARGIN_MM + GRID_BAND_MM, MARGIN_MM + footer + GRID_BAND_MM,
           width - 2 * (MARGIN_MM + GRID_BAND_MM), height - 2 * MARGIN_MM - HEADER_MM - footer - 2 * GRID_BAND_MM)
    return Layout(paper, (width, height), box, scale)


def checked_area(area: Window | None, frame: Frame) -> Window:
    """The area to print: the whole map by default; refused if it is empty or reaches off the map."""
    east, north = frame.x0 + frame.width_m, frame.y0 + frame.height_m
    if area is None:
        return frame.x0, frame.y0, east, north
    try:
        x0, y0, x1, y1 = (float(value) for value in area)
    except (TypeError, ValueError):
        raise InvalidInput(f"area {_shown(area)} must be four numbers X0,Y0,X1,Y1 in metres") from None
    if not all(math.isfinite(value) for value in (x0, y0, x1, y1)) or x1 <= x0 or y1 <= y0:
        raise InvalidInput(f"area {_shown(area)} must be X0,Y0,X1,Y1 in metres with X0 < X1 and Y0 < Y1")
    if x0 < frame.x0 or y0 < frame.y0 or x1 > east or y1 > north:
        raise InvalidInput(
            f"area {_shown(area)} reaches off the map, which spans x {frame.x0:.0f}–{east:.0f} "
            f"and y {frame.y0:.0f}–{north:.0f} metres"
        )
    return x0, y0, x1, y1


def plan(area: Window, frame: Frame, paper: str, scale: int) -> Plan:
    """The sheets that cover `area` at `scale`, landscape or portrait, whichever needs fewer."""
    landscape = _plan(area, frame, layout(paper, scale))
    portrait = _plan(area, frame, layout(paper, scale, portrait=True))
    return portrait if len(portrait.sheets) < len(landscape.sheets) else landscape


def _plan(area: Window, frame: Frame, page: Layout) -> Plan:
    width, height = page.ground_m
    easts = _starts(area[0], area[2], width, page.overlap_m, frame.x0, frame.x0 + frame.width_m)
    norths = _starts(area[1], area[3], height, page.overlap_m, frame.y0, frame.y0 + frame.height_m)[::-1]
    first = 2 if len(easts) * len(norths) > 1 else 1
    sheets = [
        Sheet(first + row * len(easts) + column, row, column, (x, y, x + width, y + height))
        for row, y in enumerate(norths) for column, x in enumerate(easts)
    ]
    return Plan(page, area, tuple(sheets))


def _starts(low: float, high: float, length: float, overlap: float, edge_low: float, edge_high: float) -> list[float]:
    """Where the sheets along one axis begin: evenly spread, overlapping by at least `overlap`."""
    span = high - low
    if span <= length:
        start = low - (length - span) / 2
        if edge_high - edge_low >= length:  # keep a lone sheet on the map when the map is big enough
            start = min(max(start, edge_low), edge_high - length)
        return [start]
    count = math.ceil((span - length) / (length - overlap)) + 1
    step = (span - length) / (count - 1)
    return [low + i * step for i in range(count)]


def _shown(area: object) -> str:
    try:
        return ",".join(f"{float(value):g}" for value in area)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return repr(area)
