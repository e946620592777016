"""Who is looking at a page: the principal of the session cookie, and what their role lets them open.

Every page depends on `page_viewer` (anyone signed in) or on `page_allowed(permission, ...)` (a role
that includes one of the permissions). Nobody signed in is sent to the sign-in page, which brings them
back to the page they asked for; a role without the permission gets the 403 page. The viewer's
clearance is passed on to the services, which leave out what the viewer is not cleared for.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from fastapi import Request

from refuge.api.auth import optional_principal
from refuge.domain.access import Permission, Principal

#: What a page is for a viewer: the signed-in principal (the name the pages have always used).
Viewer = Principal


class SignInNeeded(Exception):
    """Nobody is signed in: the page answers with a redirect to the sign-in form (see `refuge.web.pages`)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def current_viewer(request: Request) -> Principal | None:
    """Who is signed in, or None; looked up once per request."""
    if not hasattr(request.state, "viewer"):
        request.state.viewer = optional_principal(request)
    return request.state.viewer


def page_viewer(request: Request) -> Principal:
    """The viewer of this request: the principal of its session (or bearer token); nobody signed in is
    sent to /signin?next=<this page>."""
    viewer = current_viewer(request)
    if viewer is None:
        raise SignInNeeded(sign_in_address(_asked_for(request)))
    return viewer


def page_allowed(*permissions: Permission) -> Callable[[Request], Principal]:
    """A dependency: the viewer, if their role includes one of `permissions` (else the 403 page)."""

    def check(request: Request) -> Principal:
        viewer = page_viewer(request)
        if not any(viewer.may(p) for p in permissions):
            viewer.require(permissions[0])
        return viewer

    check.__name__ = "page_allowed_to_" + "_or_".join(p.value.replace("-", "_") for p in permissions)
    return check


def sign_in_address(target: str) -> str:
    """The sign-in page, bringing the viewer back to `target` afterwards."""
    return "/signin" if target in ("", "/") else f"/signin?next={quote(target, safe='/')}"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another site's address)."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


def _asked_for(request: Request) -> str:
    # An HTMX fragment's own address is no page to come back to: use the page it was asked from.
    current = request.headers.get("HX-Current-URL")
    if request.headers.get("HX-Request") and current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    if request.method != "GET":
        return "/"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
