"""The FastAPI application: the JSON API over Refuge's services, with its OpenAPI docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from refuge import __version__
from refuge.api.errors import register_error_handlers
from refuge.api.field import router as field_router
from refuge.api.forecast import router as forecast_router
from refuge.api.routes import router
from refuge.config import Settings
from refuge.services.navigation import Navigator
from refuge.store.database import Database

DESCRIPTION = """\
Refuge keeps a network of hidden emergency shelters stocked, defended and findable.

This API reads the register (shelters, the catalogue, the roster, defences), the stock ledger and
readiness, and records movements and defence tests. Quantities are exact decimals with at most three
places; days are `YYYY-MM-DD` and times ISO 8601 in UTC. Every refusal answers
`{"detail": "<one sentence>"}`: 404 for something unknown, 409 for a conflict with the ledger, 422
for a malformed value, 503 when the database is not set up. A refused request writes nothing.
"""


def create_app(db: Database | None = None, settings: Settings | None = None) -> FastAPI:
    """The API over `db`, or over the database named by the settings (`REFUGE_DATABASE_URL`)."""
    settings = settings or Settings()
    owned = db is None
    database = db or Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            database.dispose()

    app = FastAPI(title="Refuge", description=DESCRIPTION, version=__version__, lifespan=lifespan)
    app.state.db, app.state.settings, app.state.ready = database, settings, False
    register_error_handlers(app)
    app.state.navigator = Navigator(database)
    app.include_router(router, prefix="/api")
    app.include_router(field_router, prefix="/api")
    app.include_router(forecast_router, prefix="/api")
    app.add_api_route("/", to_docs, include_in_schema=False)
    return app


def to_docs() -> RedirectResponse:
    # Until the web pages exist, the interactive docs are the front door.
    return RedirectResponse("/docs")
