"""What every route depends on: the app's database and settings, and the documented refusals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from refuge.api.schemas import ErrorOut
from refuge.config import Settings
from refuge.store.database import Database


def database(request: Request) -> Database:
    """The app's database, checked once to hold Refuge's tables at the newest schema (else 503)."""
    state = request.app.state
    if not state.ready:
        state.db.check_ready()
        state.ready = True
    return state.db


def settings(request: Request) -> Settings:
    return request.app.state.settings


Db = Annotated[Database, Depends(database)]

MEANING = {401: "nobody is signed in, or the token is unknown, revoked or expired",
           403: "the signed-in role may not do this",
           404: "a shelter, item, person or defence named does not exist (or is classified above your clearance)",
           409: "the request contradicts the ledger (not enough stock, or an idempotency key reused)",
           422: "a value is malformed or breaks a rule; the detail names the field",
           503: "the database has no Refuge tables or an older schema"}


def refusals(*statuses: int, signed_in: bool = True) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of a route; all share the `{"detail": ...}` shape. Every route that
    needs a signed-in person may answer 401 and 403."""
    always = (401, 403) if signed_in else ()
    return {status: {"model": ErrorOut, "description": MEANING[status]}
            for status in sorted({*statuses, *always, 503})}
