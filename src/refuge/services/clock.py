"""Days and the ends of days, in UTC, the one time zone the ledger keeps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone


def end_of(day: date) -> datetime:
    """The first moment after `day`: what occurred before it had occurred by the end of that day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.utc)
