"""Every refusal the API makes, mapped to HTTP in one place; each answer is `{"detail": "<message>"}`.

Unauthenticated → 401 (with `WWW-Authenticate: Bearer`), Forbidden → 403, NotFound → 404, InvalidInput
and malformed requests → 422, Conflict → 409, DatabaseNotReady → 503.
Anything else is a defect: its traceback goes to the log and the user reads only "internal error".
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from refuge.domain.errors import (
    Conflict,
    DatabaseNotReady,
    Forbidden,
    InvalidInput,
    NotFound,
    RefugeError,
    Unauthenticated,
)

logger = logging.getLogger("refuge.api")

#: Most specific first: the first family an error belongs to decides its status.
STATUS_OF: list[tuple[type[RefugeError], int]] = [
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (InvalidInput, 422),
    (Conflict, 409),
    (DatabaseNotReady, 503),
]
WHERE = {"body": "field {name!r} of the request body", "query": "query parameter {name!r}",
         "path": "path parameter {name!r}", "header": "header {name!r}", "cookie": "cookie {name!r}"}


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RefugeError, refuge_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_middleware(InternalErrors)


def status_of(error: RefugeError) -> int:
    return next((status for family, status in STATUS_OF if isinstance(error, family)), 422)


async def refuge_error(_request: Request, error: RefugeError) -> JSONResponse:
    status = status_of(error)
    # RFC 9110: a 401 names the scheme that would work.
    headers = {"WWW-Authenticate": 'Bearer realm="refuge"'} if status == 401 else None
    return JSONResponse({"detail": error.message}, status_code=status, headers=headers)


async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    return JSONResponse({"detail": describe(list(error.errors()))}, status_code=422)


def describe(errors: list[dict[str, Any]]) -> str:
    """One sentence naming the first field that is wrong and what is wrong with it."""
    if not errors:
        return "the request is not valid"
    first = errors[0]
    others = {tuple(e["loc"][:2]) for e in errors} - {tuple(first["loc"][:2])}
    more = f" (and {len(others)} more problem{'s' if len(others) > 1 else ''})" if others else ""
    return _sentence(first) + more


def _sentence(error: dict[str, Any]) -> str:
    where, kind = _where(tuple(error["loc"])), error["type"]
    if kind == "json_invalid":
        return f"the request body is not valid JSON: {error.get('ctx', {}).get('error', error['msg'])}"
    if kind == "missing":
        return f"{where} is required"
    if kind == "extra_forbidden":
        return f"{where} is not a field Refuge knows; remove it"
    message = error["msg"][:1].lower() + error["msg"][1:]
    value = error.get("input")
    shown = f", not {value!r}" if isinstance(value, str | int | float | bool) or value is None else ""
    return f"{where}: {message}{shown}"


def _where(loc: tuple[Any, ...]) -> str:
    """`('body', 'quantity', 'decimal')` → "field 'quantity' of the request body" (union tags dropped)."""
    if len(loc) < 2:
        return "the request body" if loc[:1] == ("body",) else "the request"
    return WHERE.get(str(loc[0]), "{name!r}").format(name=str(loc[1]))


class InternalErrors:
    """Turn an unexpected exception into a 500 `{"detail": "internal error"}`, logging its traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            logger.exception("internal error answering %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await JSONResponse({"detail": "internal error"}, status_code=500)(scope, receive, send)
