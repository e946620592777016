"""The API client for end-to-end tests: every answer it receives is checked for a leaked traceback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from refuge.api.app import create_app
from refuge.services.demo import load_demo
from refuge.store.database import Database


def no_traceback(response: httpx.Response) -> None:
    response.read()
    assert "Traceback" not in response.text


@pytest.fixture
def client(db: Database) -> TestClient:
    client = TestClient(create_app(db))
    client.event_hooks = {"request": [], "response": [no_traceback]}
    return client


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


@pytest.fixture
def pages(demo_db: Database) -> TestClient:
    """A client of the web app over the demo; every answer is checked for a leaked traceback."""
    client = TestClient(create_app(demo_db))
    client.event_hooks = {"request": [], "response": [no_traceback]}
    return client
