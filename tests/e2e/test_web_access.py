"""The web app's sign-in, roles and clearance through FastAPI's test client over the demo's sign-ins."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from refuge.services import ledger
from refuge.services import missions as desk
from refuge.store.database import Database
from tests.e2e.test_web_pages import HX, held_item, map_of

PagesAs = Callable[[str], TestClient]
HIDDEN = "LF-036"  # Lotus Isle Hut, the island hut: classified 3, above Naruto's clearance of 1


def nav_links(html: str) -> list[str]:
    found = re.search(r'<nav id="nav" class="nav">(.*?)</nav>', html, re.S)
    assert found, "the page has no navigation"
    return re.findall(r'<a href="([^"]+)"', found.group(1))


def test_nobody_signed_in_is_sent_to_the_sign_in_page_and_back(visitor: TestClient) -> None:
    for path in ("/", "/network?level=red", f"/shelters/{HIDDEN}", "/field", "/plans", "/desk", "/people",
                 "/map/terrain.png"):
        answer = visitor.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/signin"), path
    assert visitor.get("/network?level=red", follow_redirects=False).headers["location"] == \
        "/signin?next=/network%3Flevel%3Dred"
    assert visitor.get("/", follow_redirects=False).headers["location"] == "/signin"
    fragment = visitor.get("/desk/alerts", headers={**HX, "HX-Current-URL": "http://testserver/desk"})
    assert fragment.status_code == 204 and fragment.headers["HX-Redirect"] == "/signin?next=/desk"
    form = visitor.get("/signin", params={"next": "/network"})
    assert form.status_code == 200 and 'name="next" value="/network"' in form.text
    assert 'id="nav"' not in form.text and "Sign out" not in form.text
    assert visitor.get("/static/app.css").status_code == 200, "static files need no sign-in"
    assert visitor.post("/shelters/LF-001/movements", data={"kind": "consume"}, follow_redirects=False).status_code == 303


def test_a_wrong_password_is_refused_beside_the_form_keeping_the_handle(visitor: TestClient) -> None:
    answer = visitor.post("/signin", data={"handle": "iruka", "password": "not-it", "next": "/plans"},
                          follow_redirects=False)
    assert answer.status_code == 401 and "refuge_session" not in visitor.cookies
    assert re.search(r'role="alert" data-field="form">the handle or the password is not right', answer.text)
    assert 'value="iruka"' in answer.text and "not-it" not in answer.text
    assert 'name="next" value="/plans"' in answer.text
    nobody = visitor.post("/signin", data={"handle": "nobody", "password": "not-it"}, follow_redirects=False)
    assert nobody.status_code == 401 and "the handle or the password is not right" in nobody.text, "told alike"


def test_signing_in_goes_to_the_page_asked_for_and_signing_out_ends_the_session(visitor: TestClient) -> None:
    answer = visitor.post("/signin", data={"handle": "shizune", "password": "shizune-demo", "next": "/network?q=lotus"},
                          follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/network?q=lotus"
    token = visitor.cookies["refuge_session"]
    page = visitor.get("/network").text
    assert re.search(r'class="who"[^>]*>Shizune · <span class="role">logistics</span>', page)
    assert '<form class="signout" method="post" action="/signout">' in page
    assert visitor.get("/signin", follow_redirects=False).headers["location"] == "/", "already signed in"
    out = visitor.post("/signout", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/signin"
    assert "refuge_session" not in visitor.cookies
    assert visitor.get("/network", follow_redirects=False).status_code == 303
    visitor.cookies.set("refuge_session", token)
    assert visitor.get("/network", follow_redirects=False).status_code == 303, "the session is ended, not just forgotten"
    assert visitor.get("/api/me").status_code == 401


def test_signing_in_never_sends_the_browser_to_another_site(visitor: TestClient) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"):
        answer = visitor.post("/signin", data={"handle": "iruka", "password": "iruka-demo", "next": target},
                              follow_redirects=False)
        assert answer.headers["location"] == "/", target


def test_a_field_user_cannot_find_a_classified_shelter_anywhere(pages_as: PagesAs) -> None:
    field = pages_as("field")
    unknown = field.get("/shelters/LF-999")
    hidden = field.get(f"/shelters/{HIDDEN}")
    assert hidden.status_code == unknown.status_code == 404 and "<h1>Not found</h1>" in hidden.text
    assert hidden.text.replace(HIDDEN, "LF-999") == unknown.text, "the same page as a code nobody uses"
    assert field.get(f"/shelters/{HIDDEN}/charts", headers=HX).status_code == 404
    network = field.get("/network").text
    assert HIDDEN not in network and "Lotus Isle" not in network and "16 of 16 shelters" in network
    assert "0 of 16 shelters" in field.get("/network", params={"q": "lotus"}, headers=HX).text
    dashboard = field.get("/").text
    codes = {s["code"] for s in map_of(dashboard)["shelters"]}
    assert len(codes) == 16 and HIDDEN not in codes and "LF-001" in codes
    assert "<strong>16</strong><span>shelters</span>" in dashboard
    assert HIDDEN not in {s["code"] for s in map_of(field.get("/field").text)["shelters"]}
    assert field.get(f"/api/shelters/{HIDDEN}").status_code == 404, "the page's own fetches are held to it too"


def test_the_office_sees_the_classified_shelter(pages: TestClient) -> None:
    assert pages.get(f"/shelters/{HIDDEN}").status_code == 200
    assert "1 of 40 shelters" in pages.get("/network", params={"q": "lotus"}, headers=HX).text


def test_each_role_is_shown_only_the_pages_it_may_use(pages_as: PagesAs) -> None:
    expected = {"admin": ["/", "/network", "/field", "/plans", "/desk", "/people"],
                "logistics": ["/", "/network", "/field", "/plans", "/people"],
                "volunteer": ["/", "/network", "/field", "/plans"],
                "field": ["/", "/network", "/field"],
                "desk": ["/", "/network", "/field", "/desk", "/people"]}
    for role, links in expected.items():
        assert nav_links(pages_as(role).get("/").text) == links, role


def test_a_page_outside_the_role_answers_a_friendly_403(pages_as: PagesAs) -> None:
    field = pages_as("field")
    for path in ("/plans", "/desk", "/desk/emergency", "/people"):
        answer = field.get(path)
        assert answer.status_code == 403 and "<h1>Not for your role</h1>" in answer.text, path
        assert "naruto signs in as field, which may not" in answer.text and 'id="nav"' in answer.text
    assert "Open alerts" in field.get("/").text and "Go to the mission desk" not in field.get("/").text


def test_a_volunteer_sees_the_accepted_runs_but_may_not_plan(pages_as: PagesAs) -> None:
    volunteer = pages_as("volunteer")
    page = volunteer.get("/plans")
    assert page.status_code == 200 and 'id="accepted-runs"' in page.text
    assert "Plan runs" not in page.text and 'action="/plans"' not in page.text, "no planning form"
    refused = volunteer.post("/plans", data={"days": "7", "volunteers": "iruka"})
    assert refused.status_code == 403 and "iruka signs in as volunteer, which may not plan resupply" in refused.text
    assert "Open alerts" not in volunteer.get("/").text, "no missions for a role that keeps none"


def test_the_ledger_forms_are_shown_only_to_roles_that_record_stock(pages_as: PagesAs, demo_db: Database) -> None:
    assert 'id="ledger-forms"' in pages_as("volunteer").get("/shelters/LF-001").text
    field = pages_as("field")
    assert 'id="ledger-forms"' not in field.get("/shelters/LF-001").text
    sku, before = held_item(demo_db, "LF-001")
    refused = field.post("/shelters/LF-001/movements", headers=HX, data={"kind": "consume", "sku": sku, "quantity": "1"})
    assert refused.status_code == 403
    assert next(x.usable for x in ledger.stock(demo_db, "LF-001").lines if x.item.sku == sku) == before


def test_a_field_user_checks_in_only_as_themselves(pages_as: PagesAs, demo_db: Database) -> None:
    field = pages_as("field")
    other = field.get("/missions/M-0215").text
    assert "Check-ins" in other and "Take a check-in" not in other, "naruto is not on this mission's team"
    own = field.get("/missions/M-0216").text  # Kakashi, Naruto and Sakura
    choices = re.search(r'<select name="person".*?</select>', own, re.S).group(0)
    assert 'value="naruto"' in choices and 'value="kakashi"' not in choices
    before = len(desk.show(demo_db, "M-0216").checkins)
    refused = field.post("/missions/M-0216/checkins", headers=HX, data={"person": "kakashi", "message": "fine"})
    assert refused.status_code == 422 and "you may record only your own check-in" in refused.text
    done = field.post("/missions/M-0216/checkins", headers=HX, data={"person": "naruto", "status": "safe"})
    assert done.status_code == 200
    assert len(desk.show(demo_db, "M-0216").checkins) == before + 1
