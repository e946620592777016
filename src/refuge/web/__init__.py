"""The web app: server-rendered pages (Jinja2 + HTMX) and the map (Leaflet), beside the JSON API.

`mount(app)` adds the pages and the static files to the FastAPI app. Leaflet and htmx are vendored at
build time (`make vendor`); without them the pages refuse with a message saying so.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def mount(app: FastAPI) -> None:
    """Serve the pages at / (and the sign-in form at /signin) and their assets at /static."""
    from refuge.web import desk, field, mapview, network, plans, shelter, signin
    from refuge.web.templating import STATIC

    for module in (signin, network, mapview, shelter, field, plans, desk):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
