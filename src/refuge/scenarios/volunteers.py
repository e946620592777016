"""The Land of Fire's maintenance volunteers and the days they can walk runs.

Shinobi volunteer around their duties, so each has a week of their own and some dates away, counted
from the day the demo's history ends: Iruka teaches and walks at weekends, and every day of the summer
break; Izumo and Kotetsu keep the village gate on alternate days and leave together on an escort
mission in three weeks; Tenten's weapons stall keeps her in the village on Mondays and a fair on three
days next week; Yamato works the week and is away on a mission for two weeks from the fourth; Ebisu
tutors on weekdays, with one free weekday next week.
"""

from __future__ import annotations

from datetime import date, timedelta

from refuge.domain.calendar import Calendar, parse_weekdays


def volunteer_calendars(end: date) -> dict[str, Calendar]:
    """The volunteers' calendars, by handle, for a history ending on `end`."""
    return {
        "iruka": Calendar(parse_weekdays("sat,sun"), available=frozenset(_summer_break(end))),
        "izumo": Calendar(parse_weekdays("mon,wed,fri,sat"), away=_days(end, 15, 21)),
        "kotetsu": Calendar(parse_weekdays("tue,thu,sat,sun"), away=_days(end, 15, 21)),
        "tenten": Calendar(parse_weekdays("tue-sun"), away=_days(end, 8, 10)),
        "yamato": Calendar(parse_weekdays("mon-fri"), away=_days(end, 22, 35)),
        "ebisu": Calendar(parse_weekdays("sat,sun"), available=frozenset({_weekday_from(end, 5)})),
    }


def _days(end: date, first: int, last: int) -> frozenset[date]:
    return frozenset(end + timedelta(days=d) for d in range(first, last + 1))


def _weekday_from(end: date, offset: int) -> date:
    """The first day from `offset` days on that is not a Saturday or Sunday."""
    day = end + timedelta(days=offset)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _summer_break(end: date) -> list[date]:
    """July and August of this year, or of the next once this year's break is over."""
    year = end.year if end < date(end.year, 9, 1) else end.year + 1
    first, last = date(year, 7, 1), date(year, 8, 31)
    return [first + timedelta(days=d) for d in range((last - first).days + 1) if first + timedelta(days=d) > end]
