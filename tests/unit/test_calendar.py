"""A volunteer's calendar: usual weekdays, dates away, extra free dates, and how they are written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from refuge.domain.calendar import Calendar, parse_dates, parse_weekdays, spans_text, weekdays_text
from refuge.domain.errors import InvalidInput

MONDAY = date(2026, 6, 1)


@pytest.mark.parametrize("text, days", [
    ("mon-fri", {0, 1, 2, 3, 4}), ("sat,sun", {5, 6}), ("Tue Thu", {1, 3}), ("fri-mon", {4, 5, 6, 0}),
    ("monday-wednesday", {0, 1, 2}), ("every day", set(range(7))), ("none", set()),
])
def test_weekdays_are_read_from_the_words_people_write(text: str, days: set[int]) -> None:
    assert parse_weekdays(text) == frozenset(days)


@pytest.mark.parametrize("text", ["xyz", "m", "mon-funday", "1,2"])
def test_a_word_that_is_not_a_weekday_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="is not a weekday"):
        parse_weekdays(text)


def test_weekdays_are_written_back_as_a_span_where_they_follow_each_other() -> None:
    assert [weekdays_text(parse_weekdays(t)) for t in ("mon-fri", "sat,sun", "mon,wed,fri", "every day", "none")] == \
        ["mon-fri", "sat,sun", "mon,wed,fri", "every day", "no weekday"]


def test_a_span_of_dates_names_every_day_from_its_first_to_its_last() -> None:
    assert parse_dates("2026-06-01..2026-06-03") == [MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)]
    assert parse_dates("2026-06-01") == [MONDAY]
    assert spans_text([MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=5)]) == \
        ["2026-06-01..2026-06-02", "2026-06-06"]


@pytest.mark.parametrize("text, message", [
    ("2026-06-03..2026-06-01", "ends before it starts"), ("2026-02-30", "not a valid date"),
    ("2026-01-01..2027-06-01", "at most 366 days"),
])
def test_bad_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_dates(text, "away")


def test_a_date_away_is_never_free_and_an_extra_date_always_is() -> None:
    weekends = Calendar(parse_weekdays("sat,sun"), away=frozenset({MONDAY + timedelta(days=5)}),
                        available=frozenset({MONDAY + timedelta(days=2)}))
    assert sorted(weekends.free_days(MONDAY, 14)) == [2, 6, 12, 13]
    assert not weekends.free_on(MONDAY + timedelta(days=5)) and weekends.free_on(MONDAY + timedelta(days=2))


def test_marking_a_date_replaces_its_earlier_mark_and_clearing_removes_it() -> None:
    start = Calendar(parse_weekdays("mon-fri"), away=frozenset({MONDAY}))
    assert start.changed(available=[MONDAY]).available == {MONDAY} and not start.changed(available=[MONDAY]).away
    assert start.changed(clear=[MONDAY]) == Calendar(parse_weekdays("mon-fri"))
    assert start.changed(weekdays=frozenset({5})).weekdays == {5} and start.changed(weekdays=frozenset({5})).away
    assert start.describe() == "mon-fri; away 2026-06-01"


def test_the_same_date_both_away_and_available_is_refused() -> None:
    with pytest.raises(InvalidInput, match="both away and available"):
        Calendar().changed(away=[MONDAY], available=[MONDAY])
    with pytest.raises(InvalidInput, match="both away and available"):
        Calendar(away=frozenset({MONDAY}), available=frozenset({MONDAY}))
