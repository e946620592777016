"""Parsing of the plain values every request carries: quantities, dates, times and codes."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from refuge.domain.errors import InvalidInput, RefugeError
from refuge.domain.values import check_not_future, normalise_code, parse_date, parse_datetime, parse_quantity

UTC = timezone.utc


# --- parse_quantity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("5", Decimal("5")),
        (" 2.5 ", Decimal("2.5")),
        (7, Decimal("7")),
        (0.25, Decimal("0.25")),
        (Decimal("1.125"), Decimal("1.125")),
        ("1.500", Decimal("1.5")),
        ("1E+2", Decimal("100")),
    ],
)
def test_a_positive_quantity_is_parsed_to_its_exact_decimal(given, expected):
    assert parse_quantity(given) == expected


def test_a_quantity_written_with_an_exponent_comes_back_in_plain_digits():
    assert str(parse_quantity("1E+2")) == "100"


def test_trailing_zeros_beyond_three_places_are_not_counted_as_extra_decimals():
    assert parse_quantity("0.1000") == Decimal("0.1")


def test_zero_is_refused_when_a_positive_quantity_is_required():
    with pytest.raises(InvalidInput, match="quantity must be a positive number, not '0'"):
        parse_quantity("0")


def test_zero_is_accepted_when_the_field_allows_it():
    assert parse_quantity("0", allow_zero=True) == Decimal(0)


def test_a_negative_quantity_is_refused_even_when_zero_is_allowed():
    with pytest.raises(InvalidInput, match="counted must be zero or more, not '-1'"):
        parse_quantity("-1", field="counted", allow_zero=True)


@pytest.mark.parametrize("given", ["1.0001", "0.0005", Decimal("2.1234"), 1.2345])
def test_more_than_three_decimal_places_is_refused_not_rounded(given):
    with pytest.raises(InvalidInput, match="more than 3 decimal places.*will not round"):
        parse_quantity(given)


def test_exactly_three_decimal_places_is_kept_exactly():
    assert parse_quantity("0.001") == Decimal("0.001")


@pytest.mark.parametrize("given", ["nan", "NaN", "inf", "-Infinity", float("nan"), float("inf"), Decimal("NaN")])
def test_nan_and_infinity_are_refused_as_not_finite(given):
    with pytest.raises(InvalidInput, match="must be a finite number"):
        parse_quantity(given)


@pytest.mark.parametrize("given", ["lots", "", "1,5", None, "5 kg"])
def test_text_that_is_not_a_number_is_refused(given):
    with pytest.raises(InvalidInput, match="quantity must be a number"):
        parse_quantity(given)


@pytest.mark.parametrize("given", [True, False])
def test_a_boolean_is_refused_as_a_quantity(given):
    with pytest.raises(InvalidInput, match=f"quantity must be a number, not {given}"):
        parse_quantity(given)


def test_an_absurdly_large_quantity_is_refused_as_invalid_input_not_a_raw_decimal_error():
    with pytest.raises(InvalidInput, match="quantity '1e30' is too large"):
        parse_quantity("1e30")


@pytest.mark.parametrize("given", ["abc", "-3", "0", "1.2345", "inf", "1e30"])
def test_every_quantity_refusal_names_the_field(given):
    with pytest.raises(InvalidInput) as refused:
        parse_quantity(given, field="rations carried")
    assert str(refused.value).startswith("rations carried ")


def test_a_quantity_refusal_is_a_refuge_error_with_a_message():
    with pytest.raises(RefugeError) as refused:
        parse_quantity("abc")
    assert refused.value.message == "quantity must be a number, not 'abc'"


# --- parse_date -------------------------------------------------------------------------------


def test_an_iso_date_is_parsed():
    assert parse_date("2026-11-23") == date(2026, 11, 23)


def test_surrounding_spaces_around_a_date_are_ignored():
    assert parse_date("  2026-01-05 ") == date(2026, 1, 5)


def test_a_date_object_is_returned_as_it_is():
    assert parse_date(date(2026, 3, 1)) == date(2026, 3, 1)


def test_a_datetime_given_as_a_date_keeps_only_its_day():
    assert parse_date(datetime(2026, 3, 1, 23, 59, tzinfo=UTC)) == date(2026, 3, 1)


@pytest.mark.parametrize("given", ["2026-02-30", "2026-13-01", "2025-02-29"])
def test_an_impossible_calendar_date_is_refused(given):
    with pytest.raises(InvalidInput, match=f"date '{given}' is not a valid date"):
        parse_date(given)


def test_a_leap_day_in_a_leap_year_is_accepted():
    assert parse_date("2028-02-29") == date(2028, 2, 29)


@pytest.mark.parametrize("given", ["tomorrow", "23/11/2026", ""])
def test_a_date_in_another_format_is_refused_naming_the_field(given):
    with pytest.raises(InvalidInput, match=r"expires_on .* is not a valid date \(expected YYYY-MM-DD\)"):
        parse_date(given, field="expires_on")


# --- parse_datetime ---------------------------------------------------------------------------


def test_a_date_time_without_a_zone_is_taken_as_utc():
    assert parse_datetime("2026-05-01T14:30") == datetime(2026, 5, 1, 14, 30, tzinfo=UTC)


def test_a_z_suffix_means_utc():
    assert parse_datetime("2026-05-01T14:30:15Z") == datetime(2026, 5, 1, 14, 30, 15, tzinfo=UTC)


def test_an_offset_is_converted_to_utc():
    moment = parse_datetime("2026-05-01T14:30+02:00")
    assert moment.tzinfo == UTC
    assert (moment.hour, moment.minute) == (12, 30)


def test_a_negative_offset_that_crosses_midnight_moves_the_day_forward():
    assert parse_datetime("2026-05-01T22:00-05:00") == datetime(2026, 5, 2, 3, 0, tzinfo=UTC)


def test_a_bare_date_is_taken_as_its_midnight_in_utc():
    assert parse_datetime("2026-05-01") == datetime(2026, 5, 1, tzinfo=UTC)


def test_a_naive_datetime_object_is_taken_as_utc():
    assert parse_datetime(datetime(2026, 5, 1, 8, 0)) == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def test_an_aware_datetime_object_is_converted_to_utc():
    tokyo = timezone(timedelta(hours=9))
    moment = parse_datetime(datetime(2026, 5, 1, 8, 0, tzinfo=tokyo))
    assert moment == datetime(2026, 4, 30, 23, 0, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize("given", ["yesterday at noon", "2026-05-01T25:00", "2026-02-30T10:00", ""])
def test_garbage_is_refused_as_a_date_time_naming_the_field(given):
    with pytest.raises(InvalidInput, match=r"occurred_at .* is not a valid ISO date-time"):
        parse_datetime(given, field="occurred_at")


# --- check_not_future -------------------------------------------------------------------------


NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_a_moment_in_the_past_is_returned_unchanged():
    earlier = NOW - timedelta(hours=3)
    assert check_not_future(earlier, NOW) == earlier


def test_the_present_moment_itself_is_not_in_the_future():
    assert check_not_future(NOW, NOW) == NOW


def test_a_moment_one_second_ahead_is_refused_with_both_times():
    with pytest.raises(InvalidInput) as refused:
        check_not_future(NOW + timedelta(seconds=1), NOW, field="tested_at")
    assert str(refused.value) == (
        "tested_at 2026-05-01T12:00:01+00:00 is in the future (now is 2026-05-01T12:00:00+00:00)"
    )


# --- normalise_code ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [("LF-017", "LF-017"), ("lf-017", "LF-017"), ("  kh-3 ", "KH-3"), ("A", "A"), ("AB-1-C2", "AB-1-C2")],
)
def test_a_code_is_upper_cased_and_trimmed(given, expected):
    assert normalise_code(given) == expected


@pytest.mark.parametrize("given", ["", "17", "-LF", "LF-", "LF--017", "LF 017", "LF_017", "ŁF-1"])
def test_a_code_that_is_not_letters_digits_and_single_hyphens_is_refused(given):
    with pytest.raises(InvalidInput, match=r"shelter code .* is not valid \(expected letters, digits and hyphens"):
        normalise_code(given)


def test_a_code_of_thirty_two_characters_is_accepted():
    assert normalise_code("A" * 32) == "A" * 32


def test_a_code_longer_than_thirty_two_characters_is_refused():
    with pytest.raises(InvalidInput):
        normalise_code("A" * 33)


def test_a_code_refusal_names_the_field_it_was_given():
    with pytest.raises(InvalidInput, match="^sku 'rice kg' is not valid"):
        normalise_code("rice kg", field="sku")
