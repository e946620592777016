"""Who is looking at a page: the one place the web pages learn the viewer's name, role and clearance.

Until sign-in lands, every page is seen by the Hokage's office: a fixed admin viewer cleared for
everything (the demo's `tsunade`). Sign-in replaces `page_viewer` with the principal of the session
cookie (`refuge_session`, see `refuge.api.auth`); nothing else in the web package has to change,
because every page asks `page_viewer` and passes the viewer's clearance (or handle, to the services
that take `as_person`) on to the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request


@dataclass(frozen=True)
class Viewer:
    """The person a page is for: what they are called, what they may do, what they may know of."""

    handle: str
    name: str
    role: str
    clearance: int


#: To be replaced by the session's principal: the office sees the whole network.
OFFICE = Viewer(handle="tsunade", name="Tsunade", role="admin", clearance=5)


def page_viewer(request: Request) -> Viewer:
    """The viewer of this request. A stub: always the office (admin, clearance 5) until sign-in replaces
    it with the principal of the `refuge_session` cookie."""
    return OFFICE
