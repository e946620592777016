"""The mission desk's routes end to end, through httpx, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi.testclient import TestClient

from refuge.api.app import watch_overdue
from refuge.store.database import Database
from tests.desk_factory import load_desk_network
from tests.e2e.clients import signed_in

START = "2026-06-01T08:00:00Z"


@pytest.fixture
def api(empty_db: Database) -> TestClient:
    load_desk_network(empty_db)
    return signed_in(empty_db)


def ok(response, status: int = 200) -> Any:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()


def under_way(api: TestClient) -> str:
    made = ok(api.post("/api/missions", json={"title": "Patrol", "rank": "B", "objectives": ["walk the line", "map it"],
                                              "leader": "iruka", "team": ["sakura"], "checkins": "every 4h",
                                              "grace_minutes": 30}), 201)
    ok(api.post(f"/api/missions/{made['code']}/start", json={"at": START}))
    return made["code"]


def snapshot(api: TestClient) -> tuple:
    return (ok(api.get("/api/missions")), ok(api.get("/api/shelters/LF-001/history")),
            ok(api.get("/api/shelters/LF-002/history")), ok(api.get("/api/alerts")))


def test_the_mission_lifecycle_over_http(api: TestClient) -> None:
    draft = ok(api.post("/api/missions", json={"title": "Escort", "rank": "c"}), 201)
    assert draft["status"] == "draft"
    assigned = ok(api.post(f"/api/missions/{draft['code']}/assign", json={"leader": "kakashi", "team": ["iruka"]}))
    assert assigned["team"] == ["kakashi", "iruka"]
    ok(api.post(f"/api/missions/{draft['code']}/start", json={}))
    ended = ok(api.post(f"/api/missions/{draft['code']}/end", json={"outcome": "aborted", "note": "storm"}))
    assert ended["status"] == "aborted"
    illegal = api.post(f"/api/missions/{draft['code']}/start", json={})
    assert illegal.status_code == 409 and "aborted and cannot become under-way" in illegal.json()["detail"]
    assert [m["status"] for m in ok(api.get("/api/missions", params={"status": "aborted"}))] == ["aborted"]


def test_a_check_in_with_the_last_call_completes_the_mission(api: TestClient) -> None:
    code = under_way(api)
    done = ok(api.post("/api/checkins", json={"mission": code, "person": "sakura",
                                               "message": "He's here and safe. End mission."}), 201)
    assert done["ended_mission"] and done["mission_status"] == "complete"


def test_a_report_posts_once_and_a_resubmission_answers_200(api: TestClient) -> None:
    code = under_way(api)
    body = {"by": "sakura", "objectives_met": [1], "narrative": "quiet",
            "supplies": [{"shelter": "LF-001", "sku": "FOOD-RICE", "quantity": 2},
                         {"shelter": "LF-002", "sku": "AID-BANDAGE", "quantity": "0.5"}],
            "injuries": [{"person": "iruka", "description": "sprained ankle"}],
            "equipment": [{"what": "WPN-KUNAI", "action": "replace", "quantity": 2}]}
    first = ok(api.post(f"/api/missions/{code}/report", json=body), 201)
    assert sorted(m["shelter"] for m in first["movements"]) == ["LF-001", "LF-002"]
    before = snapshot(api)
    again = ok(api.post(f"/api/missions/{code}/report", json=body))
    assert again["replayed"] and snapshot(api) == before
    shown = ok(api.get(f"/api/missions/{code}"))
    assert [o["met"] for o in shown["objectives"]] == [True, False] and shown["report"]["armoury"][0]["action"] == "replace"


def test_overdue_on_demand_and_the_first_acknowledgement(api: TestClient) -> None:
    code = under_way(api)
    scan = ok(api.post("/api/alerts/scan", params={"at": "2026-06-01T14:31:00Z"}))
    assert [o["mission"] for o in scan["overdue"]] == [code] and [s["step"] for s in scan["sent"]] == ["desk", "superior", "office"]
    alert = scan["raised"][0]
    ok(api.post(f"/api/alerts/{alert}/ack", json={"by": "shizune"}))
    second = api.post(f"/api/alerts/{alert}/ack", json={"by": "tsunade"})
    assert second.status_code == 409 and "shizune" in second.json()["detail"]
    assert ok(api.get("/api/alerts", params={"open": True})) == []


def test_an_emergency_over_http(api: TestClient) -> None:
    proposal = ok(api.post("/api/emergencies", json={"place": "LF-002", "person": "kiba"}))
    assert [r["handle"] for r in proposal["responders"]] == ["shizune", "tsunade"] and proposal["clearance"] == 3
    sent = ok(api.post("/api/emergencies/accept", json={"place": "LF-002", "person": "kiba", "responder": "shizune"}), 201)
    assert sent["mission"]["kind"] == "rescue" and sent["mission"]["classification"] == 3


@pytest.mark.parametrize(("method", "path", "body", "status", "message"), [
    ("get", "/api/missions/M-0404", None, 404, "unknown mission"),
    ("post", "/api/missions", {"title": "x", "rank": "c", "leader": "orochimaru"}, 404, "unknown person"),
    ("post", "/api/missions", {"title": "x", "rank": "c", "checkins": "sometimes"}, 422, "check-in schedule"),
    ("post", "/api/checkins", {"mission": "M-0001", "person": "kiba"}, 409, "not on mission"),
    ("post", "/api/checkins", {"mission": "M-0001", "person": "sakura", "at": "2099-01-01T00:00"}, 422, "in the future"),
    ("post", "/api/missions/M-0001/report", {"by": "sakura", "supplies": [
        {"shelter": "LF-001", "sku": "FOOD-RICE", "quantity": 1},
        {"shelter": "LF-002", "sku": "AID-BANDAGE", "quantity": 5}]}, 409, "LF-002 has only 1"),
    ("post", "/api/missions/M-0001/report", {"by": "sakura", "supplies": [
        {"shelter": "LF-404", "sku": "FOOD-RICE", "quantity": 1}]}, 404, "unknown shelter"),
    ("post", "/api/alerts/scan?at=2099-01-01T00:00", None, 422, "in the future"),
    ("post", "/api/alerts/7/ack", {"by": "shizune"}, 404, "unknown alert"),
    ("post", "/api/emergencies", {"place": "LF-001", "person": "nobody"}, 404, "unknown person"),
    ("post", "/api/missions", {"title": "x", "rank": "c", "colour": "red"}, 422, "not a field"),
])
def test_bad_requests_get_a_specific_error_and_write_nothing(api: TestClient, method: str, path: str,
                                                             body: dict | None, status: int, message: str) -> None:
    under_way(api)
    before = snapshot(api)
    answer = getattr(api, method)(path, json=body) if body is not None else getattr(api, method)(path)
    assert answer.status_code == status and message in answer.json()["detail"]
    assert snapshot(api) == before


def test_a_different_report_is_a_conflict_over_http(api: TestClient) -> None:
    code = under_way(api)
    ok(api.post(f"/api/missions/{code}/report", json={"by": "sakura", "narrative": "one"}), 201)
    before = snapshot(api)
    clash = api.post(f"/api/missions/{code}/report", json={"by": "sakura", "narrative": "two"})
    assert clash.status_code == 409 and "different report" in clash.json()["detail"] and snapshot(api) == before


def test_the_server_watch_raises_alerts_on_its_schedule(empty_db: Database) -> None:
    load_desk_network(empty_db)
    client = signed_in(empty_db)
    under_way(client)

    async def run_briefly() -> None:
        watch = asyncio.create_task(watch_overdue(empty_db, 0.01))
        for _ in range(500):
            await asyncio.sleep(0.01)
            if ok(client.get("/api/alerts")):
                break
        watch.cancel()

    asyncio.run(run_briefly())
    assert [a["mission"] for a in ok(client.get("/api/alerts"))] == ["M-0001"]
