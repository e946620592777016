"""The JSON API end to end through httpx, on SQLite and on PostgreSQL: what each route answers when all is well."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from refuge.api.app import create_app
from refuge.store.database import Database
from tests.e2e.clients import signed_in

RICE_LOT = "2028-04-01"  # restocked 2026-04-02 with a shelf life of 730 days


def post_movement(client: TestClient, code: str, **body: Any) -> httpx.Response:
    return client.post(f"/api/shelters/{code}/movements", json=body)


def stock_of(client: TestClient, code: str, as_of: str = "2026-06-01") -> dict[str, dict[str, Any]]:
    response = client.get(f"/api/shelters/{code}/stock", params={"as_of": as_of})
    assert response.status_code == 200
    return {line["sku"]: line for line in response.json()["items"]}


def test_lists_every_shelter_with_its_position_in_metres(client: TestClient) -> None:
    shelters = client.get("/api/shelters").json()
    assert [s["code"] for s in shelters] == ["LF-001", "LF-002", "LF-003"]
    assert shelters[0] == {"code": "LF-001", "name": "Cedar Hollow", "x": 10000.0, "y": 20000.0,
                          "access_notes": "under the split cedar", "beds": 4, "condition": "good",
                          "status": "active", "clearance": 1}


def test_shows_one_shelter_by_its_code_in_any_case(client: TestClient) -> None:
    response = client.get("/api/shelters/lf-002")
    assert response.status_code == 200
    assert (response.json()["code"], response.json()["name"], response.json()["clearance"]) == ("LF-002", "Falls Lookout", 3)


def test_shows_what_a_shelter_held_at_the_end_of_a_day_beside_its_par_levels(client: TestClient) -> None:
    stock = stock_of(client, "LF-002")
    assert stock["AID-BANDAGE"] | {"lots": None} == {
        "sku": "AID-BANDAGE", "name": "Bandage roll", "category": "first-aid", "unit": "roll", "quantity": 1,
        "usable": 1, "expired": 0, "min": 3, "target": 8, "capacity": 12, "lots": None}
    assert stock["FOOD-RICE"]["lots"] == [{"expires_on": RICE_LOT, "quantity": 10, "expired": False}]
    assert stock["AID-ANTIDOTE"]["quantity"] == 0


def test_stock_before_the_first_restock_is_all_zero(client: TestClient) -> None:
    stock = stock_of(client, "LF-001", as_of="2026-03-01")
    assert {sku: line["quantity"] for sku, line in stock.items()} == dict.fromkeys(stock, 0)
    assert len(stock) == 5


def test_stock_shows_expired_lots_apart_from_usable_ones(client: TestClient) -> None:
    antidote = stock_of(client, "LF-001", as_of="2026-10-01")["AID-ANTIDOTE"]
    assert (antidote["quantity"], antidote["usable"], antidote["expired"]) == (10, 0, 10)


def test_history_lists_a_shelters_movements_newest_first(client: TestClient) -> None:
    history = client.get("/api/shelters/LF-002/history").json()
    assert len(history) == 7
    assert [m["kind"] for m in history[:2]] == ["consume", "consume"]
    assert {m["kind"] for m in history[2:]} == {"restock"}


def test_history_keeps_one_item_and_the_newest_n(client: TestClient) -> None:
    bandages = client.get("/api/shelters/LF-002/history", params={"sku": "aid-bandage"}).json()
    assert [(m["kind"], m["quantity"], m["by"], m["key"]) for m in bandages] == [
        ("consume", -9, "kakashi", "use-1"), ("restock", 10, "iruka", "open-LF-002-AID-BANDAGE")]
    assert len(client.get("/api/shelters/LF-002/history", params={"limit": 1}).json()) == 1


def test_recording_a_consumption_answers_201_and_lowers_the_stock(client: TestClient) -> None:
    response = post_movement(client, "LF-001", kind="consume", sku="FOOD-RICE", quantity=3,
                             occurred_at="2026-06-01T08:00", by="Kakashi Hatake", note="mission rations")
    assert response.status_code == 201
    body = response.json()
    assert body["replayed"] is False
    assert body["movement"] | {"id": None, "recorded_at": None} == {
        "id": None, "kind": "consume", "shelter": "LF-001", "to_shelter": None, "sku": "FOOD-RICE",
        "quantity": -3, "occurred_at": "2026-06-01T08:00:00Z", "recorded_at": None, "by": "kakashi",
        "source": "", "note": "mission rations", "key": None,
        "lots": [{"shelter": "LF-001", "expires_on": RICE_LOT, "quantity": -3}]}
    assert stock_of(client, "LF-001")["FOOD-RICE"]["quantity"] == 7


def test_a_movement_without_a_time_happened_now(client: TestClient) -> None:
    response = post_movement(client, "LF-001", kind="consume", sku="FOOD-RICE", quantity="0.5")
    assert response.status_code == 201
    movement = response.json()["movement"]
    assert movement["occurred_at"] == movement["recorded_at"]
    assert movement["quantity"] == -0.5


def test_a_restock_with_an_expiry_date_adds_a_lot_of_that_date(client: TestClient) -> None:
    response = post_movement(client, "LF-002", kind="restock", sku="AID-ANTIDOTE", quantity=5,
                             expires_on="2026-12-31", occurred_at="2026-06-01T09:00")
    assert response.status_code == 201
    antidote = stock_of(client, "LF-002")["AID-ANTIDOTE"]
    assert antidote["lots"] == [{"expires_on": "2026-12-31", "quantity": 5, "expired": False}]


def test_a_count_posts_the_difference_from_the_ledger_as_an_adjustment(client: TestClient) -> None:
    response = post_movement(client, "LF-001", kind="count", sku="FOOD-WATER", quantity=8,
                             occurred_at="2026-06-01T09:00")
    assert response.status_code == 201
    movement = response.json()["movement"]
    assert (movement["kind"], movement["quantity"], movement["note"]) == ("adjust", -2, "stocktake counted 8")
    assert stock_of(client, "LF-001")["FOOD-WATER"]["quantity"] == 8


def test_a_transfer_moves_stock_to_the_other_shelter(client: TestClient) -> None:
    response = post_movement(client, "LF-001", kind="transfer", sku="WPN-KUNAI", quantity=4, to_shelter="lf-003",
                             occurred_at="2026-06-01T09:00")
    assert response.status_code == 201
    assert (response.json()["movement"]["to_shelter"], response.json()["movement"]["quantity"]) == ("LF-003", -4)
    assert stock_of(client, "LF-001")["WPN-KUNAI"]["quantity"] == 6
    assert stock_of(client, "LF-003")["WPN-KUNAI"]["quantity"] == 4
    assert len(client.get("/api/shelters/LF-003/history").json()) == 1


def test_replaying_a_key_answers_200_with_the_original_and_writes_nothing(client: TestClient) -> None:
    body = {"kind": "consume", "sku": "FOOD-RICE", "quantity": 2, "key": "api-1", "occurred_at": "2026-06-01T08:00"}
    first = post_movement(client, "LF-001", **body)
    again = post_movement(client, "LF-001", **body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"replayed": True, "movement": first.json()["movement"]}
    assert len(client.get("/api/shelters/LF-001/history").json()) == 6
    assert stock_of(client, "LF-001")["FOOD-RICE"]["quantity"] == 8


def test_reusing_a_key_for_a_different_movement_is_a_409_conflict(client: TestClient) -> None:
    assert post_movement(client, "LF-001", kind="consume", sku="FOOD-RICE", quantity=2, key="api-1").status_code == 201
    response = post_movement(client, "LF-001", kind="consume", sku="FOOD-RICE", quantity=3, key="api-1")
    assert response.status_code == 409
    assert "'api-1' was already used for a different movement" in response.json()["detail"]
    assert stock_of(client, "LF-001", as_of="2100-01-01")["FOOD-RICE"]["quantity"] == 8


def test_readiness_grades_every_shelter_with_its_reasons(client: TestClient) -> None:
    grades = client.get("/api/readiness", params={"as_of": "2026-06-01"}).json()
    assert [(r["code"], r["level"]) for r in grades] == [("LF-001", "green"), ("LF-002", "red"), ("LF-003", "red")]
    assert grades[0]["reasons"] == [] and grades[0]["last_visit"] == "2026-05-02T12:00:00Z"
    assert {"defences-down", "below-min", "defence-overdue"} <= {reason["rule"] for reason in grades[1]["reasons"]}


def test_readiness_keeps_only_the_level_asked_for(client: TestClient) -> None:
    red = client.get("/api/readiness", params={"as_of": "2026-06-01", "level": "RED"}).json()
    assert [r["code"] for r in red] == ["LF-002", "LF-003"]


def test_lists_the_catalogue_with_units_and_shelf_lives(client: TestClient) -> None:
    items = {item["sku"]: item for item in client.get("/api/items").json()}
    assert set(items) == {"FOOD-RICE", "FOOD-WATER", "AID-BANDAGE", "AID-ANTIDOTE", "WPN-KUNAI"}
    assert items["FOOD-RICE"] == {"sku": "FOOD-RICE", "name": "Rice ration", "category": "food", "unit": "pack",
                                  "unit_weight_kg": 0.5, "shelf_life_days": 730}
    assert items["WPN-KUNAI"]["shelf_life_days"] is None


def test_lists_the_roster_by_handle(client: TestClient) -> None:
    people = client.get("/api/people").json()
    assert [p["handle"] for p in people] == ["iruka", "kakashi", "tsunade"]
    assert (people[1]["name"], people[1]["rank"], people[1]["skills"]) == ("Kakashi Hatake", "jonin", ["seals", "tracking"])


def test_lists_defences_with_their_state_on_a_day(client: TestClient) -> None:
    defences = client.get("/api/defences", params={"as_of": "2026-06-01"}).json()
    assert [(d["shelter"], d["code"], d["status"], d["overdue"]) for d in defences] == [
        ("LF-001", "W1", "armed", False), ("LF-002", "T1", "untested", True)]
    ward = client.get("/api/defences", params={"shelter": "lf-001", "as_of": "2026-06-01"}).json()
    assert [(d["code"], d["next_test_due"], d["charge_ends"]) for d in ward] == [("W1", "2026-07-31", "2026-08-30")]


def test_logging_a_passing_test_arms_the_defence(client: TestClient) -> None:
    response = client.post("/api/shelters/LF-002/defences/t1/tests",
                           json={"result": "pass", "by": "kakashi", "at": "2026-06-01T10:00", "note": "rewired"})
    assert response.status_code == 201
    # The state is as of today, so whether the next test is overdue depends on the clock.
    assert response.json() | {"overdue": None} == {
        "shelter": "LF-002", "code": "T1", "kind": "trap", "name": "Wire trap", "status": "armed",
        "test_interval_days": 60, "last_tested": "2026-06-01T10:00:00Z", "next_test_due": "2026-07-31",
        "overdue": None, "charge_life_days": None, "charge_ends": None}


def test_logging_a_failed_test_leaves_the_defence_faulty(client: TestClient) -> None:
    response = client.post("/api/shelters/LF-001/defences/W1/tests", json={"result": "fail"})
    assert (response.status_code, response.json()["status"]) == (201, "faulty")


def test_expire_writes_off_the_lots_that_expired_before_the_day_once(client: TestClient) -> None:
    response = client.post("/api/expire", params={"as_of": "2026-10-01", "by": "iruka"})
    assert response.status_code == 200
    assert [(m["kind"], m["shelter"], m["sku"], m["quantity"], m["by"]) for m in response.json()] == [
        ("expire", "LF-001", "AID-ANTIDOTE", -10, "iruka")]
    assert stock_of(client, "LF-001", as_of="2100-01-01")["AID-ANTIDOTE"]["quantity"] == 0
    assert client.post("/api/expire", params={"as_of": "2026-10-01"}).json() == []


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    routes = {(path, method) for path, operations in paths.items() for method in operations}
    assert routes == {
        ("/api/shelters", "get"), ("/api/shelters/{code}", "get"), ("/api/shelters/{code}/stock", "get"),
        ("/api/shelters/{code}/history", "get"), ("/api/shelters/{code}/movements", "post"),
        ("/api/readiness", "get"), ("/api/items", "get"), ("/api/people", "get"), ("/api/defences", "get"),
        ("/api/people/{person}/calendar", "get"), ("/api/shelters/{code}/defences/{defence}/tests", "post"), ("/api/expire", "post"),
        ("/api/nearest", "get"), ("/api/route", "get"), ("/api/matrix", "get"), ("/api/terrain", "get"),
        ("/api/forecast", "get"), ("/api/plans", "post"), ("/api/runs", "post"), ("/api/runs", "get"),
        ("/api/runs/{run}/stops/{shelter}", "post"),
        ("/api/missions", "get"), ("/api/missions", "post"), ("/api/missions/{code}", "get"),
        ("/api/missions/{code}/assign", "post"), ("/api/missions/{code}/start", "post"),
        ("/api/missions/{code}/end", "post"), ("/api/missions/{code}/report", "post"), ("/api/checkins", "post"),
        ("/api/alerts", "get"), ("/api/alerts/scan", "post"), ("/api/alerts/{alert_id}/ack", "post"),
        ("/api/emergencies", "post"), ("/api/emergencies/accept", "post"),
        ("/api/session", "post"), ("/api/session", "delete"), ("/api/me", "get")}
    assert all(operation.get("summary") and operation.get("description")
               for operations in paths.values() for operation in operations.values())


def test_openapi_documents_errors_as_a_detail_sentence(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    movements = spec["paths"]["/api/shelters/{code}/movements"]["post"]["responses"]
    assert set(movements) == {"200", "201", "401", "403", "404", "409", "422", "503"}
    assert spec["components"]["schemas"]["ErrorOut"]["properties"]["detail"]["type"] == "string"
    assert "HTTPValidationError" not in spec["components"]["schemas"], "no route documents FastAPI's raw error list"
    assert (spec["info"]["title"], spec["info"]["version"]) == ("Refuge", "0.1.0")


def test_without_a_database_the_app_opens_the_configured_one(sqlite_db: Database,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFUGE_DATABASE_URL", sqlite_db.url)
    with signed_in(create_app()) as client:
        assert [s["code"] for s in client.get("/api/shelters").json()] == ["LF-001", "LF-002", "LF-003"]


def test_forecast_for_one_shelter_and_refusals(client) -> None:  # type: ignore[no-untyped-def]
    found = client.get("/api/forecast", params={"shelter": "LF-002", "as_of": "2026-06-01", "by": "2026-07-01"})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["as_of"] == "2026-06-01" and body["by"] == "2026-07-01"
    items = {i["sku"]: i for i in body["shelters"][0]["items"]}
    assert items["AID-ANTIDOTE"]["on_hand"] == 0 and items["AID-ANTIDOTE"]["p_out_by"] == 1
    assert client.get("/api/forecast", params={"shelter": "LF-099"}).status_code == 404
    early = client.get("/api/forecast", params={"as_of": "2026-06-01", "by": "2026-05-01"})
    assert early.status_code == 422 and "must come after" in early.json()["detail"]
    assert client.get("/api/forecast", params={"by": "2026-13-40"}).status_code == 422
