"""The web app in headless Chromium (Debian's, driven by Playwright): what a person clicks and sees.

Run alone with `pytest -m browser`. `make test` installs Chromium when it is missing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from refuge.domain.missions import parse_schedule
from refuge.domain.values import utc_now
from refuge.services import ledger
from refuge.services import missions as desk
from tests.e2e.web_server import CHROMIUM, Server, demo_database

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
WAIT_MS = int(os.environ.get("REFUGE_TEST_WAIT_MS", "300000"))  # generous: the machine may be busy; nothing here measures time


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing; `make browser` installs it")
    folder = tmp_path_factory.mktemp("web")
    running = Server(demo_database(folder / "demo.db"), folder).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[object]:
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def sign_in(page, handle: str = "tsunade", wanted: str = "/") -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form, as a person does: asking for a page first sends one to the form."""
    page.goto(wanted)
    page.wait_for_url("**/signin**")
    page.fill("input[name=handle]", handle)
    page.fill("input[name=password]", f"{handle}-demo")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("form.signout")
    assert page.url.endswith(wanted)


def new_page(browser, server: Server, handle: str = "tsunade", width: int = 1280, height: int = 800):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=server.url)
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    sign_in(opened, handle)
    return context, opened


@pytest.fixture
def page(browser, server: Server):  # type: ignore[no-untyped-def]
    """A desk-sized page signed in as the office (Tsunade, admin)."""
    context, opened = new_page(browser, server)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page's scripts failed: {errors}"


