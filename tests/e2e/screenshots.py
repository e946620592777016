"""Screenshots of the main pages at desk (1280×800) and phone (390×844) sizes, for docs/screenshots/.

The sign-in form first; then the pages as the office (Tsunade, admin) sees them, and the dashboard and
network as a field user (Naruto, clearance 1) sees them.

    make screenshots            # or: python -m tests.e2e.screenshots [OUT_FOLDER]

Serves the demo on a free local port and drives Debian's Chromium headless through Playwright.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.e2e.web_server import CHROMIUM, Server, demo_database

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"desk": (1280, 800), "phone": (390, 844)}


def _field(page: Page) -> None:
    page.fill("input[name=at]", "F5 2851")
    page.fill("input[name=chakra]", "0")
    page.check("input[name=need][value=first-aid]")
    page.click("text=Find the nearest")
    page.wait_for_selector(".destination")


def _plan(page: Page) -> None:
    page.fill("input[name=days]", "7")
    page.fill("input[name=time_limit]", "2")
    page.check("input[name=volunteers][value=kakashi]")
    page.check("input[name=volunteers][value=guy]")
    page.click("text=Plan runs")
    page.wait_for_selector("#plan-job h2:has-text('run(s) from')")


def _shelter(page: Page) -> None:
    page.wait_for_selector("#charts svg")


def sign_in(page: Page, handle: str) -> None:
    page.goto("/signin")
    page.fill("input[name=handle]", handle)
    page.fill("input[name=password]", f"{handle}-demo")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("form.signout")


#: name -> (path, what to do before the picture)
PAGES = {"dashboard": ("/", None), "network": ("/network", None), "shelter": ("/shelters/LF-004", _shelter),
         "field": ("/field", _field), "plans": ("/plans", _plan), "desk": ("/desk", None),
         "mission": ("/missions/M-0216", None)}
#: What a field user (Naruto, clearance 1) sees: name -> path.
FIELD_PAGES = {"field-user-dashboard": "/", "field-user-network": "/network"}


def _shoot(page: Page, path: str, prepare, target: Path) -> Path:  # type: ignore[no-untyped-def]
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if prepare:
        prepare(page)
    page.wait_for_timeout(500)  # let Leaflet finish drawing tiles of the overlay
    page.screenshot(path=str(target))
    return target


def take(out: Path) -> list[Path]:
    """Serve the demo and photograph every page at every size; answer the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        server = Server(demo_database(Path(folder) / "demo.db"), Path(folder), overdue_interval=0).start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for size, (width, height) in SIZES.items():
                    for handle, shots in (("tsunade", PAGES), ("naruto", {k: (v, None) for k, v in FIELD_PAGES.items()})):
                        context = browser.new_context(viewport={"width": width, "height": height}, base_url=server.url)
                        page = context.new_page()
                        page.set_default_timeout(300_000)
                        if handle == "tsunade":
                            written.append(_shoot(page, "/signin", None, out / f"signin-{size}.png"))
                        sign_in(page, handle)
                        for name, (path, prepare) in shots.items():
                            written.append(_shoot(page, path, prepare, out / f"{name}-{size}.png"))
                        context.close()
                browser.close()
        finally:
            server.stop()
    return written


if __name__ == "__main__":
    for path in take(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
