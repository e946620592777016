"""The JSON API refusing bad input, on SQLite and on PostgreSQL: the status, one readable sentence, nothing written."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from refuge.api.app import create_app
from refuge.services import register
from refuge.store.database import Database
from tests.e2e.clients import signed_in

SHELTERS = ("LF-001", "LF-002", "LF-003")
RICE = {"kind": "consume", "sku": "FOOD-RICE", "quantity": 1}


def ledger(client: TestClient) -> dict[str, Any]:
    """Everything the ledger says of every shelter: its history and its stock."""
    return {code: (client.get(f"/api/shelters/{code}/history").json(),
                   client.get(f"/api/shelters/{code}/stock", params={"as_of": "2100-01-01"}).json())
            for code in SHELTERS}


def assert_refused(response: httpx.Response, status: int, *fragments: str) -> None:
    detail = response.json()["detail"]
    assert (response.status_code, isinstance(detail, str)) == (status, True), detail
    for fragment in fragments:
        assert fragment in detail


@pytest.mark.parametrize(("body", "status", "fragment"), [
    pytest.param(RICE | {"sku": "NOPE"}, 404, "unknown item 'NOPE'", id="unknown item"),
    pytest.param(RICE | {"by": "orochimaru"}, 404, "unknown person 'orochimaru'", id="unknown person"),
    pytest.param(RICE | {"kind": "transfer", "to_shelter": "LF-999"}, 404, "unknown shelter 'LF-999'",
                 id="unknown destination"),
    pytest.param(RICE | {"quantity": 0}, 422, "quantity must be a positive number, not 0", id="zero"),
    pytest.param(RICE | {"quantity": -1}, 422, "quantity must be a positive number, not -1", id="negative"),
    pytest.param(RICE | {"quantity": "abc"}, 422, "quantity must be a number, not 'abc'", id="not a number"),
    pytest.param(RICE | {"quantity": 1.2345}, 422, "more than 3 decimal places", id="too precise"),
    pytest.param(RICE | {"quantity": "NaN"}, 422, "quantity must be a finite number", id="not finite"),
    pytest.param(RICE | {"quantity": True}, 422, "'quantity'", id="boolean"),
    pytest.param(RICE | {"occurred_at": "yesterday"}, 422, "occurred_at 'yesterday' is not a valid ISO date-time",
                 id="malformed time"),
    pytest.param(RICE | {"occurred_at": "2026-02-30T10:00"}, 422, "occurred_at '2026-02-30T10:00' is not a valid",
                 id="impossible time"),
    pytest.param(RICE | {"kind": "restock", "expires_on": "2026-02-30"}, 422,
                 "expiry date '2026-02-30' is not a valid date", id="impossible expiry"),
    pytest.param(RICE | {"occurred_at": "2999-01-01T00:00"}, 422, "is in the future", id="future time"),
    pytest.param(RICE | {"kind": "transfer", "to_shelter": "lf-001"}, 422, "cannot transfer from LF-001 to itself",
                 id="transfer to itself"),
    pytest.param(RICE | {"kind": "transfer"}, 422, "a transfer needs the shelter", id="transfer nowhere"),
    pytest.param(RICE | {"kind": "steal"}, 422, "field 'kind' of the request body", id="unknown kind"),
    pytest.param({"kind": "consume", "sku": "FOOD-RICE"}, 422, "field 'quantity' of the request body is required",
                 id="missing quantity"),
    pytest.param(RICE | {"colour": "red"}, 422, "field 'colour' of the request body is not a field", id="extra field"),
    pytest.param(RICE | {"quantity": 11}, 409, "shelter LF-001 has only 10 of FOOD-RICE on hand, 11 asked",
                 id="more than on hand"),
])
def test_a_bad_movement_is_refused_with_its_reason_and_writes_nothing(
        client: TestClient, body: dict[str, Any], status: int, fragment: str) -> None:
    before = ledger(client)
    assert_refused(client.post("/api/shelters/LF-001/movements", json=body), status, fragment)
    assert ledger(client) == before


def test_consuming_more_than_on_hand_names_shelter_item_on_hand_and_asked(client: TestClient) -> None:
    before = ledger(client)
    response = client.post("/api/shelters/LF-002/movements", json={"kind": "consume", "sku": "AID-BANDAGE", "quantity": 2})
    assert_refused(response, 409, "LF-002", "AID-BANDAGE", "only 1", "2 asked", "stocktake")
    assert ledger(client) == before


def test_a_movement_at_an_unknown_shelter_is_404_and_writes_nothing(client: TestClient) -> None:
    before = ledger(client)
    assert_refused(client.post("/api/shelters/LF-999/movements", json=RICE), 404, "unknown shelter 'LF-999'")
    assert ledger(client) == before


def test_a_body_that_is_not_json_is_422_and_writes_nothing(client: TestClient) -> None:
    before = ledger(client)
    response = client.post("/api/shelters/LF-001/movements", content=b"{quantity: 1",
                           headers={"content-type": "application/json"})
    assert_refused(response, 422, "the request body is not valid JSON")
    assert_refused(client.post("/api/shelters/LF-001/movements"), 422, "the request body is required")
    assert ledger(client) == before


@pytest.mark.parametrize("path", [
    "/api/shelters/LF-999", "/api/shelters/LF-999/stock", "/api/shelters/LF-999/history",
    "/api/defences?shelter=LF-999",
])
def test_reading_an_unknown_shelter_is_404(client: TestClient, path: str) -> None:
    assert_refused(client.get(path), 404, "unknown shelter 'LF-999'")


def test_history_of_an_unknown_item_is_404(client: TestClient) -> None:
    assert_refused(client.get("/api/shelters/LF-001/history", params={"sku": "NOPE"}), 404, "unknown item 'NOPE'")


@pytest.mark.parametrize("path", ["/api/shelters/LF-001/stock", "/api/readiness", "/api/defences"])
@pytest.mark.parametrize("as_of", ["2026-02-30", "2026-13-01", "tomorrow"])
def test_a_malformed_or_impossible_day_in_the_query_is_422(client: TestClient, path: str, as_of: str) -> None:
    assert_refused(client.get(path, params={"as_of": as_of}), 422, f"as_of {as_of!r} is not a valid date (expected YYYY-MM-DD)")


@pytest.mark.parametrize(("query", "fragment"), [
    ({"limit": "abc"}, "query parameter 'limit': input should be a valid integer"),
    ({"limit": 0}, "limit must be a positive number, not 0"),
])
def test_a_history_limit_that_is_not_a_positive_number_is_422(client: TestClient, query: dict[str, Any],
                                                              fragment: str) -> None:
    assert_refused(client.get("/api/shelters/LF-001/history", params=query), 422, fragment)


def test_an_unknown_readiness_level_is_422(client: TestClient) -> None:
    assert_refused(client.get("/api/readiness", params={"level": "purple"}), 422, "level 'purple' is not one of: green, amber, red")


@pytest.mark.parametrize(("query", "status", "fragment"), [
    ({"as_of": "2999-01-01"}, 422, "is in the future"),
    ({"as_of": "2026-02-30"}, 422, "as_of '2026-02-30' is not a valid date"),
    ({"as_of": "2026-10-01", "by": "orochimaru"}, 404, "unknown person 'orochimaru'"),
])
def test_a_bad_expiry_run_is_refused_and_writes_nothing(client: TestClient, query: dict[str, str], status: int,
                                                        fragment: str) -> None:
    before = ledger(client)
    assert_refused(client.post("/api/expire", params=query), status, fragment)
    assert ledger(client) == before


@pytest.mark.parametrize(("path", "body", "status", "fragment"), [
    ("LF-002/defences/T1", {"result": "maybe"}, 422, "field 'result' of the request body"),
    ("LF-002/defences/T1", {"result": "pass", "at": "2999-01-01T00:00"}, 422, "tested at 2999-01-01T00:00:00+00:00 is in the future"),
    ("LF-002/defences/T1", {"result": "pass", "at": "noon"}, 422, "at 'noon' is not a valid ISO date-time"),
    ("LF-002/defences/T1", {"result": "pass", "by": "orochimaru"}, 404, "unknown person 'orochimaru'"),
    ("LF-002/defences/Z9", {"result": "pass"}, 404, "shelter LF-002 has no defence 'Z9'"),
    ("LF-999/defences/T1", {"result": "pass"}, 404, "unknown shelter 'LF-999'"),
])
def test_a_bad_defence_test_is_refused_and_writes_nothing(client: TestClient, path: str, body: dict[str, str],
                                                          status: int, fragment: str) -> None:
    before = client.get("/api/defences").json()
    assert_refused(client.post(f"/api/shelters/{path}/tests", json=body), status, fragment)
    assert client.get("/api/defences").json() == before


def test_an_unexpected_failure_is_a_500_that_logs_the_traceback_and_shows_none(
        db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(_db: Database, *_args: object) -> None:
        raise RuntimeError("secret connection string")

    monkeypatch.setattr(register, "shelters", broken)
    client = signed_in(db, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="refuge.api"):
        response = client.get("/api/shelters")
    assert (response.status_code, response.json()) == (500, {"detail": "internal error"})
    assert "secret" not in response.text
    assert "RuntimeError: secret connection string" in caplog.text


def test_a_database_without_refuge_tables_is_503(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    empty = Database(str(tmp_path / "empty.db"))
    response = TestClient(create_app(empty)).get("/api/shelters")
    assert_refused(response, 503, "has no Refuge tables", "refuge init")
    empty.dispose()


def test_a_missing_database_file_is_503_and_is_not_created(tmp_path: Path) -> None:
    missing = Database(str(tmp_path / "missing.db"))
    response = TestClient(create_app(missing)).get("/api/shelters")
    assert_refused(response, 503, "there is no database at", "refuge init")
    assert not (tmp_path / "missing.db").exists()
    missing.dispose()
