"""Jinja2 for the pages: the templates, their filters, and the vendored scripts every page needs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from refuge.domain.access import Permission, Principal
from refuge.domain.errors import RefugeError
from refuge.web.viewer import current_viewer

HERE = Path(__file__).parent
STATIC = HERE / "static"
VENDOR = STATIC / "vendor"
#: What `make vendor` copies from npm; without them the map and the forms cannot work.
VENDORED = ("leaflet.js", "leaflet.css", "htmx.min.js")
MISSING_VENDOR = ("the web app's Leaflet and htmx files are missing from {folder}: run `make vendor` "
                  "(it fetches the pinned versions with npm at build time)")

templates = Jinja2Templates(directory=str(HERE / "templates"))

#: The navigation bar: (path, label, the permissions that open the page: any one of them).
NAVIGATION = [("/", "Dashboard", (Permission.READ_SHELTERS,)), ("/network", "Network", (Permission.READ_SHELTERS,)),
              ("/field", "Field", (Permission.NAVIGATE,)), ("/plans", "Plans", (Permission.PLAN, Permission.WALK_RUNS)),
              ("/desk", "Mission desk", (Permission.RUN_DESK,)), ("/people", "People", (Permission.READ_PEOPLE,))]


def navigation(viewer: Principal | None) -> list[tuple[str, str]]:
    """The pages the viewer's role may open: (path, label); none for nobody."""
    if viewer is None:
        return []
    return [(href, label) for href, label, needs in NAVIGATION if any(viewer.may(p) for p in needs)]


def missing_vendor_files() -> list[str]:
    """The vendored files that are not there (none after `make vendor`)."""
    return [name for name in VENDORED if not (VENDOR / name).is_file()]


def check_vendored() -> None:
    """Refuse to serve pages without Leaflet and htmx, with a message that says how to get them."""
    if missing_vendor_files():
        raise VendorMissing(MISSING_VENDOR.format(folder=VENDOR))


class VendorMissing(RefugeError):
    """The build step that vendors Leaflet and htmx has not run."""


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a full page or a fragment with the viewer (None on the sign-in page), what their role may
    do (`may`) and their navigation in its context."""
    check_vendored()
    viewer = context.setdefault("viewer", current_viewer(request))
    context.update(request=request, navigation=navigation(viewer), path=request.url.path,
                   may=lambda name: viewer is not None and viewer.may(Permission(name)))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def quantity(value: object) -> str:
    """A quantity without trailing zeros: 12, 2.5, 0.125."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def when(value: datetime | date | None, empty: str = "—") -> str:
    """A day, or a time to the minute in UTC."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def minutes(seconds: float) -> str:
    """A duration for a person: 45 min, 2 h 05 min."""
    total = round(seconds / 60)
    return f"{total} min" if total < 60 else f"{total // 60} h {total % 60:02d} min"


templates.env.filters.update(quantity=quantity, when=when, minutes=minutes)
