"""Grid references: positions a shinobi can read off a printed map and type back into `--at`.

The scheme
----------
The map frame is cut into 10 km squares from its south-west corner. A square is named by its
column letter, west to east, and its row number, south to north (row 1 is the southern edge, as
northings grow northwards): `A1` is the south-west square. Letters I and O are never used, so they
cannot be mistaken for 1 and 0; the columns run A B C D E F G H J K L M N P …, and a frame wider
than 24 squares goes on AA, AB, … as a spreadsheet does.

After the square come the figures: half of them the easting, half the northing, measured from the
square's south-west corner and truncated, never rounded (as a map reader counts grid lines):

    F4 23       1 km cell      2 km east, 3 km north of F4's corner
    F4 2375     100 m cell     2.3 km east, 7.5 km north   (the default, the size of a terrain cell)
    F4 237758   10 m cell      2.37 km east, 7.58 km north

The figures may be split in two equal groups (`F4 23 75`); letters may be lower case. A reference
names a cell; `parse_gridref` answers the centre of that cell (of the part of it on the map, at a
ragged edge), so formatting a point and parsing the result lands within half a cell of it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Protocol

from refuge.domain.errors import InvalidInput

#: The side of a grid square, in metres.
SQUARE_M = 10_000
#: Column letters: the alphabet without I and O.
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
#: The precisions a reference may give: number of figures -> cell side in metres.
PRECISIONS = {2: 1_000, 4: 100, 6: 10}

_REFERENCE = re.compile(r"^([A-Z]+)(\d+)(?:\s+(\d+)(?:\s+(\d+))?)?$")
_METRES = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?)\s*,\s*([-+]?\d+(?:\.\d*)?)\s*$")


class Frame(Protocol):
    """The rectangle a map covers: its south-west corner and its size, in metres (a Terrain is one)."""

    @property
    def x0(self) -> float: ...
    @property
    def y0(self) -> float: ...
    @property
    def width_m(self) -> float: ...
    @property
    def height_m(self) -> float: ...


@dataclass(frozen=True)
class MapFrame:
    """A frame for a network known only by its size (its origin is then its south-west corner)."""

    width_m: float
    height_m: float
    x0: float = 0.0
    y0: float = 0.0


def column_count(frame: Frame) -> int:
    return max(1, math.ceil(frame.width_m / SQUARE_M))


def row_count(frame: Frame) -> int:
    return max(1, math.ceil(frame.height_m / SQUARE_M))


def column_letters(index: int) -> str:
    """The letters of column `index` (0 is A); after Z comes AA, as in a spreadsheet."""
    letters = ""
    index += 1
    while index:
        index, digit = divmod(index - 1, len(LETTERS))
        letters = LETTERS[digit] + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * len(LETTERS) + LETTERS.index(letter) + 1
    return index - 1


def square_name(column: int, row: int) -> str:
    """`column` and `row` count from 0 at the south-west; rows are printed from 1."""
    return f"{column_letters(column)}{row + 1}"


def format_gridref(x: float, y: float, frame: Frame, figures: int = 4) -> str:
    """The grid reference of the cell holding (x, y): `F4 2375` at the default 100 m precision."""
    if figures not in PRECISIONS:
        raise InvalidInput(f"a grid reference has 2, 4 or 6 figures, not {figures}")
    _check_on_map(x, y, frame)
    east, north = x - frame.x0, y - frame.y0
    column, row = int(east // SQUARE_M), int(north // SQUARE_M)
    cell = PRECISIONS[figures]
    easting = int((east - column * SQUARE_M) // cell)
    northing = int((north - row * SQUARE_M) // cell)
    half = figures // 2
    return f"{square_name(column, row)} {easting:0{half}d}{northing:0{half}d}"


def parse_gridref(text: str, frame: Frame) -> tuple[float, float]:
    """The centre (x, y) in metres of the cell a grid reference names; InvalidInput says what is wrong."""
    letters, row_text, figures = _split(text)
    column, row = _square(letters, row_text, frame, text)
    if len(figures) not in PRECISIONS:
        raise InvalidInput(
            f"grid reference {text.strip()!r} has {len(figures)} figure(s) after the square; "
            "give 2, 4 or 6 (easting then northing, e.g. F4 2375)"
        )
    cell = PRECISIONS[len(figures)]
    half = len(figures) // 2
    west = frame.x0 + column * SQUARE_M + int(figures[:half]) * cell
    south = frame.y0 + row * SQUARE_M + int(figures[half:]) * cell
    east = min(west + cell, frame.x0 + frame.width_m)
    north = min(south + cell, frame.y0 + frame.height_m)
    if east <= west or north <= south:
        raise InvalidInput(f"grid reference {text.strip()!r} is off the map: its square runs past the map's edge")
    return (west + east) / 2, (south + north) / 2


def looks_like_position(text: str) -> bool:
    """Whether the text is written as a position (X,Y in metres, or a square and figures), right or wrong."""
    return bool(_METRES.match(text) or _REFERENCE.match(" ".join(text.strip().upper().split())))


def parse_position(text: str, frame: Frame) -> tuple[float, float]:
    """A position typed by a person: `X,Y` in metres, or a grid reference; either must be on the map."""
    metres = _METRES.match(text)
    if metres:
        x, y = float(metres.group(1)), float(metres.group(2))
        _check_on_map(x, y, frame)
        return x, y
    if "," in text or not re.search(r"[A-Za-z]", text):
        raise InvalidInput(
            f"position {text.strip()!r} is neither X,Y in metres (e.g. 52000,58000) nor a grid reference (e.g. F4 2375)"
        )
    return parse_gridref(text, frame)


def _split(text: str) -> tuple[str, str, str]:
    match = _REFERENCE.match(" ".join(text.strip().upper().split()))
    if match and match.group(3) is None and len(match.group(2)) > 2:
        raise InvalidInput(
            f"grid reference {text.strip()!r}: put a space between the square and the figures, e.g. F4 2375"
        )
    if not match:
        raise InvalidInput(
            f"{text.strip()!r} is not a grid reference: give the square's letter and row, a space, "
            "then the figures, e.g. F4 2375"
        )
    letters, row, first, second = match.groups()
    if second is not None and len(first) != len(second):
        raise InvalidInput(
            f"grid reference {text.strip()!r}: the easting and northing must have as many figures each "
            f"(got {len(first)} and {len(second)})"
        )
    return letters, row, (first or "") + (second or "")


def _square(letters: str, row_text: str, frame: Frame, text: str) -> tuple[int, int]:
    columns, rows = column_count(frame), row_count(frame)
    last = column_letters(columns - 1)
    unknown = sorted(set(letters) - set(LETTERS))
    if unknown:
        raise InvalidInput(
            f"grid reference {text.strip()!r}: square letter {unknown[0]} is not used on the map "
            f"(I and O are skipped); the columns run A–{last}"
        )
    column = column_index(letters)
    if column >= columns:
        raise InvalidInput(f"grid reference {text.strip()!r}: column {letters} is off the map; the columns run A–{last}")
    row = int(row_text) - 1
    if not 0 <= row < rows:
        raise InvalidInput(f"grid reference {text.strip()!r}: row {row_text} is out of range; the rows run 1–{rows}")
    return column, row


def _check_on_map(x: float, y: float, frame: Frame) -> None:
    inside = frame.x0 <= x < frame.x0 + frame.width_m and frame.y0 <= y < frame.y0 + frame.height_m
    if not (math.isfinite(x) and math.isfinite(y) and inside):
        raise InvalidInput(
            f"position ({x:.0f}, {y:.0f}) is off the map, which spans x {frame.x0:.0f}–{frame.x0 + frame.width_m:.0f} "
            f"and y {frame.y0:.0f}–{frame.y0 + frame.height_m:.0f} metres"
        )
