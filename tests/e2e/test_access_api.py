"""Sign-in, roles and clearance over HTTP: nobody unsigned gets in, a role does only its own work, and a
shelter or mission above someone's clearance does not exist for them anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from refuge.api.app import create_app
from refuge.services.access import revoke_token, set_account, tokens
from refuge.store.database import Database
from tests.e2e.clients import anonymous, signed_in
from tests.terrain_factory import add_terrain
from tests.unit.test_documentation import _NoDatabase

HIDDEN = ("LF-002", "LF-003", "Falls Lookout", "Reed Island")  # clearance 3 and 5; Naruto has 1
PATH_VALUES = {"code": "LF-001", "defence": "W1", "run": "1", "shelter": "LF-001", "alert_id": "1", "person": "iruka"}
OPEN_ROUTES = {("/api/session", "post")}


def every_route() -> list[tuple[str, str]]:
    paths = create_app(db=_NoDatabase()).openapi()["paths"]  # type: ignore[arg-type]
    return sorted((path, method) for path, operations in paths.items() for method in operations)


@pytest.fixture
def world(sqlite_db: Database) -> FastAPI:
    """The small network on a map, with an open mission and missions classified 3 and 5."""
    add_terrain(sqlite_db)
    app = create_app(sqlite_db)
    office = signed_in(app)
    for title, classification in (("Open patrol", 1), ("Secret scroll", 3), ("Hokage's errand", 5)):
        made = office.post("/api/missions", json={"title": title, "rank": "B", "classification": classification})
        assert made.status_code == 201, made.text
    return app


def ok(response, status: int = 200) -> Any:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()


@pytest.mark.parametrize(("path", "method"), [r for r in every_route() if r not in OPEN_ROUTES])
def test_every_api_route_refuses_an_anonymous_request_with_401(sqlite_db: Database, path: str, method: str) -> None:
    response = anonymous(sqlite_db).request(method.upper(), path.format(**PATH_VALUES), json={})
    assert response.status_code == 401, (path, method, response.text)
    assert set(response.json()) == {"detail"} and "sign in" in response.json()["detail"]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_sign_in_is_the_only_route_open_to_anyone() -> None:
    assert OPEN_ROUTES <= set(every_route())
    assert {route for route in every_route() if route[0].startswith("/api/session") or route[0] == "/api/me"} == {
        ("/api/session", "post"), ("/api/session", "delete"), ("/api/me", "get")}


@pytest.mark.parametrize("header", ["Bearer rfg_not-a-token", "Bearer ", "Basic dHN1bmFkZTpoaWRkZW4="])
def test_a_token_nobody_holds_is_refused_with_401(sqlite_db: Database, header: str) -> None:
    response = anonymous(sqlite_db).get("/api/shelters", headers={"Authorization": header})
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_with_401(sqlite_db: Database) -> None:
    client = signed_in(sqlite_db, "volunteer")
    ok(client.get("/api/shelters"))
    revoke_token(sqlite_db, tokens(sqlite_db)[-1].id)
    refused = client.get("/api/shelters")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


@pytest.mark.parametrize(("role", "method", "path", "body"), [
    ("field", "post", "/api/shelters/LF-001/movements", {"kind": "consume", "sku": "FOOD-RICE", "quantity": "1"}),
    ("desk", "post", "/api/shelters/LF-001/defences/W1/tests", {"result": "pass"}),
    ("volunteer", "post", "/api/expire", None),
    ("volunteer", "post", "/api/plans", {"days": 3, "volunteers": ["iruka"]}),
    ("desk", "post", "/api/runs", {"runs": []}),
    ("field", "get", "/api/runs", None),
    ("field", "get", "/api/people", None),
    ("volunteer", "get", "/api/missions", None),
    ("logistics", "post", "/api/missions", {"title": "Escort", "rank": "C"}),
    ("field", "get", "/api/nearest?at=10000,20000&as=tsunade", None),
    ("field", "post", "/api/alerts/scan", None),
    ("volunteer", "post", "/api/checkins", {"mission": "M-0001", "person": "iruka"}),
    ("logistics", "post", "/api/emergencies", {"skill": "medic", "place": "Leaf", "person": "iruka"}),
])
def test_a_role_that_may_not_do_the_work_is_refused_with_403_and_nothing_is_written(
        world: FastAPI, role: str, method: str, path: str, body: dict | None) -> None:
    office = signed_in(world)
    before = (ok(office.get("/api/shelters/LF-001/history")), ok(office.get("/api/missions")))
    response = signed_in(world, role).request(method.upper(), path, json=body)
    assert response.status_code == 403, response.text
    assert f"signs in as {role}, which may not" in response.json()["detail"]
    assert (ok(office.get("/api/shelters/LF-001/history")), ok(office.get("/api/missions"))) == before


def test_a_field_user_sees_only_the_shelters_they_are_cleared_for_in_every_list(world: FastAPI) -> None:
    naruto = signed_in(world, "field")
    assert [s["code"] for s in ok(naruto.get("/api/shelters"))] == ["LF-001"]
    assert [r["code"] for r in ok(naruto.get("/api/readiness"))] == ["LF-001"]
    assert {d["shelter"] for d in ok(naruto.get("/api/defences"))} == {"LF-001"}
    assert [s["code"] for s in ok(naruto.get("/api/forecast"))["shelters"]] == ["LF-001"]
    assert [p["key"] for p in ok(naruto.get("/api/matrix"))["points"]] == ["Leaf", "LF-001"]
    nearest = ok(naruto.get("/api/nearest", params={"at": "30000,25000", "limit": 10}))
    assert [s["code"] for s in nearest["shelters"]] == ["LF-001"]
    assert nearest["viewer"] == {"person": None, "clearance": 1, "profile": "walking", "chakra": 0.0}
    himself = ok(naruto.get("/api/nearest", params={"at": "30000,25000", "as": "naruto", "chakra": 0}))
    assert himself["viewer"] == {"person": "naruto", "clearance": 1, "profile": "running", "chakra": 0.0}
    office = signed_in(world)
    assert len(ok(office.get("/api/shelters"))) == 3 and len(ok(office.get("/api/readiness"))) == 3


@pytest.mark.parametrize("path", ["/api/shelters/{}", "/api/shelters/{}/stock", "/api/shelters/{}/history",
                                  "/api/defences?shelter={}", "/api/forecast?shelter={}"])
def test_a_classified_shelter_answers_404_exactly_as_a_code_nobody_uses(world: FastAPI, path: str) -> None:
    naruto = signed_in(world, "field")
    for hidden in ("LF-002", "LF-003"):
        classified, missing = naruto.get(path.format(hidden)), naruto.get(path.format("LF-099"))
        assert classified.status_code == missing.status_code == 404
        assert classified.json()["detail"].replace(hidden, "X") == missing.json()["detail"].replace("LF-099", "X")
    assert ok(signed_in(world).get(path.format("LF-002")))


def test_a_route_to_a_classified_shelter_is_refused_as_for_no_shelter_at_all(world: FastAPI) -> None:
    naruto = signed_in(world, "field")
    hidden = naruto.get("/api/route", params={"from": "LF-001", "to": "LF-002"})
    missing = naruto.get("/api/route", params={"from": "LF-001", "to": "LF-099"})
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["detail"].replace("LF-002", "X") == missing.json()["detail"].replace("LF-099", "X")


def test_no_answer_to_a_field_user_names_a_classified_shelter(world: FastAPI) -> None:
    naruto = signed_in(world, "field")
    answers = [naruto.get(path) for path in (
        "/api/shelters", "/api/shelters/LF-001/history", "/api/shelters/LF-001/stock", "/api/readiness",
        "/api/defences", "/api/forecast", "/api/matrix", "/api/terrain", "/api/items", "/api/missions",
        "/api/nearest?at=50000,40000&limit=10", "/api/me")]
    assert all(answer.status_code == 200 for answer in answers)
    assert not [name for answer in answers for name in HIDDEN if name in answer.text]


def test_a_classified_mission_does_not_exist_for_someone_not_cleared(world: FastAPI) -> None:
    office, naruto = signed_in(world), signed_in(world, "field")
    codes = {m["title"]: m["code"] for m in ok(office.get("/api/missions"))}
    assert [m["title"] for m in ok(naruto.get("/api/missions"))] == ["Open patrol"]
    secret = naruto.get(f"/api/missions/{codes['Secret scroll']}")
    missing = naruto.get("/api/missions/M-9999")
    assert secret.status_code == missing.status_code == 404
    assert secret.json()["detail"].replace(codes["Secret scroll"], "X") == missing.json()["detail"].replace("M-9999", "X")


def test_asking_as_someone_else_narrows_what_is_seen_and_never_widens_it(world: FastAPI) -> None:
    shikaku = signed_in(world, "desk")  # clearance 4
    titles = lambda params: [m["title"] for m in ok(shikaku.get("/api/missions", params=params))]  # noqa: E731
    assert titles({}) == titles({"as": "tsunade"}) == ["Open patrol", "Secret scroll"]
    assert titles({"as": "iruka"}) == ["Open patrol"]  # clearance 2
    matrix = ok(shikaku.get("/api/matrix", params={"as": "tsunade"}))
    assert [p["key"] for p in matrix["points"]] == ["Leaf", "LF-001", "LF-002"]


def test_a_volunteer_cannot_record_at_a_shelter_above_their_clearance(world: FastAPI) -> None:
    office, iruka = signed_in(world), signed_in(world, "volunteer")  # clearance 2
    before = ok(office.get("/api/shelters/LF-002/history"))
    body = {"kind": "restock", "sku": "FOOD-RICE", "quantity": "2"}
    refused = iruka.post("/api/shelters/LF-002/movements", json=body)
    transfer = iruka.post("/api/shelters/LF-001/movements", json={**body, "kind": "transfer", "to_shelter": "LF-002"})
    assert refused.status_code == transfer.status_code == 404
    assert ok(office.get("/api/shelters/LF-002/history")) == before
    ok(iruka.post("/api/shelters/LF-001/movements", json=body), 201)


def test_a_transfer_to_a_classified_shelter_names_only_the_end_one_may_know(world: FastAPI) -> None:
    office, iruka = signed_in(world), signed_in(world, "volunteer")
    ok(office.post("/api/shelters/LF-001/movements",
                   json={"kind": "transfer", "sku": "FOOD-RICE", "quantity": "1", "to_shelter": "LF-002"}), 201)
    [seen] = [m for m in ok(iruka.get("/api/shelters/LF-001/history")) if m["kind"] == "transfer"]
    assert (seen["shelter"], seen["to_shelter"]) == ("LF-001", "classified")
    assert {lot["shelter"] for lot in seen["lots"]} == {"LF-001"} and seen["quantity"] == -1
    [whole] = [m for m in ok(office.get("/api/shelters/LF-001/history")) if m["kind"] == "transfer"]
    assert whole["to_shelter"] == "LF-002"


def test_a_plan_made_by_logistics_never_visits_a_shelter_above_their_clearance(world: FastAPI) -> None:
    kakashi = signed_in(world, "logistics")  # clearance 4: everything but LF-003
    plan = ok(kakashi.post("/api/plans", json={"from": "2026-06-01", "days": 7, "volunteers": ["kakashi"],
                                               "time_limit": 2}))
    assert plan["runs"] and "LF-003" not in str(plan)


def test_signing_in_sets_the_session_cookie_and_signing_out_ends_it(world: FastAPI) -> None:
    set_account(world.state.db, "iruka", "volunteer", "summer-break")
    browser = anonymous(world)
    signed = browser.post("/api/session", json={"handle": "iruka", "password": "summer-break"})
    me = ok(signed)
    assert (me["handle"], me["role"], me["clearance"]) == ("iruka", "volunteer", 2) and me["expires_at"]
    assert "httponly" in signed.headers["set-cookie"].lower() and "samesite=lax" in signed.headers["set-cookie"].lower()
    cookie = browser.cookies.get("refuge_session")
    assert ok(browser.get("/api/me"))["handle"] == "iruka"
    assert [s["code"] for s in ok(browser.get("/api/shelters"))] == ["LF-001"]
    assert browser.delete("/api/session").status_code == 204
    assert browser.get("/api/me").status_code == 401
    replayed = anonymous(world)
    replayed.cookies.set("refuge_session", cookie)
    assert replayed.get("/api/me").status_code == 401


def test_a_wrong_password_and_an_unknown_handle_are_refused_alike(world: FastAPI) -> None:
    set_account(world.state.db, "iruka", "volunteer", "summer-break")
    browser = anonymous(world)
    wrong = browser.post("/api/session", json={"handle": "iruka", "password": "winter-break"})
    nobody = browser.post("/api/session", json={"handle": "orochimaru", "password": "summer-break"})
    assert wrong.status_code == nobody.status_code == 401 and wrong.json() == nobody.json()
    assert "set-cookie" not in wrong.headers and browser.get("/api/me").status_code == 401


def test_me_says_who_is_signed_in_and_what_their_role_may_do(world: FastAPI) -> None:
    me = ok(signed_in(world, "field").get("/api/me"))
    assert (me["handle"], me["name"], me["role"], me["clearance"], me["expires_at"]) == (
        "naruto", "Naruto Uzumaki", "field", 1, None)
    assert "navigate" in me["permissions"] and "record-stock" not in me["permissions"]


def test_a_volunteer_records_only_their_own_work_and_is_named_when_they_do(world: FastAPI) -> None:
    iruka = signed_in(world, "volunteer")
    body = {"kind": "restock", "sku": "FOOD-RICE", "quantity": "2"}
    recorded = ok(iruka.post("/api/shelters/LF-001/movements", json=body), 201)
    assert recorded["movement"]["by"] == "iruka"
    assert ok(iruka.post("/api/shelters/LF-001/movements", json={**body, "by": "Iruka Umino"}), 201)
    refused = iruka.post("/api/shelters/LF-001/movements", json={**body, "by": "kakashi"})
    assert refused.status_code == 403 and "only their own work" in refused.json()["detail"]
    office = ok(signed_in(world).post("/api/shelters/LF-001/movements", json={**body, "by": "kakashi"}), 201)
    assert office["movement"]["by"] == "kakashi"
