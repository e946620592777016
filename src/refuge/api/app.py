"""The FastAPI application: the JSON API over Refuge's services, with its OpenAPI docs at /docs."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import Depends, FastAPI

from refuge import __version__
from refuge.api.auth import signed_in
from refuge.api.errors import register_error_handlers
from refuge.api.field import router as field_router
from refuge.api.forecast import router as forecast_router
from refuge.api.missions import router as missions_router
from refuge.api.plans import router as plans_router
from refuge.api.routes import router
from refuge.api.session import router as session_router
from refuge.config import Settings
from refuge.domain.errors import RefugeError
from refuge.services.missions import detect_overdue
from refuge.services.navigation import Navigator
from refuge.store.database import Database
from refuge.web import mount as mount_web

logger = logging.getLogger("refuge.api")

DESCRIPTION = """\
Refuge keeps a network of hidden emergency shelters stocked, defended and findable.

Every route but sign-in needs someone signed in: send `Authorization: Bearer <token>` (a token from
`refuge token create PERSON`) or the `refuge_session` cookie that `POST /api/session` sets. The role
decides what you may do (403 otherwise); your clearance decides what exists for you: a shelter or
mission classified above it is absent from every answer, and asking for it answers 404.

This API reads the register (shelters, the catalogue, the roster, defences), the stock ledger and
readiness, and records movements and defence tests; it runs the mission desk (missions, check-ins,
overdue alerts, reports, emergencies). Quantities are exact decimals with at most three
places; days are `YYYY-MM-DD` and times ISO 8601 in UTC. Every refusal answers
`{"detail": "<one sentence>"}`: 401 for nobody signed in, 403 for a role that may not, 404 for something unknown, 409 for a conflict with the ledger, 422
for a malformed value, 503 when the database is not set up. A refused request writes nothing.
"""


def create_app(db: Database | None = None, settings: Settings | None = None) -> FastAPI:
    """The API over `db`, or over the database named by the settings (`REFUGE_DATABASE_URL`)."""
    settings = settings or Settings()
    owned = db is None
    database = db or Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        watch = asyncio.create_task(watch_overdue(database, settings.overdue_interval)) \
            if settings.overdue_interval > 0 else None
        profiles = [name.strip() for name in settings.warm_profiles.split(",") if name.strip()]
        threading.Thread(target=warm_navigator, args=(_app.state.navigator, profiles), daemon=True).start()
        yield
        if watch is not None:
            watch.cancel()
            with suppress(asyncio.CancelledError):
                await watch
        if owned:
            database.dispose()

    app = FastAPI(title="Refuge", description=DESCRIPTION, version=__version__, lifespan=lifespan)
    app.state.db, app.state.settings, app.state.ready = database, settings, False
    register_error_handlers(app)
    app.state.navigator = Navigator(database, keep_trees=True, cache_dir=settings.cache_dir)
    app.include_router(session_router, prefix="/api")
    # Every other JSON route needs someone signed in (401), before anything else is looked at.
    for routes in (router, field_router, forecast_router, missions_router, plans_router):
        app.include_router(routes, prefix="/api", dependencies=[Depends(signed_in)])
    mount_web(app)  # the pages at /, beside the JSON API under /api
    return app


def warm_navigator(navigator: Navigator, profiles: list[str]) -> None:
    """Build the walking trees of every shelter, then the route search with chakra of each profile named,
    while the server takes its first requests."""
    try:
        navigator.db.check_ready()
        logger.info("route trees ready for %d shelters", navigator.warm())
        for profile in profiles:
            try:
                logger.info("%s route search ready for %d shelters", profile, navigator.warm_search(profile))
            except RefugeError as error:  # an unknown profile named, say: the others are still prepared
                logger.warning("%s route search not prepared: %s", profile, error)
    except RefugeError as error:
        logger.warning("route trees not built: %s", error)
    except Exception:  # a defect must not stop the server; questions are still answered by searching
        logger.exception("building the route trees failed")


async def watch_overdue(db: Database, interval: float) -> None:
    """Scan for overdue check-ins every `interval` seconds for as long as the server runs."""
    while True:
        await asyncio.sleep(interval)
        try:
            db.check_ready()
            scan = await asyncio.to_thread(detect_overdue, db)
        except RefugeError as error:  # no tables yet, say: try again next time
            logger.warning("overdue scan skipped: %s", error)
            continue
        except Exception:  # a defect must not stop the watch
            logger.exception("overdue scan failed")
            continue
        if scan.raised or scan.sent:
            logger.warning("overdue: %d alert(s) raised, %d notice(s) sent", len(scan.raised), len(scan.sent))

