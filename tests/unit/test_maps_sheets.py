"""Cutting a printed map into sheets: fixed scale, overlap, reading order, refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.domain.errors import InvalidInput
from refuge.maps.sheets import DEFAULT_SCALE, checked_area, layout, plan
from refuge.terrain.gridref import MapFrame

LAND_OF_FIRE = MapFrame(120_000, 90_000)


def test_an_a4_sheet_at_one_to_a_hundred_thousand_shows_about_27_by_15_km() -> None:
    width, height = layout("a4", DEFAULT_SCALE).ground_m
    assert 26_000 < width < 28_000 and 14_000 < height < 16_000
    assert layout("a4", DEFAULT_SCALE).overlap_m == 1_000


def test_a3_shows_about_twice_the_ground_of_a4() -> None:
    a4, a3 = layout("a4", DEFAULT_SCALE).ground_m, layout("a3", DEFAULT_SCALE).ground_m
    assert 1.8 < (a3[0] * a3[1]) / (a4[0] * a4[1]) < 2.6


@st.composite
def areas(draw: st.DrawFn) -> tuple[float, float, float, float]:
    x0 = draw(st.floats(0, 119_000))
    y0 = draw(st.floats(0, 89_000))
    return x0, y0, draw(st.floats(x0 + 100, 120_000)), draw(st.floats(y0 + 100, 90_000))


@given(areas(), st.sampled_from(["a4", "a3"]), st.sampled_from([25_000, 50_000, 100_000, 250_000]))
def test_the_sheets_cover_the_area_and_neighbours_overlap(area, paper, scale) -> None:
    the_plan = plan(area, LAND_OF_FIRE, paper, scale)
    windows = {(s.row, s.column): s.window for s in the_plan.sheets}
    rows, columns = max(r for r, _ in windows) + 1, max(c for _, c in windows) + 1
    assert len(windows) == rows * columns
    overlap, tolerance = the_plan.layout.overlap_m - 1e-6, 1e-6
    assert min(w[0] for w in windows.values()) <= area[0] + tolerance
    assert max(w[2] for w in windows.values()) >= area[2] - tolerance
    assert min(w[1] for w in windows.values()) <= area[1] + tolerance
    assert max(w[3] for w in windows.values()) >= area[3] - tolerance
    for (row, column), window in windows.items():
        if column + 1 < columns:
            assert window[2] - windows[(row, column + 1)][0] >= overlap
        if row + 1 < rows:  # row 0 is the north
            assert window[1] - windows[(row + 1, column)][3] <= -overlap


def test_sheets_are_numbered_in_reading_order_after_the_index_page() -> None:
    the_plan = plan(checked_area(None, LAND_OF_FIRE), LAND_OF_FIRE, "a3", DEFAULT_SCALE)
    assert the_plan.has_index and the_plan.pages == len(the_plan.sheets) + 1
    assert [s.page for s in the_plan.sheets] == list(range(2, len(the_plan.sheets) + 2))
    first, second = the_plan.sheets[0], the_plan.sheets[1]
    assert first.window[3] == 90_000 and first.window[0] == 0  # north-west first
    assert second.window[0] > first.window[0] and second.window[1] == first.window[1]


def test_a_small_area_is_one_sheet_centred_on_it_and_kept_on_the_map() -> None:
    the_plan = plan((50_000, 50_000, 54_000, 52_000), LAND_OF_FIRE, "a4", DEFAULT_SCALE)
    (sheet,) = the_plan.sheets
    assert not the_plan.has_index and the_plan.pages == 1 and sheet.page == 1
    x0, y0, x1, y1 = sheet.window
    assert (x0 + x1) / 2 == pytest.approx(52_000) and (y0 + y1) / 2 == pytest.approx(51_000)
    corner = plan((0, 0, 2_000, 2_000), LAND_OF_FIRE, "a4", DEFAULT_SCALE).sheets[0]
    assert corner.window[:2] == (0, 0)


def test_a_tall_area_is_printed_on_portrait_sheets_when_that_needs_fewer() -> None:
    the_plan = plan((10_000, 0, 25_000, 90_000), LAND_OF_FIRE, "a4", DEFAULT_SCALE)
    assert the_plan.layout.portrait
    assert len({s.column for s in the_plan.sheets}) == 1


@pytest.mark.parametrize(
    ("area", "complaint"),
    [
        ((-1, 0, 10_000, 10_000), "reaches off the map, which spans x 0–120000 and y 0–90000"),
        ((0, 0, 10_000, 90_001), "reaches off the map"),
        ((200_000, 0, 210_000, 10), "reaches off the map"),
        ((10_000, 0, 5_000, 10_000), "X0 < X1 and Y0 < Y1"),
        ((0, 5, 10, 5), "X0 < X1 and Y0 < Y1"),
        ((0, 0, 10), "four numbers"),
        (("west", 0, 10, 10), "four numbers"),
    ],
)
def test_an_area_off_the_map_or_empty_is_refused(area, complaint) -> None:
    with pytest.raises(InvalidInput, match=complaint):
        checked_area(area, LAND_OF_FIRE)


def test_unknown_paper_and_absurd_scales_are_refused() -> None:
    with pytest.raises(InvalidInput, match="paper 'letter' is not one of: a4, a3"):
        layout("letter", DEFAULT_SCALE)
    for scale in (0, -100_000, 5_000_000, 1.5e5, True):
        with pytest.raises(InvalidInput, match="print scale must be a whole number"):
            layout("a4", scale)


def test_the_index_numbers_sheets_apart_even_when_they_overlap_by_much() -> None:
    the_plan = plan((40_000, 50_000, 65_000, 65_000), LAND_OF_FIRE, "a4", DEFAULT_SCALE)
    north, south = the_plan.sheets
    assert north.window[1] - south.window[1] < 1_000  # 15 km of area on 14.8 km sheets
    assert the_plan.middle_of_own_part(north)[1] - the_plan.middle_of_own_part(south)[1] > 5_000
