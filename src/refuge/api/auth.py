"""Who is asking: the principal of a request, from `Authorization: Bearer <token>` or the session cookie.

The JSON routes depend on `signed_in` (401 without a valid token) and on `allowed(permission)` (403
when the role does not include the work). Pages use `optional_principal`, which never refuses, and
`set_session_cookie` / `clear_session_cookie` around the `sign_in` / `sign_out` services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPBearer

from refuge.api.deps import database
from refuge.domain.access import Permission, Principal
from refuge.domain.errors import Unauthenticated
from refuge.services.access import authenticate

#: The browser session's cookie: HTTP-only, SameSite=Lax, sent over HTTPS only when the app is.
SESSION_COOKIE = "refuge_session"
SIGN_IN_HINT = ("sign in first: send `Authorization: Bearer <token>` (a token from `refuge token create`) "
                "or sign in with POST /api/session")

# Declared for the OpenAPI document (the docs' Authorize button); the token is read by `token_of`.
_bearer = HTTPBearer(auto_error=False, description="an API token from `refuge token create PERSON`")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="the session a sign-in opened")


def token_of(request: Request) -> str | None:
    """The bearer token of the request, else its session cookie, else None."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE) or None


def optional_principal(request: Request) -> Principal | None:
    """The signed-in principal, or None for an anonymous request or a token no longer valid (for pages,
    which show the sign-in form instead of refusing)."""
    token = token_of(request)
    if token is None:
        return None
    try:
        return authenticate(database(request), token)
    except Unauthenticated:
        return None


def signed_in(request: Request, _header: Annotated[object, Depends(_bearer)] = None,
              _session: Annotated[object, Depends(_cookie)] = None) -> Principal:
    """The principal of the request; 401 when nobody is signed in or the token is not valid."""
    db = database(request)  # a database that is not set up is told first (503), to anyone
    token = token_of(request)
    if token is None:
        raise Unauthenticated(SIGN_IN_HINT)
    principal = authenticate(db, token)
    request.state.principal = principal
    return principal


def allowed(permission: Permission) -> Callable[[Principal], Principal]:
    """A dependency: the principal, if their role includes `permission` (else 403)."""

    def check(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
        principal.require(permission)
        return principal

    check.__name__ = f"allowed_to_{permission.value.replace('-', '_')}"
    return check


def set_session_cookie(response: Response, token: str, expires_at: datetime | None, secure: bool = False) -> None:
    """Put a session's token in the browser (the only place it is kept)."""
    max_age = None if expires_at is None else max(0, int((expires_at - datetime.now(expires_at.tzinfo)).total_seconds()))
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


Me = Annotated[Principal, Depends(signed_in)]
Reader = Annotated[Principal, Depends(allowed(Permission.READ_SHELTERS))]
Navigating = Annotated[Principal, Depends(allowed(Permission.NAVIGATE))]
RosterReader = Annotated[Principal, Depends(allowed(Permission.READ_PEOPLE))]
StockKeeper = Annotated[Principal, Depends(allowed(Permission.RECORD_STOCK))]
LedgerManager = Annotated[Principal, Depends(allowed(Permission.MANAGE_LEDGER))]
Planner = Annotated[Principal, Depends(allowed(Permission.PLAN))]
RunWalker = Annotated[Principal, Depends(allowed(Permission.WALK_RUNS))]
MissionReader = Annotated[Principal, Depends(allowed(Permission.READ_MISSIONS))]
Reporter = Annotated[Principal, Depends(allowed(Permission.REPORT))]
DeskOfficer = Annotated[Principal, Depends(allowed(Permission.RUN_DESK))]
