"""`refuge calendar`, the calendars in `refuge people --json` and the API, and plans that keep to them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from refuge.cli.main import app
from refuge.domain.values import utc_now
from refuge.services import calendars
from refuge.store.database import Database

runner = CliRunner()


def cli(db: Database, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", str(db.engine.url.database), *args])


def test_the_calendar_command_sets_the_days_and_shows_them_week_by_week(sqlite_db: Database) -> None:
    result = cli(sqlite_db, "calendar", "kakashi", "--weekdays", "sat,sun", "--away", "2026-06-06..2026-06-07",
                 "--available", "2026-06-03", "--from", "2026-06-01", "--weeks", "2")
    assert result.exit_code == 0, result.output
    assert "kakashi (Kakashi Hatake): sat,sun; away 2026-06-06..2026-06-07; also free 2026-06-03" in result.stdout
    assert "3 free day(s) in the 2 week(s) from 2026-06-01" in result.stdout
    shown = json.loads(cli(sqlite_db, "calendar", "Kakashi Hatake", "--from", "2026-06-01", "--weeks", "2",
                           "--json").stdout)
    assert shown["free"] == ["2026-06-03", "2026-06-13", "2026-06-14"]
    assert shown["calendar"]["weekdays"] == ["sat", "sun"] and shown["calendar"]["away"] == ["2026-06-06", "2026-06-07"]
    people = json.loads(cli(sqlite_db, "people", "--json").stdout)
    assert [p["calendar"]["summary"] for p in people] == ["every day", shown["calendar"]["summary"], "every day"]


@pytest.mark.parametrize("args, message", [
    (["calendar", "nobody"], "unknown person 'nobody'"),
    (["calendar", "kakashi", "--weekdays", "someday"], "'someday' is not a weekday"),
    (["calendar", "kakashi", "--away", "2026-06-09..2026-06-01"], "the span ends before it starts"),
    (["calendar", "kakashi", "--away", "2026-06-03", "--available", "2026-06-03"], "both away and available"),
])
def test_bad_calendars_are_refused_with_exit_2_and_write_nothing(sqlite_db: Database, args: list[str],
                                                                 message: str) -> None:
    result = cli(sqlite_db, *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
    assert calendars.calendar(sqlite_db, "kakashi").calendar.describe() == "every day"


def test_a_plan_with_a_volunteer_free_on_none_of_its_days_is_refused(sqlite_db: Database) -> None:
    cli(sqlite_db, "calendar", "kakashi", "--weekdays", "sat,sun")
    result = cli(sqlite_db, "plan", "--from", "2026-06-01", "--days", "5", "--volunteer", "kakashi")
    assert result.exit_code == 2
    assert "volunteer kakashi is not free on any day from 2026-06-01 to 2026-06-05" in result.stderr


def test_the_api_shows_each_persons_calendar(client: TestClient, db: Database) -> None:
    calendars.set_calendar(db, "iruka", weekdays="sat,sun", available=["2026-07-01..2026-07-02"])
    people = {p["handle"]: p["calendar"] for p in client.get("/api/people").json()}
    assert people["iruka"] == {"weekdays": ["sat", "sun"], "away": [], "available": ["2026-07-01", "2026-07-02"],
                               "summary": "sat,sun; also free 2026-07-01..2026-07-02"}
    assert people["kakashi"]["weekdays"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    found = client.get("/api/people/Iruka Umino/calendar", params={"from": "2026-06-29", "days": 7})
    assert found.status_code == 200, found.text
    assert found.json()["handle"] == "iruka" and found.json()["free"] == ["2026-07-01", "2026-07-02", "2026-07-04",
                                                                         "2026-07-05"]


@pytest.mark.parametrize("path, params, status, message", [
    ("/api/people/nobody/calendar", {}, 404, "unknown person"),
    ("/api/people/iruka/calendar", {"from": "2026-02-30"}, 422, "from"),
])
def test_the_api_refuses_a_calendar_it_cannot_show(client: TestClient, path: str, params: dict, status: int,
                                                   message: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status and message in response.json()["detail"]
    assert "refuge people" not in response.json()["detail"]  # a command-line hint means nothing here


def test_a_season_is_walked_by_the_named_volunteers_on_their_free_days_only(sqlite_db: Database) -> None:
    today = utc_now().date()
    free = [today + timedelta(days=3), today + timedelta(days=10)]
    calendars.set_calendar(sqlite_db, "kakashi", weekdays="none", available=[d.isoformat() for d in free])
    found = cli(sqlite_db, "simulate", "--days", "20", "--policy", "fixed-cycle", "--volunteer", "kakashi", "--json")
    assert found.exit_code == 0, found.output
    season = json.loads(found.stdout)
    assert season["volunteers"] == ["kakashi"] and 1 <= season["policies"][0]["runs"] <= len(free)
    calendars.set_calendar(sqlite_db, "kakashi", clear=[d.isoformat() for d in free])
    refused = cli(sqlite_db, "simulate", "--days", "20", "--volunteer", "kakashi")
    assert refused.exit_code == 2 and "volunteer kakashi is not free on any day" in refused.stderr
    unknown = cli(sqlite_db, "simulate", "--days", "20", "--volunteer", "nobody")
    assert unknown.exit_code == 2 and "unknown person 'nobody' (see `refuge people` for the roster)" in unknown.stderr
