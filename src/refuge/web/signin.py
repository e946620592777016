"""Signing in and out of the web app: the form that opens a session in the `refuge_session` cookie.

The form calls the same `sign_in` service as `POST /api/session`. A refused sign-in shows the message
beside the form and keeps the handle typed (never the password); a good one goes to the page asked
for (`?next=`, a path of this site only).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from refuge.api.auth import clear_session_cookie, set_session_cookie, token_of
from refuge.api.routes import Db, settings
from refuge.config import Settings
from refuge.domain.errors import Unauthenticated
from refuge.services.access import sign_in, sign_out
from refuge.web.pages import PageRoute
from refuge.web.templating import page
from refuge.web.viewer import current_viewer, safe_next

router = APIRouter(route_class=PageRoute)


@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def sign_in_form(request: Request, next: Annotated[str, Query()] = "/") -> Response:  # noqa: A002 - the query's name
    """The sign-in form; someone already signed in goes straight on."""
    if current_viewer(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "signin.html", values={"handle": ""}, error="", next=safe_next(next))


@router.post("/signin", response_class=HTMLResponse, include_in_schema=False)
def sign_in_posted(request: Request, db: Db, config: Annotated[Settings, Depends(settings)],
                   handle: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
                   next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    """Check the handle and password; open the session and go on, or show the form again (401) with the
    message and the handle kept."""
    target = safe_next(next)
    try:
        issued = sign_in(db, handle, password, config.session_hours)
    except Unauthenticated as error:
        return page(request, "signin.html", 401, values={"handle": handle}, error=error.message, next=target,
                    viewer=None)
    answer = RedirectResponse(target, status_code=303)
    set_session_cookie(answer, issued.token, issued.expires_at, secure=request.url.scheme == "https")
    return answer


@router.post("/signout", include_in_schema=False)
def sign_out_posted(request: Request, db: Db) -> Response:
    """End the session of this browser and go back to the sign-in form."""
    token = token_of(request)
    if token is not None:
        sign_out(db, token)
    answer = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(answer)
    return answer
