"""The API client for end-to-end tests: every answer it receives is checked for a leaked traceback."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from refuge.api.app import create_app
from refuge.store.database import Database


def no_traceback(response: httpx.Response) -> None:
    response.read()
    assert "Traceback" not in response.text


@pytest.fixture
def client(db: Database) -> TestClient:
    client = TestClient(create_app(db))
    client.event_hooks = {"request": [], "response": [no_traceback]}
    return client