def test_signing_in_with_a_wrong_password_keeps_the_handle_and_signing_out_ends_it(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto("/network")
    page.wait_for_url("**/signin?next=/network")
    page.fill("input[name=handle]", "shizune")
    page.fill("input[name=password]", "wrong")
    page.click("button:has-text('Sign in')")
    assert "the handle or the password is not right" in page.locator(".signin .error").inner_text()
    assert page.input_value("input[name=handle]") == "shizune" and page.input_value("input[name=password]") == ""
    page.fill("input[name=password]", "shizune-demo")
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/network")
    assert page.locator(".who").inner_text() == "Shizune · logistics"
    page.click("form.signout button")
    page.wait_for_url("**/signin")
    page.goto("/")
    page.wait_for_url("**/signin")
    context.close()


def test_a_field_user_cannot_find_a_classified_shelter(browser, server) -> None:  # type: ignore[no-untyped-def]
    """By list, map, search, URL or API: Lotus Isle Hut (LF-036, classified 3) does not exist for Naruto (1)."""
    context, page = new_page(browser, server, "naruto")
    page.goto("/")
    page.wait_for_selector(".shelter-marker")
    assert page.locator(".shelter-marker").count() == 16 and page.locator(".shelter-LF-036").count() == 0
    assert [a.inner_text() for a in page.locator("#nav a").all()] == ["Dashboard", "Network", "Field"]
    page.goto("/network")
    page.wait_for_selector(".shelter-row")
    assert page.locator(".shelter-row").count() == 16 and "LF-036" not in page.locator("#shelter-table").inner_text()
    page.fill("input[name=q]", "lotus")
    page.wait_for_selector("#shelter-count:text-is('0 of 16 shelters')")
    assert page.locator(".shelter-row").count() == 0
    answer = page.goto("/shelters/LF-036")
    assert answer.status == 404 and page.locator("h1").inner_text() == "Not found"
    assert page.request.get("/api/shelters/LF-036").status == 404
    assert page.request.get("/api/shelters/LF-001").status == 200, "the session signs the API in"
    assert page.goto("/plans").status == 403 and page.locator("h1").inner_text() == "Not for your role"
    context.close()


def test_the_map_shows_the_shelters(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.wait_for_selector(".shelter-marker")
    assert page.locator(".shelter-marker").count() == 40
    assert page.locator(".leaflet-image-layer").get_attribute("src").startswith("/map/terrain.png")
    assert page.locator(".shelter-marker.level-red").count() > 0


def test_opening_a_shelter_and_recording_a_consumption_changes_the_balance_and_the_chart(page, server) -> None:  # type: ignore[no-untyped-def]
    line = next(line for line in ledger.stock(server.db, "LF-003").lines if line.usable >= 2)
    sku = line.item.sku
    page.goto("/")
    page.locator(".shelter-LF-003").click()
    page.locator(".leaflet-popup a.popup-link").click()
    page.wait_for_url("**/shelters/LF-003")
    page.locator(f'#stock tr[data-sku="{sku}"] a').click()
    page.wait_for_selector(f'#charts[data-sku="{sku}"] .chart-history')
    chart_before = page.locator(".chart-history").get_attribute("data-last")
    form = page.locator("#form-consume")
    form.locator("select[name=sku]").select_option(sku)
    form.locator("input[name=quantity]").fill("1")
    form.locator("button").click()
    expected = f"{line.usable - 1:f}"
    page.wait_for_selector(f'#stock tr[data-sku="{sku}"] td.usable:text-is("{expected}")')
    page.wait_for_selector(f'#charts[data-sku="{sku}"] .chart-history[data-last="{expected}"]')
    assert chart_before == f"{line.usable:f}"
    assert page.locator("#form-consume .ok").inner_text().startswith("Record consumption: 1 of")


def test_a_bad_quantity_shows_an_error_and_changes_nothing(page, server) -> None:  # type: ignore[no-untyped-def]
    line = next(line for line in ledger.stock(server.db, "LF-005").lines if line.usable >= 1)
    page.goto("/shelters/LF-005")
    form = page.locator("#form-consume")
    form.locator("select[name=sku]").select_option(line.item.sku)
    form.locator("input[name=quantity]").fill("two")
    form.locator("button").click()
    error = page.locator('#form-consume .field-error[data-field="quantity"]')
    error.wait_for()
    assert "quantity must be a number" in error.inner_text()
    assert page.locator("#form-consume input[name=quantity]").input_value() == "two"
    assert page.locator(f'#stock tr[data-sku="{line.item.sku}"] td.usable').inner_text() == f"{line.usable:f}"
    assert next(x for x in ledger.stock(server.db, "LF-005").lines if x.item.sku == line.item.sku).usable == line.usable


def test_the_nearest_shelter_from_a_clicked_point(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/field")
    page.wait_for_selector(".shelter-marker")
    page.fill("input[name=chakra]", "0")
    page.select_option("select[name=profile]", "walking")  # the profile whose route trees the server keeps warm
    page.check("input[name=need][value=first-aid]")
    # Iron Pine (LF-022) stands at 53 km east, 47 km north; click two kilometres south of it.
    page.locator("#map").scroll_into_view_if_needed()
    point = page.evaluate("() => { const m = Refuge.maps.map.map; const p = m.latLngToContainerPoint([45000, 53000]);"
                          " const r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }")
    page.mouse.click(*point)
    assert re.match(r"\d+,\d+", page.input_value("input[name=at]")), "the click gave the position"
    page.wait_for_selector(".destination")
    assert page.locator(".destination").first.get_attribute("data-code") == "LF-022"
    assert page.locator("path.route-line").count() == page.locator(".destination").count()
    assert page.locator(".here-marker").count() == 1


def test_planned_runs_are_drawn_on_the_map_and_accepted(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/plans")
    page.wait_for_selector(".shelter-marker")
    page.fill("input[name=days]", "7")
    page.fill("input[name=time_limit]", "2")
    page.check("input[name=volunteers][value=kakashi]")
    page.check("input[name=volunteers][value=guy]")
    page.click("text=Plan runs")
    page.wait_for_selector("#plan-job h2:has-text('run(s) from')")
    runs = page.locator(".proposed-run").count()
    assert runs > 0 and page.locator("path.run-line").count() == runs
    page.click("text=Accept the plan")
    page.wait_for_selector("#plan-accepted")
    page.wait_for_selector(".accepted-run")
    assert page.locator(".accepted-run").count() == runs
    assert page.locator("a:has-text('Print run sheets')").get_attribute("href").endswith("/sheets.pdf")


def test_an_overdue_alert_appears_and_is_acknowledged(page, server) -> None:  # type: ignore[no-untyped-def]
    now = utc_now()
    made = desk.create(server.db, "Watch the eastern pass", "C", leader="genma", schedule=parse_schedule("every 1h", 0),
                       start=now - timedelta(hours=3))
    desk.start(server.db, made.code, at=now - timedelta(hours=3))
    page.goto("/desk")
    alert = page.locator(f"#alerts li.alert-item.open:has(a[href='/missions/{made.code}'])")
    alert.wait_for()  # the server's scan raises it, and the desk's polling shows it
    alert.locator("button.ack").click()
    done = page.locator(f"#alerts li.alert-item.closed:has(a[href='/missions/{made.code}']) .acknowledged")
    done.wait_for()
    assert "acknowledged by tsunade" in done.inner_text()
    assert not [a for a in desk.alerts(server.db, open_only=True) if a.mission == made.code]


def test_on_a_phone_the_menu_folds_and_the_map_fills_the_width(browser, server) -> None:  # type: ignore[no-untyped-def]
    context, phone = new_page(browser, server, width=390, height=844)
    phone.goto("/")
    phone.wait_for_selector(".shelter-marker")
    assert not phone.locator("#nav").is_visible()
    phone.click("button.menu")
    assert phone.locator("#nav a:has-text('Network')").is_visible()
    width = phone.evaluate("() => document.getElementById('map').getBoundingClientRect().width")
    assert width > 330
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390, "nothing spills sideways"
    phone.goto("/shelters/LF-004")
    phone.wait_for_selector("#charts svg")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390, "wide tables scroll in their card"
    context.close()




def test_printing_hides_the_navigation_and_shows_the_whole_map(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.wait_for_selector(".shelter-marker")
    page.evaluate("() => Refuge.maps.map.map.setView([45000, 60000], -3)")  # zoomed in, as one might be
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert not page.locator("header.top").is_visible() and page.locator("#map").is_visible()
    assert page.evaluate("() => Refuge.maps.map.map.getBounds().pad(0.01).contains(L.latLngBounds(Refuge.maps.map.data.bounds))")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.dot.red')).printColorAdjust") == "exact"
