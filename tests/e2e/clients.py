"""API clients signed in with a role: a bearer token made the way `refuge token create` makes one."""

from __future__ import annotations

import httpx2 as httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from refuge.api.app import create_app
from refuge.domain.people import Person
from refuge.services.access import create_token
from refuge.store.database import Database
from refuge.store.loading import add_people

#: Who signs in with each role in the end-to-end tests. Naruto (clearance 1) knows only LF-001 of the
#: small network; Iruka (2) the same; Kakashi (4) all but LF-003; Tsunade (5) everything.
ROLE_HANDLES = {"admin": "tsunade", "logistics": "kakashi", "volunteer": "iruka", "field": "naruto", "desk": "shikaku"}
EXTRA_PEOPLE = [Person("naruto", "Naruto Uzumaki", "genin", ("seals",), clearance=1, max_chakra=400),
                Person("shikaku", "Shikaku Nara", "jonin", ("tactics",), clearance=4)]


def no_traceback(response: httpx.Response) -> None:
    response.read()
    assert "Traceback" not in response.text


def token_for(db: Database, role: str, handle: str | None = None) -> str:
    """A fresh API token for the person who plays `role` (added to the roster if the network lacks them)."""
    handle = handle or ROLE_HANDLES[role]
    with db.reading() as session:
        from refuge.store.register import find_person

        missing = [p for p in EXTRA_PEOPLE if p.handle == handle and find_person(session, handle) is None]
    if missing:
        with db.writing() as session:
            add_people(session, missing)
    return create_token(db, handle, role).token


def signed_in(app: FastAPI | Database, role: str = "admin", handle: str | None = None, **options: object) -> TestClient:
    """A client of `app` (or of a new app over a database) sending a bearer token for `role`."""
    app = create_app(app) if isinstance(app, Database) else app
    client = TestClient(app, **options)  # type: ignore[arg-type]
    client.headers["Authorization"] = f"Bearer {token_for(app.state.db, role, handle)}"
    client.event_hooks = {"request": [], "response": [no_traceback]}
    return client


def anonymous(app: FastAPI | Database) -> TestClient:
    client = TestClient(create_app(app) if isinstance(app, Database) else app)
    client.event_hooks = {"request": [], "response": [no_traceback]}
    return client
