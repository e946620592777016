"""Parsing and checking of the plain values every request carries: quantities, dates, times, codes."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from refuge.domain.errors import InvalidInput

#: Quantities are exact decimals with at most this many places; more is refused, never rounded.
QUANTITY_PLACES = 3
_CODE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_quantity(value: object, *, field: str = "quantity", allow_zero: bool = False) -> Decimal:
    """A positive (or, for a count, non-negative) exact quantity with at most three decimals."""
    if isinstance(value, bool):
        raise InvalidInput(f"{field} must be a number, not {value!r}")
    try:
        quantity = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{field} must be a number, not {value!r}") from None
    if not quantity.is_finite():
        raise InvalidInput(f"{field} must be a finite number, not {value!r}")
    if quantity < 0 or (quantity == 0 and not allow_zero):
        wanted = "zero or more" if allow_zero else "a positive number"
        raise InvalidInput(f"{field} must be {wanted}, not {value!r}")
    exponent = quantity.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > QUANTITY_PLACES:
        raise InvalidInput(
            f"{field} {value!r} has more than {QUANTITY_PLACES} decimal places; "
            "Refuge keeps quantities exact and will not round them"
        )
    try:
        return quantity.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)).normalize() + 0
    except InvalidOperation:
        # More digits than the decimal context holds: refuse rather than let a raw error escape.
        raise InvalidInput(f"{field} {value!r} is too large") from None


def parse_date(value: object, *, field: str = "date") -> date:
    """An ISO calendar date (2026-11-23); impossible dates such as 2026-02-30 are refused."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{field} {value!r} is not a valid date (expected YYYY-MM-DD)") from None


def parse_datetime(value: object, *, field: str = "time") -> datetime:
    """An ISO date-time in UTC; one without a zone is taken as UTC, a bare date as its midnight."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            raise InvalidInput(
                f"{field} {value!r} is not a valid ISO date-time (expected e.g. 2026-05-01T14:30)"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def check_not_future(moment: datetime, now: datetime, *, field: str = "occurred_at") -> datetime:
    """Refuse a field time later than the moment the system learns of it."""
    if moment > now:
        raise InvalidInput(
            f"{field} {moment.isoformat(timespec='seconds')} is in the future "
            f"(now is {now.isoformat(timespec='seconds')})"
        )
    return moment


def normalise_code(value: object, *, field: str = "shelter code") -> str:
    """Shelter codes are upper-case letters, digits and hyphens, such as LF-017."""
    code = str(value).strip().upper()
    if not _CODE.match(code) or len(code) > 32:
        raise InvalidInput(f"{field} {value!r} is not valid (expected letters, digits and hyphens, e.g. LF-017)")
    return code
