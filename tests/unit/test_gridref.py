"""Grid references: what a shinobi reads off the paper map and types back into `--at`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.domain.errors import InvalidInput
from refuge.terrain.gridref import (
    PRECISIONS,
    MapFrame,
    column_index,
    column_letters,
    format_gridref,
    parse_gridref,
    parse_position,
)

LAND_OF_FIRE = MapFrame(120_000, 90_000)


@st.composite
def frames_and_points(draw: st.DrawFn) -> tuple[MapFrame, float, float]:
    """A frame of any size and origin (ragged edges included) and a point on it."""
    frame = MapFrame(
        width_m=draw(st.floats(50, 400_000)),
        height_m=draw(st.floats(50, 400_000)),
        x0=draw(st.floats(-1e6, 1e6)),
        y0=draw(st.floats(-1e6, 1e6)),
    )
    x = draw(st.floats(frame.x0, frame.x0 + frame.width_m, exclude_max=True))
    y = draw(st.floats(frame.y0, frame.y0 + frame.height_m, exclude_max=True))
    return frame, x, y


@given(frames_and_points(), st.sampled_from(sorted(PRECISIONS)))
def test_any_point_formatted_and_parsed_lands_within_half_a_cell_of_itself(case, figures) -> None:
    frame, x, y = case
    text = format_gridref(x, y, frame, figures)
    parsed_x, parsed_y = parse_gridref(text, frame)
    half = PRECISIONS[figures] / 2 + 1e-6
    assert abs(parsed_x - x) <= half and abs(parsed_y - y) <= half, text


@given(st.integers(0, 20_000))
def test_column_letters_read_back_to_their_column(index) -> None:
    assert column_index(column_letters(index)) == index


def test_a_reference_names_the_square_then_the_easting_and_northing_within_it() -> None:
    assert format_gridref(52_345, 37_560, LAND_OF_FIRE) == "F4 2375"
    assert parse_gridref("F4 2375", LAND_OF_FIRE) == (52_350, 37_550)


def test_rows_count_from_the_south_and_columns_from_the_west() -> None:
    assert format_gridref(0, 0, LAND_OF_FIRE) == "A1 0000"
    assert format_gridref(119_999, 89_999, LAND_OF_FIRE) == "M9 9999"


def test_letters_i_and_o_are_skipped_so_they_are_never_read_as_one_and_zero() -> None:
    assert [column_letters(i) for i in range(10)] == list("ABCDEFGHJK")
    assert column_letters(23) == "Z" and column_letters(24) == "AA"


def test_two_and_six_figures_give_a_kilometre_and_ten_metres() -> None:
    assert format_gridref(52_345, 37_567, LAND_OF_FIRE, figures=2) == "F4 27"
    assert parse_gridref("F4 27", LAND_OF_FIRE) == (52_500, 37_500)
    assert format_gridref(52_345, 37_567, LAND_OF_FIRE, figures=6) == "F4 234756"
    assert parse_gridref("F4 234756", LAND_OF_FIRE) == (52_345, 37_565)


def test_lower_case_and_figures_split_in_two_groups_are_accepted() -> None:
    assert parse_gridref("  f4 23 75 ", LAND_OF_FIRE) == parse_gridref("F4 2375", LAND_OF_FIRE)


def test_a_frame_with_its_origin_elsewhere_counts_squares_from_its_own_corner() -> None:
    frame = MapFrame(30_000, 20_000, x0=500_000, y0=4_000_000)
    assert format_gridref(512_345, 4_017_567, frame) == "B2 2375"
    assert parse_gridref("B2 2375", frame) == (512_350, 4_017_550)


def test_a_cell_cut_by_the_map_edge_answers_the_middle_of_its_part_on_the_map() -> None:
    frame = MapFrame(25_050, 20_000)
    assert parse_gridref("C1 5000", frame) == (25_025, 50)


def test_a_position_is_either_metres_or_a_grid_reference() -> None:
    assert parse_position("52000,58000", LAND_OF_FIRE) == (52_000, 58_000)
    assert parse_position(" 52000.5 , 58000 ", LAND_OF_FIRE) == (52_000.5, 58_000)
    assert parse_position("F4 2375", LAND_OF_FIRE) == (52_350, 37_550)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("I3 2375", "square letter I is not used"),
        ("O3 2375", "square letter O is not used"),
        ("N1 2375", "column N is off the map; the columns run A–M"),
        ("A10 2375", "row 10 is out of range; the rows run 1–9"),
        ("A0 2375", "row 0 is out of range"),
        ("F4 237", "3 figure\\(s\\) after the square; give 2, 4 or 6"),
        ("F4 23757512", "8 figure\\(s\\)"),
        ("F4", "0 figure\\(s\\)"),
        ("F4 23 7", "as many figures each"),
        ("F42375", "put a space between the square and the figures"),
        ("4F 2375", "not a grid reference"),
        ("F4 23-75", "not a grid reference"),
    ],
)
def test_a_malformed_grid_reference_is_refused_naming_the_problem(text, complaint) -> None:
    with pytest.raises(InvalidInput, match=complaint):
        parse_gridref(text, LAND_OF_FIRE)


def test_a_reference_past_a_ragged_map_edge_is_off_the_map() -> None:
    with pytest.raises(InvalidInput, match="off the map"):
        parse_gridref("C1 5100", MapFrame(25_050, 20_000))


@pytest.mark.parametrize("text", ["120000,5", "-1,5", "5,90000"])
def test_a_position_in_metres_off_the_map_is_refused_with_the_map_span(text) -> None:
    with pytest.raises(InvalidInput, match="off the map, which spans x 0–120000 and y 0–90000"):
        parse_position(text, LAND_OF_FIRE)


@pytest.mark.parametrize("text", ["52000 58000", "1,2,3", "", "north of the village"])
def test_a_position_that_is_neither_form_is_refused(text) -> None:
    with pytest.raises(InvalidInput, match="not a grid reference|neither X,Y"):
        parse_position(text, LAND_OF_FIRE)


def test_formatting_a_point_off_the_map_or_at_an_unknown_precision_is_refused() -> None:
    with pytest.raises(InvalidInput, match="off the map"):
        format_gridref(120_000, 0, LAND_OF_FIRE)
    with pytest.raises(InvalidInput, match="2, 4 or 6 figures"):
        format_gridref(0, 0, LAND_OF_FIRE, figures=8)
