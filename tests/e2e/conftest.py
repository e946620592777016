"""API clients for end-to-end tests: signed in as the office (admin) unless a test asks for another role
or for nobody; every answer is checked for a leaked traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from refuge.api.app import create_app
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
