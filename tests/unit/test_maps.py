"""Maps: the desk's rendered map and the holder's printed field map, on a small synthetic terrain.

The PDF is checked as a reader gets it: turned into PNG pages with pdftoppm and into text with
pdftotext (Debian's poppler-utils).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgb
from PIL import Image

from refuge.domain.errors import InvalidInput
from refuge.domain.network import Place, Shelter
from refuge.domain.readiness import Level
from refuge.maps import print_field_map, render_map
from refuge.maps.render import READINESS_COLOURS, map_figure
from refuge.terrain.gridref import parse_gridref
from refuge.terrain.model import LandClass, Terrain

PRINTED_ON = date(2026, 7, 14)
HOLDER = "Iruka Umino"


def synthetic_terrain() -> Terrain:
    """30 km by 20 km at 100 m: grassland, a forest in the west, a lake with an island, a road."""
    classes = np.zeros((200, 300), dtype=np.uint8)
    classes[:, :80] = 1
    rows, cols = np.ogrid[:200, :300]
    classes[(rows - 100) ** 2 + (cols - 150) ** 2 < 30**2] = 2
    classes[(rows - 100) ** 2 + (cols - 150) ** 2 < 5**2] = 0
    classes[150, :] = 3
    table = (LandClass(0, "grassland", "#d5e8a4"), LandClass(1, "forest", "#5f9e4f"),
             LandClass(2, "lake", "#6fa8dc", water=True), LandClass(3, "road", "#8b5a2b"))
    return Terrain(classes, 0.0, 0.0, 100.0, table)


TERRAIN = synthetic_terrain()
SHELTERS = [
    Shelter("SY-001", "Cedar Hollow", 5_000, 5_000),
    Shelter("SY-002", "Falls Lookout", 25_000, 15_000, clearance=2),
    Shelter("SY-003", "Island Hut", 15_000, 10_000),
    Shelter("SY-004", "Sleeping Dragon", 12_000, 4_000, clearance=5),
]
CLEARED = [shelter for shelter in SHELTERS if shelter.clearance <= 2]
PLACES = [Place("Leaf Village", "village", 8_000, 12_000, is_base=True),
          Place("Tanzaku Town", "town", 22_000, 6_000, has_hospital=True)]


@pytest.fixture(scope="session")
def poppler() -> None:
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("pdftoppm and pdftotext (poppler-utils) are required in CI")
    pytest.skip("pdftoppm/pdftotext missing (apt-get install poppler-utils) and CI is unset")


def png_pages(pdf: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))


def page_text(pdf: Path, page: int) -> str:
    result = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                            capture_output=True, text=True)
    return result.stdout


@pytest.fixture(scope="module")
def tiled(tmp_path_factory: pytest.TempPathFactory, poppler: None) -> tuple[Path, int]:
    """The whole synthetic map at 1:50 000 on A4: too big for one sheet."""
    pdf = tmp_path_factory.mktemp("tiled") / "field-map.pdf"
    pages = print_field_map(TERRAIN, CLEARED, PLACES, HOLDER, pdf, printed_on=PRINTED_ON, scale=50_000)
    return pdf, pages


# --- the rendered map ---------------------------------------------------------------------------


def test_the_rendered_png_is_a_landscape_picture_of_the_map(tmp_path: Path) -> None:
    out = render_map(TERRAIN, SHELTERS, {"SY-001": Level.GREEN}, PLACES, tmp_path / "map.png")
    with Image.open(out) as image:
        width, height = image.size
    assert 1_200 <= width <= 3_000 and 700 <= height < width


def test_the_rendered_svg_names_every_shelter_it_was_given_and_no_other(tmp_path: Path) -> None:
    out = render_map(TERRAIN, CLEARED, None, PLACES, tmp_path / "map.svg")
    svg = out.read_text()
    assert all(f">{shelter.code}<" in svg for shelter in CLEARED)
    assert "SY-004" not in svg and "Sleeping Dragon" not in svg


def test_shelters_are_coloured_by_readiness_and_grey_when_it_is_unknown() -> None:
    readiness = {"SY-001": Level.GREEN, "SY-002": Level.AMBER, "SY-003": Level.RED}
    figure = map_figure(TERRAIN, SHELTERS, readiness, PLACES)
    markers = {line.get_gid(): to_hex(line.get_color()) for line in figure.axes[0].lines if line.get_gid()}
    assert markers == {f"shelter-{code}": colour for code, colour in [
        ("SY-001", READINESS_COLOURS[Level.GREEN]), ("SY-002", READINESS_COLOURS[Level.AMBER]),
        ("SY-003", READINESS_COLOURS[Level.RED]), ("SY-004", READINESS_COLOURS[None])]}


@pytest.mark.parametrize("name", ["map.jpg", "map", "missing-folder/map.png"])
def test_a_map_to_an_unknown_kind_of_file_or_missing_folder_is_refused_and_nothing_written(tmp_path, name) -> None:
    with pytest.raises(InvalidInput, match="cannot write"):
        render_map(TERRAIN, SHELTERS, None, PLACES, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


# --- the printed field map ----------------------------------------------------------------------


def test_a_small_area_prints_on_one_a4_landscape_page_marked_with_holder_and_date(tmp_path, poppler) -> None:
    pdf = tmp_path / "one.pdf"
    pages = print_field_map(TERRAIN, CLEARED, PLACES, HOLDER, pdf, printed_on=PRINTED_ON,
                            area=(4_000, 4_000, 16_000, 12_000))
    (png,) = png_pages(pdf)
    assert pages == 1
    with Image.open(png) as image:
        assert image.size[0] / image.size[1] == pytest.approx(297 / 210, rel=0.01)
    text = page_text(pdf, 1)
    assert f"Issued to {HOLDER}" in text and "Printed 2026-07-14" in text and "1:100 000" in text
    assert all(shelter.code in text for shelter in CLEARED)


def test_a_large_area_is_tiled_with_an_index_first_and_every_page_names_holder_and_date(tiled) -> None:
    pdf, pages = tiled
    assert pages > 2 and len(png_pages(pdf)) == pages
    assert "Index of" in page_text(pdf, 1)
    for page in range(1, pages + 1):
        text = page_text(pdf, page)
        assert f"Issued to {HOLDER}" in text and "Printed 2026-07-14" in text and f"page {page} of {pages}" in text


def test_each_cleared_shelter_is_on_some_sheet_and_no_other_shelter_on_any(tiled) -> None:
    pdf, pages = tiled
    text = "".join(page_text(pdf, page) for page in range(1, pages + 1))
    assert all(shelter.code in text for shelter in CLEARED)
    assert "SY-004" not in text
    assert not any(shelter.name in text for shelter in SHELTERS)  # codes only: names say what to look for


def test_the_squares_a_sheet_names_are_grid_references_the_parser_accepts(tiled) -> None:
    pdf, pages = tiled
    for page in range(2, pages + 1):
        first, last = re.search(r"squares (\w+)–(\w+)", page_text(pdf, page)).groups()
        for square in (first, last):
            x, y = parse_gridref(f"{square} 5050", TERRAIN)
            assert TERRAIN.contains(x, y)


def test_paper_carries_no_readiness_colours(tiled) -> None:
    pdf, _ = tiled
    readiness = {tuple(round(255 * c) for c in to_rgb(READINESS_COLOURS[level])) for level in Level}
    for png in png_pages(pdf):
        with Image.open(png) as image:
            colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}
        assert not colours & readiness, png.name


@pytest.mark.parametrize(
    ("name", "options", "complaint"),
    [
        ("map.pdf", {"paper": "letter"}, "paper 'letter' is not one of: a4, a3"),
        ("map.pdf", {"area": (20_000, 10_000, 40_000, 19_000)}, "reaches off the map"),
        ("map.pdf", {"area": (5_000, 5_000, 1_000, 9_000)}, "X0 < X1"),
        ("map.pdf", {"scale": 0}, "print scale"),
        ("map.png", {}, "must end in .pdf"),
    ],
)
def test_a_print_with_bad_options_is_refused_and_nothing_written(tmp_path, name, options, complaint) -> None:
    with pytest.raises(InvalidInput, match=complaint):
        print_field_map(TERRAIN, CLEARED, PLACES, HOLDER, tmp_path / name, printed_on=PRINTED_ON, **options)
    assert list(tmp_path.iterdir()) == []


def test_a_field_map_must_be_issued_to_someone(tmp_path) -> None:
    with pytest.raises(InvalidInput, match="must name the person"):
        print_field_map(TERRAIN, CLEARED, PLACES, "  ", tmp_path / "map.pdf", printed_on=PRINTED_ON)
