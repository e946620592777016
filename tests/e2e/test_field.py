"""Field navigation and maps end to end: the CLI through Typer's runner, the API through HTTP."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner, Result

from refuge.cli.main import app
from refuge.store.database import Database
from refuge.store.tables import ShelterRow
from tests.e2e.clients import signed_in
from tests.terrain_factory import add_terrain

runner = CliRunner()


@pytest.fixture
def mapped(sqlite_db: Database) -> Database:
    add_terrain(sqlite_db)
    return sqlite_db


def refuge(db: Database, *args: str) -> Result:
    return runner.invoke(app, ["--db", str(db.engine.url.database), *args], env={"COLUMNS": "200"})


def test_nearest_answers_in_json_with_the_route_and_what_the_shelter_holds(mapped: Database) -> None:
    result = refuge(mapped, "nearest", "--at", "30000,25000", "--need", "first-aid", "--chakra", "0",
                    "--as", "tsunade", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [s["code"] for s in found["shelters"]] == ["LF-002", "LF-001"]
    first = found["shelters"][0]
    assert first["distance_m"] == 0 and first["holds"]["first-aid"][0]["sku"] == "AID-BANDAGE"
    second = found["shelters"][1]
    assert second["bearing_deg"] == pytest.approx(255.96, abs=0.1) and second["route"][0] == [30250, 25250]
    assert found["viewer"] == {"person": "tsunade", "clearance": 5, "profile": "running", "chakra": 0.0}


def test_nearest_tells_what_a_shelter_holds_item_by_item_and_when_the_asker_stands_on_water(mapped: Database) -> None:
    result = refuge(mapped, "nearest", "--at", "30000,25000", "--need", "first-aid", "--chakra", "0", "--as", "tsunade")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip().startswith("LF-")}
    assert re.search(r"first-aid: Bandage roll 1\s*$", rows["LF-002"]), result.stdout  # the one kind it holds
    assert "kinds" not in result.stdout
    wet = refuge(mapped, "nearest", "--at", "52500,40000", "--chakra", "0", "--as", "tsunade")  # in the lake
    assert wet.exit_code == 0, wet.output
    assert "no shelter you may use can be reached within that chakra (you are on water, lake" in wet.stdout
    assert json.loads(refuge(mapped, "nearest", "--at", "52500,40000", "--chakra", "0", "--json").stdout)[
        "on_water"] == "lake"


def test_a_route_to_a_compromised_or_closed_shelter_warns(mapped: Database) -> None:
    with mapped.writing() as session:
        session.execute(update(ShelterRow).where(ShelterRow.code == "LF-002").values(status="compromised"))
        session.execute(update(ShelterRow).where(ShelterRow.code == "LF-001").values(status="closed"))
    result = refuge(mapped, "route", "LF-001", "LF-002", "--chakra", "0", "--as", "tsunade")
    assert result.exit_code == 0, result.output
    assert "warning: LF-001 is closed" in result.stdout and "warning: LF-002 is compromised" in result.stdout
    found = json.loads(refuge(mapped, "route", "Leaf", "LF-002", "--chakra", "0", "--as", "tsunade", "--json").stdout)
    assert [w.split(":")[0] for w in found["warnings"]] == ["LF-002 is compromised"]
    calm = json.loads(refuge(mapped, "route", "Leaf", "30000,25000", "--chakra", "0", "--json").stdout)
    assert calm["warnings"] == []


def test_nearest_takes_a_grid_reference(mapped: Database) -> None:
    result = refuge(mapped, "nearest", "--at", "B2 0500", "--chakra", "0", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["gridref"] == "B2 0500"


def test_nearest_for_a_person_never_shows_what_they_may_not_know(mapped: Database) -> None:
    result = refuge(mapped, "nearest", "--at", "44000,40000", "--chakra", "50", "--profile", "walking", "--as", "iruka")
    assert result.exit_code == 0, result.output
    assert "LF-001" in result.stdout and "LF-002" not in result.stdout and "LF-003" not in result.stdout


def test_the_route_search_is_prepared_once_and_kept_in_the_cache(mapped: Database, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFUGE_CACHE_DIR", str(tmp_path / "cache"))
    asked = ("nearest", "--at", "44000,40000", "--chakra", "50", "--profile", "running", "--json")
    first = refuge(mapped, *asked)
    assert first.exit_code == 0, first.output
    assert "preparing the running route search over 3 shelters" in first.stderr
    assert str(tmp_path / "cache") in first.stderr and len(list((tmp_path / "cache").glob("*.bounds"))) == 1
    again = refuge(mapped, *asked)
    assert again.exit_code == 0 and "preparing" not in again.stderr  # read from the cache
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_an_empty_cache_setting_keeps_nothing_on_disk(mapped: Database, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFUGE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # where the default would have gone
    for _ in range(2):
        result = refuge(mapped, "route", "LF-001", "30000,25000", "--chakra", "20", "--profile", "running")
        assert result.exit_code == 0, result.output
        assert "preparing the running route search to the destination" in result.stderr
    assert not any(tmp_path.rglob("*.bounds")) and not any(tmp_path.rglob("*.npy"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "99999,1"], "off the map"),
        (["--at", "40000,20000"], "impassable"),
        (["--at", "Q1 0000"], "Q"),
        (["--at", "10000,10000", "--need", "cake"], "cake"),
        (["--at", "10000,10000", "--chakra", "-5"], "negative"),
        (["--at", "10000,10000", "--profile", "flying"], "flying"),
        (["--at", "10000,10000", "--as", "orochimaru"], "orochimaru"),
    ],
)
def test_bad_field_questions_exit_2_with_a_specific_message(mapped: Database, args: list[str], message: str) -> None:
    result = refuge(mapped, "nearest", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.output


def test_route_between_a_shelter_and_a_place(mapped: Database) -> None:
    result = refuge(mapped, "route", "LF-001", "Leaf", "--chakra", "0", "--json")
    assert result.exit_code == 0, result.output
    route = json.loads(result.stdout)
    assert route["start"] == [10000, 20000] and route["end"] == [20000, 20000]
    assert route["distance_m"] == pytest.approx(10_000) and route["chakra"] == 0
    assert [(w["x"], w["y"], w["bearing_deg"], w["distance_m"]) for w in route["way"]] == [
        (10000, 20000, 0, 0), (20000, 20000, 90, 10_000)]  # straight along the road
    text = refuge(mapped, "route", "LF-001", "Leaf", "--chakra", "0")
    assert text.exit_code == 0, text.output
    assert "the way, in 1 straight stretch within 250 m of the route" in text.stdout
    assert re.search(r"1\s+090°\s+10\.0\s+" + re.escape(route["way"][1]["gridref"]), text.stdout)


def test_the_api_answers_nearest_and_route(mapped: Database) -> None:
    client = signed_in(mapped)
    nearest = client.get("/api/nearest", params={"at": "30000,25000", "chakra": 0, "as": "tsunade", "limit": 1})
    assert nearest.status_code == 200 and [s["code"] for s in nearest.json()["shelters"]] == ["LF-002"]
    route = client.get("/api/route", params={"from": "LF-001", "to": "LF-002", "chakra": 0, "as": "tsunade"})
    assert route.status_code == 200 and route.json()["distance_m"] > 20_000
    hidden = client.get("/api/route", params={"from": "LF-001", "to": "LF-003", "chakra": 99, "as": "iruka"})
    missing = client.get("/api/route", params={"from": "LF-001", "to": "LF-099", "chakra": 99, "as": "iruka"})
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["detail"].replace("LF-003", "X") == missing.json()["detail"].replace("LF-099", "X")
    off = client.get("/api/nearest", params={"at": "-5,-5"})
    assert off.status_code == 422 and "off the map" in off.json()["detail"]


def test_the_rendered_map_shows_only_the_shelters_the_viewer_may_know(mapped: Database, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    result = refuge(mapped, "map", "render", "--out", str(out), "--as", "kakashi")
    assert result.exit_code == 0, result.output
    drawn = out.read_text()
    assert "LF-001" in drawn and "LF-002" in drawn and "LF-003" not in drawn


def test_the_printed_map_carries_only_cleared_crosses_and_the_holders_name(mapped: Database, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed; `make test` installs it")
    out = tmp_path / "iruka.pdf"
    result = refuge(mapped, "map", "print", "--for", "iruka", "--out", str(out), "--area", "0,10000,30000,30000")
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Iruka Umino" in text and "LF-001" in text
    assert "LF-002" not in text and "LF-003" not in text


def test_a_print_area_off_the_map_is_refused_and_writes_nothing(mapped: Database, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = refuge(mapped, "map", "print", "--for", "iruka", "--out", str(out), "--area", "50000,40000,90000,60000")
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    assert not out.exists()


def test_the_matrix_in_json_a_csv_and_a_table(mapped: Database, tmp_path: Path) -> None:
    out = tmp_path / "matrix.csv"
    result = refuge(mapped, "matrix", "--json", "--out", str(out))
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [p["key"] for p in found["points"]] == ["Leaf", "LF-001", "LF-002", "LF-003"]
    assert found["time_s"][0][1] == pytest.approx(10_000 * 3.6 / 5, rel=0.2)  # 10 km of road and grass, walking
    assert found["time_s"][0][3] is None and found["cached"] is False
    lines = out.read_text().splitlines()
    assert len(lines) == 5 and lines[1].split(",")[2] == f"{found['time_s'][0][1] / 60:.1f}"
    shown = refuge(mapped, "matrix", "--as", "iruka")
    assert shown.exit_code == 0, shown.output
    assert "cached" in shown.stdout and "LF-001" in shown.stdout and "LF-002" not in shown.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--profile", "flying"], "flying"),
    (["--chakra", "-1"], "negative"),
    (["--as", "orochimaru"], "orochimaru"),
])
def test_bad_matrix_questions_exit_2(mapped: Database, args: list[str], message: str) -> None:
    result = refuge(mapped, "matrix", *args)
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and message in result.stderr


def test_the_api_answers_the_matrix_for_a_person(mapped: Database) -> None:
    client = signed_in(mapped)
    answer = client.get("/api/matrix", params={"as": "kakashi", "chakra": 100})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [p["key"] for p in body["points"]] == ["Leaf", "LF-001", "LF-002"] and body["chakra"] == 100
    bad = client.get("/api/matrix", params={"profile": "flying"})
    assert bad.status_code == 422 and "flying" in bad.json()["detail"]


def test_the_api_describes_the_terrain(mapped: Database) -> None:
    body = signed_in(mapped).get("/api/terrain").json()
    assert (body["rows"], body["cols"], body["cell_size"]) == (100, 120, 500)
    assert {c["name"] for c in body["classes"] if c["cells"]} == {"grassland", "lake", "forest", "cliff"}
    assert sum(c["cells"] for c in body["classes"]) == 100 * 120 and body["misplaced"] == []
