"""The web pages through FastAPI's test client: what each shows, and how its forms refuse."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from refuge.services import ledger
from refuge.services import missions as desk
from refuge.store.database import Database
from refuge.web import templating

HX = {"HX-Request": "true"}


def map_of(html: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r"data-map='([^']*)'", html)
    assert found, "the page has no map"
    return json.loads(found.group(1).replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">"))


def usable(db: Database, code: str, sku: str) -> Decimal:
    return next(line.usable for line in ledger.stock(db, code).lines if line.item.sku == sku)


def held_item(db: Database, code: str) -> tuple[str, Decimal]:
    line = next(line for line in ledger.stock(db, code).lines if line.usable >= 2)
    return line.item.sku, line.usable


def test_the_front_page_is_the_dashboard_and_the_api_docs_stay_at_docs(pages: TestClient, visitor: TestClient) -> None:
    page = pages.get("/")
    assert page.status_code == 200 and "The network at a glance" in page.text
    assert "swagger" in pages.get("/docs").text.lower()
    assert pages.get("/api/shelters").status_code == 200, "the session cookie signs the page's own fetches in"
    assert visitor.get("/api/shelters").status_code == 401, "the API answers nobody with 401, not a redirect"


def test_the_dashboard_maps_every_shelter_by_readiness_beside_alerts_and_figures(pages: TestClient) -> None:
    page = pages.get("/").text
    drawn = map_of(page)
    assert len(drawn["shelters"]) == 40
    assert {s["level"] for s in drawn["shelters"]} == {"green", "amber", "red"}
    assert drawn["bounds"] == [[0.0, 0.0], [90000.0, 120000.0]]
    assert "Open alerts" in page and 'href="/missions/M-' in page
    assert '<strong>40</strong><span>shelters</span>' in page
    assert 'href="/api/readiness"' in page, "the page links to its JSON twin"


def test_the_terrain_picture_has_a_pixel_for_each_cell(pages: TestClient) -> None:
    answer = pages.get("/map/terrain.png")
    assert answer.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(answer.content)).size == (1200, 900)


def test_the_network_filters_by_readiness(pages: TestClient) -> None:
    page = pages.get("/network", params={"level": "red"}).text
    rows = re.findall(r'<tr class="shelter-row">.*?</tr>', page, re.S)
    assert rows and all('<span class="dot red">' in row for row in rows)
    assert len(rows) < 40


def test_the_network_filters_by_a_category_short_and_defences_overdue(pages: TestClient) -> None:
    short = pages.get("/network", params={"short": "first-aid"}, headers=HX).text
    assert all("first-aid" in row for row in re.findall(r'<tr class="shelter-row">.*?</tr>', short, re.S))
    overdue = pages.get("/network", params={"overdue": "1"}, headers=HX).text
    counts = re.findall(r'data-label="Defences overdue">(\S+)</td>', overdue)
    assert counts and "—" not in counts


def test_an_htmx_search_answers_the_table_alone(pages: TestClient) -> None:
    answer = pages.get("/network", params={"q": "lotus"}, headers=HX).text
    assert "<html" not in answer and answer.lstrip().startswith('<section id="shelter-table"')
    assert "LF-036" in answer and "1 of 40 shelters" in answer


def test_a_shelter_page_shows_stock_by_category_lots_defences_and_its_json_twins(pages: TestClient) -> None:
    page = pages.get("/shelters/lf-004").text
    assert "LF-004 · Snow Pass Hut" in page
    assert '<tr class="category"><th colspan="5">first-aid</th></tr>' in page
    assert "× no expiry" in page and "W1" in page
    assert 'href="/api/shelters/LF-004/stock"' in page


def test_the_charts_are_svg_drawn_on_the_server(pages: TestClient, demo_db: Database) -> None:
    sku, held = held_item(demo_db, "LF-001")
    fragment = pages.get("/shelters/LF-001/charts", params={"sku": sku}).text
    assert fragment.count("<svg") == 2
    assert f'class="chart-history" role="img"' in fragment and f'data-last="{held:f}"' in fragment
    assert 'class="chart-forecast"' in fragment


def test_an_unknown_shelter_is_a_404_page_not_json(pages: TestClient) -> None:
    answer = pages.get("/shelters/LF-999")
    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"] and "unknown shelter" in answer.text


def test_a_consumption_from_the_form_updates_the_stock_and_redraws_the_charts(pages: TestClient,
                                                                              demo_db: Database) -> None:
    sku, before = held_item(demo_db, "LF-001")
    answer = pages.post("/shelters/LF-001/movements", headers=HX,
                        data={"kind": "consume", "sku": sku, "quantity": "1", "note": "used on patrol", "key": "k1"})
    assert answer.status_code == 200
    assert usable(demo_db, "LF-001", sku) == before - 1
    assert 'id="stock" hx-swap-oob="true"' in answer.text
    assert re.search(rf'data-sku="{sku}".*?<td class="num usable">{before - 1:f}</td>', answer.text, re.S)
    assert f"/shelters/LF-001/charts?sku={sku}" in answer.text
    assert ledger.history(demo_db, "LF-001", sku, 1)[0].by == "tsunade"


def test_a_bad_quantity_is_refused_beside_the_field_keeping_what_was_typed(pages: TestClient,
                                                                           demo_db: Database) -> None:
    sku, before = held_item(demo_db, "LF-001")
    movements = len(ledger.history(demo_db, "LF-001"))
    answer = pages.post("/shelters/LF-001/movements", headers=HX,
                        data={"kind": "consume", "sku": sku, "quantity": "-3", "note": "oops"})
    assert answer.status_code == 422
    assert re.search(r'data-field="quantity">quantity must be a positive number', answer.text)
    assert 'value="-3"' in answer.text and 'value="oops"' in answer.text
    assert f'<option value="{sku}" selected>' in answer.text
    assert 'hx-swap-oob' not in answer.text, "the stock is not redrawn"
    assert (len(ledger.history(demo_db, "LF-001")), usable(demo_db, "LF-001", sku)) == (movements, before)


def test_consuming_more_than_the_shelter_holds_is_refused_beside_the_quantity(pages: TestClient,
                                                                              demo_db: Database) -> None:
    sku, before = held_item(demo_db, "LF-001")
    answer = pages.post("/shelters/LF-001/movements", headers=HX,
                        data={"kind": "consume", "sku": sku, "quantity": str(before + 5)})
    assert answer.status_code == 422
    assert re.search(r'data-field="quantity">shelter LF-001 has only', answer.text)
    assert usable(demo_db, "LF-001", sku) == before


def test_a_restock_with_a_bad_expiry_is_refused_beside_the_date(pages: TestClient, demo_db: Database) -> None:
    sku, before = held_item(demo_db, "LF-001")
    answer = pages.post("/shelters/LF-001/movements",
                        data={"kind": "restock", "sku": sku, "quantity": "4", "expires": "2027-02-30"})
    assert answer.status_code == 422 and "<html" in answer.text, "without HTMX the whole page comes back"
    assert re.search(r'data-field="expires">expiry date &#39;2027-02-30&#39; is not a valid date', answer.text)
    assert 'value="2027-02-30"' in answer.text
    assert usable(demo_db, "LF-001", sku) == before


def test_a_stocktake_records_the_count(pages: TestClient, demo_db: Database) -> None:
    sku, _before = held_item(demo_db, "LF-002")
    answer = pages.post("/shelters/LF-002/movements", headers=HX, data={"kind": "count", "sku": sku, "quantity": "0"})
    assert answer.status_code == 200 and "Stocktake: 0 of" in answer.text
    assert usable(demo_db, "LF-002", sku) == 0


def test_the_same_form_sent_twice_records_once(pages: TestClient, demo_db: Database) -> None:
    sku, before = held_item(demo_db, "LF-001")
    form = {"kind": "consume", "sku": sku, "quantity": "1", "key": "same-form"}
    assert [pages.post("/shelters/LF-001/movements", headers=HX, data=form).status_code for _ in range(2)] == [200, 200]
    assert usable(demo_db, "LF-001", sku) == before - 1


def test_the_field_page_answers_the_nearest_shelters_with_their_routes(pages: TestClient) -> None:
    assert len(map_of(pages.get("/field").text)["shelters"]) == 37, "active shelters only"
    answer = pages.get("/field/nearest", headers=HX, params={"at": "F5 2851", "need": "first-aid", "chakra": "0"})
    assert answer.status_code == 200
    codes = re.findall(r'class="destination" data-code="(LF-\d+)"', answer.text)
    assert codes and codes[0] == "LF-022"
    overlay = json.loads(re.search(r"data-overlay='([^']*)'", answer.text).group(1).replace("&#34;", '"'))
    assert len(overlay["routes"]) == len(codes) and overlay["point"]["label"] == "F5 2851"


def test_the_field_page_says_when_the_asker_stands_on_water_without_chakra_to_leave_it(pages: TestClient) -> None:
    answer = pages.get("/field/nearest", headers=HX, params={"at": "K6 1386", "chakra": "0"})  # in the lake
    assert answer.status_code == 200 and 'class="on-water">You are on water (lake)' in answer.text
    assert not re.findall(r'class="destination"', answer.text)
    odd = pages.get("/field/nearest", headers=HX, params={"at": "K6 1386", "chakra": "nan"})
    assert odd.status_code == 422
    assert 'data-field="chakra">chakra must be a finite number of points, not nan' in odd.text


def test_a_position_off_the_map_is_refused_beside_the_position(pages: TestClient) -> None:
    answer = pages.get("/field/nearest", headers=HX, params={"at": "500000,5", "chakra": "lots"})
    assert answer.status_code == 422
    assert 'data-field="chakra">chakra must be a number' in answer.text and 'value="lots"' in answer.text
    off = pages.get("/field/nearest", headers=HX, params={"at": "500000,5", "chakra": "0"})
    assert 'data-field="at">' in off.text and "off the map" in off.text and 'value="500000,5"' in off.text


def test_my_field_map_is_a_pdf(pages: TestClient) -> None:
    answer = pages.get("/field/map.pdf")
    assert answer.headers["content-type"] == "application/pdf" and answer.content.startswith(b"%PDF")


def test_the_desk_shows_the_board_and_acknowledges_an_alert_once(pages: TestClient, demo_db: Database) -> None:
    board = pages.get("/desk").text
    assert 'data-status="under-way"' in board and "Overdue alerts" in board
    alert = next(a for a in desk.alerts(demo_db, open_only=True))
    answer = pages.post(f"/desk/alerts/{alert.id}/ack", headers=HX)
    assert f'data-alert="{alert.id}"' in answer.text and "acknowledged by tsunade" in answer.text
    assert not next(a for a in desk.alerts(demo_db) if a.id == alert.id).open
    assert pages.post("/desk/alerts/99999/ack").status_code == 404


def test_a_check_in_without_a_person_keeps_the_message_and_writes_nothing(pages: TestClient,
                                                                           demo_db: Database) -> None:
    view = next(v for v in desk.missions(demo_db) if v.mission.status.value == "under-way")
    code = view.mission.code
    answer = pages.post(f"/missions/{code}/checkins", headers=HX, data={"person": "", "message": "all quiet"})
    assert answer.status_code == 422 and 'data-field="person"' in answer.text and 'value="all quiet"' in answer.text
    assert len(desk.show(demo_db, code).checkins) == len(view.checkins)
    done = pages.post(f"/missions/{code}/checkins", headers=HX,
                      data={"person": view.mission.leader, "status": "safe", "message": "all quiet"})
    assert done.status_code == 200 and "“all quiet”" in done.text
    assert len(desk.show(demo_db, code).checkins) == len(view.checkins) + 1


def test_the_mission_page_and_roster(pages: TestClient) -> None:
    assert "Check-ins" in pages.get("/missions/M-0216").text
    assert pages.get("/missions/M-9999").status_code == 404
    roster = pages.get("/people").text
    assert roster.count('class="person-row"') == 30 and "Shizune" in roster


def test_the_emergency_form_refuses_an_unknown_person_beside_the_field(pages: TestClient) -> None:
    answer = pages.post("/desk/emergency", headers=HX, data={"skill": "medic", "place": "Otafuku Town",
                                                               "person": "nobody", "classification": "1"})
    assert answer.status_code == 422 and 'data-field="person">unknown person' in answer.text
    assert 'value="Otafuku Town"' in answer.text


def test_the_plan_form_refuses_without_volunteers_and_starts_nothing(pages: TestClient) -> None:
    answer = pages.post("/plans", headers=HX, data={"days": "0", "capacity": "20", "hours": "8", "time_limit": "5"})
    assert answer.status_code == 422
    assert 'data-field="volunteers">choose at least one volunteer' in answer.text
    assert 'data-field="days">days must be from 1 to 365' in answer.text
    assert 'id="plan-job"' not in answer.text
    assert pages.get("/plans/jobs/nothing").status_code == 404


def test_a_viewer_sees_only_the_shelters_they_are_cleared_for(pages_as) -> None:  # type: ignore[no-untyped-def]
    pages = pages_as("desk")  # Shikaku, clearance 4: not cleared for the Sleeping Dragon (LF-028)
    codes = {s["code"] for s in map_of(pages.get("/").text)["shelters"]}
    assert "LF-028" not in codes and "LF-001" in codes and len(codes) == 39
    assert pages.get("/shelters/LF-028").status_code == 404
    assert "0 of 39 shelters" in pages.get("/network", params={"q": "sleeping dragon"}, headers=HX).text
    assert "Shikaku Nara" in pages.get("/network").text
    refused = pages.post("/desk/emergency", headers=HX, data={"skill": "medic", "place": "LF-028", "person": "kiba"})
    assert refused.status_code == 422 and "Sleeping Dragon" not in refused.text


def test_pages_refuse_with_a_clear_message_without_the_vendored_scripts(pages: TestClient, tmp_path,  # type: ignore[no-untyped-def]
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "VENDOR", tmp_path)
    answer = pages.get("/")
    assert answer.status_code == 503 and "make vendor" in answer.text
    assert pages.get("/api/shelters").status_code == 200, "the JSON API does not need them"


def test_a_refusal_inside_a_page_answers_the_message_alone(pages: TestClient) -> None:
    answer = pages.get("/shelters/LF-999/charts", headers=HX)
    assert answer.status_code == 404
    assert "<html" not in answer.text and "unknown shelter" in answer.text
