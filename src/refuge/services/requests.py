"""Turning what a person typed (CLI) or sent (API) into a movement request, with the same checks and messages."""

from __future__ import annotations

from refuge.domain.errors import InvalidInput
from refuge.domain.ledger import MovementRequest, RequestKind
from refuge.domain.network import parse_choice
from refuge.domain.values import parse_date, parse_datetime, parse_quantity


def movement_request(
    kind: str,
    shelter: str,
    sku: str,
    quantity: object,
    *,
    to_shelter: str | None = None,
    expires: str | None = None,
    at: str | None = None,
    by: str | None = None,
    note: str | None = None,
    source: str | None = None,
    key: str | None = None,
) -> MovementRequest:
    """A MovementRequest from raw values; raises InvalidInput naming the first bad field."""
    request_kind = RequestKind(parse_choice(RequestKind, kind, "movement kind"))
    if request_kind is RequestKind.TRANSFER and not to_shelter:
        raise InvalidInput("a transfer needs the shelter to send the stock to")
    return MovementRequest(
        kind=request_kind,
        shelter=shelter.strip().upper(),
        sku=sku.strip().upper(),
        quantity=parse_quantity(quantity, allow_zero=request_kind is RequestKind.COUNT),
        occurred_at=parse_datetime(at, field="occurred_at") if at else None,
        by=by.strip() if by else None,
        note=(note or "").strip(),
        source=(source or "").strip(),
        key=key.strip() if key and key.strip() else None,
        expires_on=parse_date(expires, field="expiry date") if expires else None,
        to_shelter=to_shelter.strip().upper() if to_shelter else None,
    )
