"""A volunteer's calendar: the days they can walk maintenance runs.

A calendar is the weekdays a person is usually free (a teacher: the weekend), with dates set apart:
dates away (leave, a mission, an exam week) and dates free outside the usual weekdays (the summer
break). A date away is never free; an extra free date is free whatever its weekday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from refuge.domain.errors import InvalidInput
from refuge.domain.values import parse_date

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = frozenset(range(7))
#: The longest span one `FROM..TO` may name: a year and a day, so a slip of the year is caught.
LONGEST_SPAN_DAYS = 366


@dataclass(frozen=True)
class Calendar:
    """Weekdays usually free (0 = Monday), dates away and extra free dates."""

    weekdays: frozenset[int] = EVERY_DAY
    away: frozenset[date] = frozenset()
    available: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "away", frozenset(self.away))
        object.__setattr__(self, "available", frozenset(self.available))
        if not self.weekdays <= EVERY_DAY:
            raise InvalidInput(f"weekdays must be between 0 (Monday) and 6 (Sunday), not {sorted(self.weekdays)}")
        both = self.away & self.available
        if both:
            raise InvalidInput(f"{min(both)} cannot be both away and available")

    def free_on(self, day: date) -> bool:
        """Whether the person can walk on `day`."""
        return day not in self.away and (day.weekday() in self.weekdays or day in self.available)

    def free_days(self, start: date, days: int) -> frozenset[int]:
        """The offsets 0..days-1 from `start` of the days the person is free."""
        return frozenset(d for d in range(days) if self.free_on(start + timedelta(days=d)))

    def changed(self, weekdays: frozenset[int] | None = None, away: Iterable[date] = (),
                available: Iterable[date] = (), clear: Iterable[date] = ()) -> Calendar:
        """This calendar with new weekdays (if given), dates cleared of any mark, then dates marked away or
        available (a date marked now loses its earlier mark). The same date marked both ways is refused."""
        away, available, clear = set(away), set(available), set(clear)
        both = away & available
        if both:
            raise InvalidInput(f"{min(both)} cannot be both away and available")
        keep_away = (self.away - clear - available) | away
        keep_available = (self.available - clear - away) | available
        return Calendar(self.weekdays if weekdays is None else weekdays, frozenset(keep_away),
                        frozenset(keep_available))

    def describe(self) -> str:
        """In words: 'mon-fri; away 2026-07-01..2026-07-07; also free 2026-07-12'."""
        parts = [weekdays_text(self.weekdays)]
        if self.away:
            parts.append("away " + ", ".join(spans_text(self.away)))
        if self.available:
            parts.append("also free " + ", ".join(spans_text(self.available)))
        return "; ".join(parts)


def parse_weekdays(text: str) -> frozenset[int]:
    """'mon-fri', 'sat,sun', 'tue thu', 'every day' or 'none' as weekday numbers (0 = Monday)."""
    words = text.strip().lower()
    if words in ("every day", "everyday", "all", "daily"):
        return EVERY_DAY
    if words in ("none", "no day", ""):
        return frozenset()
    found: set[int] = set()
    for part in words.replace(",", " ").split():
        first, sep, last = part.partition("-")
        a, b = _weekday(first, text), _weekday(last, text) if sep else None
        if b is None:
            found.add(a)
        else:  # a span may wrap over the weekend: fri-mon
            found.update((a + k) % 7 for k in range((b - a) % 7 + 1))
    return frozenset(found)


def _weekday(word: str, text: str) -> int:
    # Two letters tell the days apart (mo, tu, we, th, fr, sa, su); any longer start of the name will do.
    for number, name in enumerate(DAY_NAMES):
        if len(word) >= 2 and name.startswith(word):
            return number
    raise InvalidInput(f"weekdays {text!r}: {word!r} is not a weekday (write e.g. mon-fri or sat,sun)")


def parse_dates(text: str, field: str = "date") -> list[date]:
    """'2026-07-01' or a span '2026-07-01..2026-07-14' (both ends included) as the dates it names."""
    first, sep, last = text.strip().partition("..")
    start = parse_date(first, field=field)
    if not sep:
        return [start]
    end = parse_date(last, field=field)
    if end < start:
        raise InvalidInput(f"{field} {text!r}: the span ends before it starts")
    if (end - start).days >= LONGEST_SPAN_DAYS:
        raise InvalidInput(f"{field} {text!r}: a span may be at most {LONGEST_SPAN_DAYS} days")
    return [start + timedelta(days=d) for d in range((end - start).days + 1)]


def weekdays_text(weekdays: frozenset[int]) -> str:
    """'every day', 'no weekday', 'mon-fri', 'sat,sun' or 'mon,wed,fri'."""
    if weekdays == EVERY_DAY:
        return "every day"
    if not weekdays:
        return "no weekday"
    days = sorted(weekdays)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
    return ",".join(WEEKDAYS[d] for d in days)


def spans_text(dates: Iterable[date]) -> list[str]:
    """Dates as runs of consecutive days: ['2026-07-01..2026-07-07', '2026-07-12']."""
    spans: list[list[date]] = []
    for day in sorted(dates):
        if spans and day - spans[-1][1] == timedelta(days=1):
            spans[-1][1] = day
        else:
            spans.append([day, day])
    return [f"{a}" if a == b else f"{a}..{b}" for a, b in spans]
