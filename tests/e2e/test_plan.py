"""`refuge plan` and POST /api/plans end to end on the small test network."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from refuge.cli.main import app
from refuge.store.database import Database

runner = CliRunner()
FROM = "2026-06-02"


def plan_cli(db: Database, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", str(db.engine.url.database), "plan", "--from", FROM, *args])


def test_the_plan_command_prints_runs_and_what_it_cannot_cover(sqlite_db: Database) -> None:
    result = plan_cli(sqlite_db, "--days", "7", "--volunteer", "kakashi", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    assert "run(s) over 7 day(s) from 2026-06-02" in result.stdout
    assert "kakashi" in result.stdout


def test_the_plan_as_json_has_packing_lists_with_the_new_lots_expiry(sqlite_db: Database) -> None:
    result = plan_cli(sqlite_db, "--days", "10", "--volunteer", "kakashi", "--volunteer", "tsunade",
                      "--capacity", "25", "--hours", "9", "--time-limit", "2", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["start"] == FROM and found["days"] == 10 and found["runs"]
    run = found["runs"][0]
    assert run["volunteer"] in {"kakashi", "tsunade"} and run["kg"] <= 25
    packed = [p for stop in run["stops"] for p in stop["packing"]]
    rice = [p for p in packed if p["sku"] == "FOOD-RICE"]
    for p in rice:  # shelf life 730 days from the day of the visit
        stop = next(s for s in run["stops"] if p in s["packing"])
        assert p["expires_on"] > stop["arrive"]
    assert all(p["expires_on"] is None for p in packed if p["sku"] == "WPN-KUNAI")


def test_run_sheets_are_printed_one_page_per_run(sqlite_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "runs.pdf"
    result = plan_cli(sqlite_db, "--days", "7", "--volunteer", "kakashi", "--time-limit", "2", "--out", str(out),
                      "--json")
    assert result.exit_code == 0, result.output
    runs = json.loads(result.stdout)["runs"]
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("Run ") >= len(runs) >= 1
    assert "kakashi" in text and "stock counted" in text


@pytest.mark.parametrize("args, message", [
    (["--days", "0", "--volunteer", "kakashi"], "at least one day"),
    (["--days", "7"], "at least one volunteer"),
    (["--days", "7", "--volunteer", "nobody"], "unknown person 'nobody'"),
    (["--days", "7", "--volunteer", "kakashi", "--out", "runs.png"], "must end in .pdf"),
])
def test_bad_plans_are_refused_with_exit_2(sqlite_db: Database, args: list[str], message: str) -> None:
    result = plan_cli(sqlite_db, *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_the_api_plans_resupply(client: TestClient) -> None:
    response = client.post("/api/plans", json={"from": FROM, "days": 7, "volunteers": ["kakashi"], "time_limit": 2})
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["start"] == FROM and found["runs"]
    assert {s["shelter"] for r in found["runs"] for s in r["stops"]} <= {"LF-001", "LF-002", "LF-003"}


@pytest.mark.parametrize("body, status, message", [
    ({"days": 0, "volunteers": ["kakashi"]}, 422, "at least one day"),
    ({"days": 7, "volunteers": []}, 422, "at least one volunteer"),
    ({"days": 7, "volunteers": ["nobody"]}, 404, "unknown person"),
    ({"from": "2026-13-01", "days": 7, "volunteers": ["kakashi"]}, 422, "from"),
])
def test_the_api_refuses_bad_plans(client: TestClient, body: dict, status: int, message: str) -> None:
    response = client.post("/api/plans", json=body)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_a_plan_is_accepted_and_its_runs_recorded_from_the_command_line(sqlite_db: Database, tmp_path: Path) -> None:
    where = ["--db", str(sqlite_db.engine.url.database)]
    planned = plan_cli(sqlite_db, "--days", "7", "--volunteer", "kakashi", "--time-limit", "2", "--json")
    saved = tmp_path / "plan.json"
    saved.write_text(planned.stdout)
    accepted = runner.invoke(app, [*where, "plan", "accept", str(saved), "--json"])
    assert accepted.exit_code == 0, accepted.output
    run = json.loads(accepted.stdout)["runs"][0]
    assert run["created"] is True
    assert json.loads(runner.invoke(app, [*where, "plan", "accept", str(saved), "--json"]).stdout)["runs"][0]["created"] is False
    shelter = run["shelters"][0]
    done = runner.invoke(app, [*where, "run", "done", str(run["id"]), shelter, "--delivered", "FOOD-RICE=1",
                               "--counted", "WPN-KUNAI=4", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["replayed"] == 0
    again = runner.invoke(app, [*where, "run", "done", str(run["id"]), shelter, "--delivered", "FOOD-RICE=1",
                                "--counted", "WPN-KUNAI=4", "--json"])
    assert json.loads(again.stdout)["replayed"] == 2
    listed = json.loads(runner.invoke(app, [*where, "runs", "--json"]).stdout)["runs"]
    assert [s["recorded"] for s in listed[0]["stops"]][0] is True
    for args, message in ((["run", "done", "99", shelter], "unknown run 99"),
                          (["run", "done", str(run["id"]), shelter, "--delivered", "FOOD-RICE"], "NAME=VALUE"),
                          (["plan", "accept", str(tmp_path / "none.json")], "cannot read the plan")):
        refused = runner.invoke(app, [*where, *args])
        assert refused.exit_code == 2 and message in refused.stderr


def test_the_api_accepts_a_plan_and_records_an_outcome(client: TestClient) -> None:
    planned = client.post("/api/plans", json={"from": FROM, "days": 7, "volunteers": ["kakashi"], "time_limit": 2}).json()
    accepted = client.post("/api/runs", json=planned)
    assert accepted.status_code == 200, accepted.text
    run = accepted.json()[0]
    shelter = run["shelters"][0]
    outcome = client.post(f"/api/runs/{run['id']}/stops/{shelter}", json={"delivered": {"FOOD-RICE": "1"}})
    assert outcome.status_code == 200 and outcome.json()["replayed"] == 0
    conflict = client.post(f"/api/runs/{run['id']}/stops/{shelter}", json={"delivered": {"FOOD-RICE": "3"}})
    assert conflict.status_code == 409
    assert client.get("/api/runs").json()[0]["stops"][0]["recorded"] is True
    assert client.post("/api/runs", json={"runs": []}).status_code == 422
    assert client.post("/api/runs/99/stops/LF-001", json={}).status_code == 404
