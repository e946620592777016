"""API clients for end-to-end tests: signed in as the office (admin) unless a test asks for another role
or for nobody; every answer is checked for a leaked traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from refuge.api.app import create_app
from refuge.services.demo import load_demo
from refuge.store.database import Database
from tests.e2e.clients import anonymous as anonymous_client
from tests.e2e.clients import no_traceback, signed_in

__all__ = ["no_traceback"]


@pytest.fixture
def app(db: Database) -> FastAPI:
    return create_app(db)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """Signed in as Tsunade, the office: may do everything and is cleared for everything."""
    return signed_in(app, "admin")


@pytest.fixture
def anonymous(app: FastAPI) -> TestClient:
    return anonymous_client(app)


@pytest.fixture
def as_role(app: FastAPI) -> Callable[[str], TestClient]:
    """A client signed in with a role: `as_role("field")` is Naruto, clearance 1."""
    return lambda role: signed_in(app, role)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Land of Fire loaded once per test session into an SQLite file that tests copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = Database(str(path))
    load_demo(db)
    db.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the demo for one test."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    db = Database(str(path))
    yield db
    db.dispose()


#: The demo's sign-in for each role (`refuge demo`): the handle, whose password is `HANDLE-demo`.
DEMO_HANDLES = {"admin": "tsunade", "logistics": "shizune", "volunteer": "iruka", "field": "naruto", "desk": "shikaku"}


def page_client(db: Database) -> TestClient:
    """A client of the web app over `db`, signed in as nobody; every answer is checked for a leaked traceback."""
    client = TestClient(create_app(db))
    client.event_hooks = {"request": [], "response": [no_traceback]}
    return client


def sign_in_pages(client: TestClient, handle: str) -> TestClient:
    """Sign `client` in through the sign-in form with the demo's password for `handle`."""
    answer = client.post("/signin", data={"handle": handle, "password": f"{handle}-demo"}, follow_redirects=False)
    assert answer.status_code == 303 and "refuge_session" in client.cookies, answer.text
    return client


@pytest.fixture
def pages(demo_db: Database) -> TestClient:
    """A client of the web app over the demo, signed in through the form as Tsunade (the office, admin)."""
    return sign_in_pages(page_client(demo_db), DEMO_HANDLES["admin"])


@pytest.fixture
def pages_as(demo_db: Database) -> Callable[[str], TestClient]:
    """A client of the web app signed in with a role: `pages_as("field")` is Naruto, clearance 1."""
    return lambda role: sign_in_pages(page_client(demo_db), DEMO_HANDLES[role])


@pytest.fixture
def visitor(demo_db: Database) -> TestClient:
    """A client of the web app over the demo that has not signed in."""
    return page_client(demo_db)
