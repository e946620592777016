"""The `refuge` command end to end, through Typer's runner, on an SQLite file holding the small test network."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner, Result

from refuge.cli.main import app
from refuge.store.database import Database

runner = CliRunner()
Refuge = Callable[..., Result]


@pytest.fixture
def refuge(sqlite_db: Database) -> Refuge:
    """Run `refuge --db <the test database> ARGS…`."""
    path = str(sqlite_db.engine.url.database)

    def run(*args: str) -> Result:
        return runner.invoke(app, ["--db", path, *args])

    return run


def output(result: Result) -> str:
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def parsed(result: Result) -> Any:
    return json.loads(output(result))


def movements(refuge: Refuge) -> list[dict[str, Any]]:
    return parsed(refuge("history", "--limit", "100000", "--json"))


def lots(stock: dict[str, Any], sku: str) -> list[tuple[str | None, float]]:
    line = next(line for line in stock["items"] if line["sku"] == sku)
    return [(lot["expires_on"], lot["quantity"]) for lot in line["lots"]]


def test_init_creates_an_empty_database_at_a_new_path(tmp_path: Path) -> None:
    path = tmp_path / "new" / "refuge.db"
    path.parent.mkdir()
    said = output(runner.invoke(app, ["--db", str(path), "init"]))
    assert str(path) in said and "ready" in said
    assert parsed(runner.invoke(app, ["--db", str(path), "shelters", "--json"])) == []


def test_init_on_a_loaded_database_keeps_what_it_holds(refuge: Refuge) -> None:
    output(refuge("init"))
    assert len(parsed(refuge("shelters", "--json"))) == 3


def test_the_database_comes_from_the_environment_without_db(sqlite_db: Database) -> None:
    result = runner.invoke(app, ["shelters", "--json"], env={"REFUGE_DATABASE_URL": str(sqlite_db.engine.url.database)})
    assert [s["code"] for s in parsed(result)] == ["LF-001", "LF-002", "LF-003"]


def test_shelters_json_gives_codes_names_and_positions_in_metres(refuge: Refuge) -> None:
    shelters = parsed(refuge("shelters", "--json"))
    assert [s["code"] for s in shelters] == ["LF-001", "LF-002", "LF-003"]
    assert shelters[0] == {
        "code": "LF-001", "name": "Cedar Hollow", "x": 10000, "y": 20000, "access_notes": "under the split cedar",
        "beds": 4, "condition": "good", "status": "active", "clearance": 1,
    }


def test_shelters_table_names_every_shelter(refuge: Refuge) -> None:
    said = output(refuge("shelters"))
    assert all(code in said for code in ("LF-001", "LF-002", "LF-003"))
    assert "Cedar" in said and "10,000" in said


def test_items_json_lists_the_catalogue_with_units_and_shelf_lives(refuge: Refuge) -> None:
    items = {item["sku"]: item for item in parsed(refuge("items", "--json"))}
    assert set(items) == {"FOOD-RICE", "FOOD-WATER", "AID-BANDAGE", "AID-ANTIDOTE", "WPN-KUNAI"}
    assert items["FOOD-RICE"]["unit"] == "pack" and items["FOOD-RICE"]["shelf_life_days"] == 730
    assert items["WPN-KUNAI"]["shelf_life_days"] is None
    assert "Rice ration" in output(refuge("items"))


def test_people_json_lists_the_roster_by_handle(refuge: Refuge) -> None:
    people = parsed(refuge("people", "--json"))
    assert [p["handle"] for p in people] == ["iruka", "kakashi", "tsunade"]
    assert people[1]["name"] == "Kakashi Hatake" and people[1]["rank"] == "jonin"
    assert "Tsunade" in output(refuge("people"))


def test_stock_json_shows_quantities_par_levels_and_lots(refuge: Refuge) -> None:
    stock = parsed(refuge("stock", "LF-001", "--as-of", "2026-06-01", "--json"))
    assert stock["code"] == "LF-001" and stock["as_of"] == "2026-06-01"
    rice = next(line for line in stock["items"] if line["sku"] == "FOOD-RICE")
    assert (rice["quantity"], rice["usable"], rice["min"], rice["target"], rice["capacity"]) == (10, 10, 3, 8, 12)
    assert lots(stock, "FOOD-RICE") == [("2028-04-01", 10)]


def test_stock_before_the_first_restock_holds_nothing(refuge: Refuge) -> None:
    stock = parsed(refuge("stock", "lf-001", "--as-of", "2026-03-01", "--json"))
    assert {line["quantity"] for line in stock["items"]} == {0}


def test_stock_table_shows_par_levels_and_lot_expiry(refuge: Refuge) -> None:
    said = output(refuge("stock", "LF-001", "--as-of", "2026-06-01"))
    assert "Cedar Hollow" in said and "FOOD-RICE" in said
    assert "min 3" in said and "capacity 12" in said and "2028-04-01" in said


def test_restock_says_what_it_wrote_in_one_line(refuge: Refuge) -> None:
    said = output(refuge("restock", "LF-001", "FOOD-RICE", "10", "--expires", "2027-01-01", "--at", "2026-06-01T13:00"))
    assert said == "restocked 10 FOOD-RICE at LF-001 (lot expiring 2027-01-01) — movement 13\n"


def test_restock_json_is_the_recorded_movement(refuge: Refuge) -> None:
    recorded = parsed(refuge("restock", "LF-003", "FOOD-WATER", "2.5", "--by", "Iruka Umino",
                             "--at", "2026-06-01T08:00Z", "--key", "k-water", "--note", "spring delivery", "--json"))
    movement = recorded["movement"]
    assert recorded["replayed"] is False
    assert {k: movement[k] for k in ("kind", "shelter", "sku", "quantity", "occurred_at", "by", "note", "key")} == {
        "kind": "restock", "shelter": "LF-003", "sku": "FOOD-WATER", "quantity": 2.5,
        "occurred_at": "2026-06-01T08:00:00Z", "by": "iruka", "note": "spring delivery", "key": "k-water",
    }
    assert movement["lots"] == [{"shelter": "LF-003", "expires_on": "2027-06-01", "quantity": 2.5}]


def test_consume_draws_from_the_earliest_expiring_lot_first(refuge: Refuge) -> None:
    output(refuge("restock", "LF-001", "FOOD-RICE", "5", "--expires", "2027-01-01", "--at", "2026-06-01T13:00"))
    said = output(refuge("consume", "LF-001", "FOOD-RICE", "6", "--by", "kakashi", "--at", "2026-06-02T09:00"))
    assert said.startswith("consumed 6 FOOD-RICE at LF-001 (from lots expiring 2027-01-01, 2028-04-01)")
    stock = parsed(refuge("stock", "LF-001", "--as-of", "2026-06-02", "--json"))
    assert lots(stock, "FOOD-RICE") == [("2028-04-01", 9)]


def test_count_posts_the_difference_as_an_adjustment(refuge: Refuge) -> None:
    recorded = parsed(refuge("count", "LF-001", "FOOD-RICE", "7", "--at", "2026-06-01T13:00", "--json"))
    assert (recorded["movement"]["kind"], recorded["movement"]["quantity"]) == ("adjust", -3)
    assert "counted 7" in recorded["movement"]["note"]
    said = output(refuge("count", "LF-001", "FOOD-RICE", "7", "--at", "2026-06-01T14:00"))
    assert said.startswith("counted 7 FOOD-RICE at LF-001: the ledger already agreed")


def test_transfer_moves_stock_to_the_other_shelter_keeping_its_expiry(refuge: Refuge) -> None:
    said = output(refuge("transfer", "LF-001", "LF-003", "FOOD-RICE", "4", "--at", "2026-06-01T13:00"))
    assert said.startswith("transferred 4 FOOD-RICE from LF-001 to LF-003 (from lot expiring 2028-04-01)")
    assert lots(parsed(refuge("stock", "LF-003", "--json")), "FOOD-RICE") == [("2028-04-01", 4)]
    assert lots(parsed(refuge("stock", "LF-001", "--json")), "FOOD-RICE") == [("2028-04-01", 6)]


def test_replaying_a_key_with_the_same_content_writes_nothing(refuge: Refuge) -> None:
    args = ("consume", "LF-001", "FOOD-RICE", "2", "--at", "2026-06-01T13:00", "--key", "k1")
    first = output(refuge(*args))
    before = movements(refuge)
    number = re.search(r"movement (\d+)", first).group(1)  # type: ignore[union-attr]
    assert output(refuge(*args)) == f"already recorded as movement {number} (key k1); nothing written\n"
    replayed = parsed(refuge(*args, "--json"))
    assert replayed["replayed"] is True and replayed["movement"]["id"] == int(number)
    assert movements(refuge) == before


def test_expire_writes_off_lots_expired_before_the_day_once(refuge: Refuge) -> None:
    written = parsed(refuge("expire", "--as-of", "2026-10-01", "--by", "tsunade", "--json"))
    assert [(m["kind"], m["shelter"], m["sku"], m["quantity"], m["by"]) for m in written] == [
        ("expire", "LF-001", "AID-ANTIDOTE", -10, "tsunade")]
    assert output(refuge("expire", "--as-of", "2026-10-01")) == "nothing had expired by 2026-10-01; nothing written\n"


def test_expire_says_each_write_off_in_a_line(refuge: Refuge) -> None:
    said = output(refuge("expire", "--as-of", "2026-10-01"))
    assert said.startswith("wrote off 10 AID-ANTIDOTE at LF-001 (lot expiring 2026-09-29) — movement ")


def test_history_keeps_one_shelter_and_item_newest_first(refuge: Refuge) -> None:
    history = parsed(refuge("history", "LF-002", "--sku", "AID-BANDAGE", "--json"))
    assert [(m["kind"], m["quantity"], m["key"]) for m in history] == [
        ("consume", -9, "use-1"), ("restock", 10, "open-LF-002-AID-BANDAGE")]
    assert history[0]["occurred_at"] == "2026-05-22T12:00:00Z"


def test_history_limit_keeps_the_newest(refuge: Refuge) -> None:
    history = parsed(refuge("history", "--limit", "2", "--json"))
    assert [m["id"] for m in history] == [12, 11]
    assert "use-2" in output(refuge("history", "--limit", "2"))


def test_readiness_json_grades_every_shelter_with_reasons(refuge: Refuge) -> None:
    graded = {r["code"]: r for r in parsed(refuge("readiness", "--as-of", "2026-06-01", "--json"))}
    assert {code: r["level"] for code, r in graded.items()} == {"LF-001": "green", "LF-002": "red", "LF-003": "red"}
    assert "category-empty" in {reason["rule"] for reason in graded["LF-003"]["reasons"]}
    assert graded["LF-001"]["reasons"] == []


def test_readiness_keeps_only_the_level_asked_for(refuge: Refuge) -> None:
    assert {r["code"] for r in parsed(refuge("readiness", "--as-of", "2026-06-01", "--level", "red", "--json"))} == {
        "LF-002", "LF-003"}


def test_readiness_table_gives_levels_reasons_and_a_summary(refuge: Refuge) -> None:
    said = output(refuge("readiness", "--as-of", "2026-06-01"))
    assert "no usable food left" in said and "Reed Island" in said
    assert said.rstrip().endswith("1 green, 0 amber, 2 red")


def test_defences_json_shows_each_defences_state_on_a_day(refuge: Refuge) -> None:
    states = {d["code"]: d for d in parsed(refuge("defences", "--as-of", "2026-06-01", "--json"))}
    assert (states["W1"]["status"], states["W1"]["shelter"], states["W1"]["overdue"]) == ("armed", "LF-001", False)
    assert (states["T1"]["status"], states["T1"]["overdue"]) == ("untested", True)
    assert [d["code"] for d in parsed(refuge("defences", "LF-002", "--json"))] == ["T1"]
    assert "Door ward" in output(refuge("defences"))


def test_test_defence_pass_arms_the_defence(refuge: Refuge) -> None:
    state = parsed(refuge("test-defence", "LF-002", "T1", "--result", "pass", "--by", "kakashi",
                          "--at", "2026-06-01T09:00", "--json"))
    assert (state["status"], state["last_tested"]) == ("armed", "2026-06-01T09:00:00Z")


def test_test_defence_fail_leaves_it_faulty_and_says_so(refuge: Refuge) -> None:
    said = output(refuge("test-defence", "LF-001", "W1", "--result", "fail", "--note", "seal cracked"))
    assert said.startswith("ward W1 (Door ward) at LF-001 tested: fail — now faulty")


def test_export_prints_geojson_to_stdout(refuge: Refuge) -> None:
    collection = parsed(refuge("export", "shelters"))
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [10000, 20000]}
    assert first["properties"]["code"] == "LF-001"


def test_exported_shelters_import_into_a_fresh_database_and_export_the_same(refuge: Refuge, tmp_path: Path) -> None:
    exported = tmp_path / "shelters.geojson"
    assert "wrote 3 shelters" in output(refuge("export", "shelters", "--out", str(exported)))
    fresh = ["--db", str(tmp_path / "fresh.db")]
    output(runner.invoke(app, [*fresh, "init"]))
    said = output(runner.invoke(app, [*fresh, "import", "shelters", str(exported)]))
    assert said.startswith("imported 3 shelters") and "LF-001, LF-002, LF-003" in said
    again = parsed(runner.invoke(app, [*fresh, "export", "shelters"]))
    assert again["features"] == json.loads(exported.read_text())["features"]


def test_importing_the_same_shelters_again_leaves_them_alone(refuge: Refuge, tmp_path: Path) -> None:
    exported = tmp_path / "shelters.geojson"
    output(refuge("export", "shelters", "--out", str(exported)))
    assert parsed(refuge("import", "shelters", str(exported), "--json")) == {
        "added": [], "unchanged": ["LF-001", "LF-002", "LF-003"]}


def test_serve_prints_the_address_and_runs_the_api(refuge: Refuge, monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda api, host, port: served.update(api=api, host=host, port=port))
    said = output(refuge("serve", "--port", "8123"))
    assert said == "Refuge at http://127.0.0.1:8123 (the JSON API under /api, its docs at /docs)\n"
    assert isinstance(served["api"], FastAPI) and (served["host"], served["port"]) == ("127.0.0.1", 8123)


def test_serve_refuses_without_the_vendored_scripts(refuge: Refuge, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("served without Leaflet and htmx"))
    monkeypatch.setattr("refuge.web.templating.VENDOR", tmp_path)
    result = refuge("serve")
    assert result.exit_code == 2
    assert "error: the web app's Leaflet and htmx files are missing" in result.output and "make vendor" in result.output


def test_demo_loads_the_land_of_fire_once_unless_replaced(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "demo.db")]
    said = output(runner.invoke(app, [*db, "demo"]))
    counted = re.search(r"(\d+) shelters, (\d+) items, (\d+) people, ([\d,]+) movements, ([\d,]+) missions in [\d.]+ s",
                        said)
    assert counted, said
    shelters = parsed(runner.invoke(app, [*db, "shelters", "--json"]))
    assert len(shelters) == int(counted.group(1)) >= 30
    assert len(parsed(runner.invoke(app, [*db, "missions", "--json"]))) == int(counted.group(5).replace(",", ""))
    again = runner.invoke(app, [*db, "demo"])
    assert again.exit_code == 2 and "--replace" in again.stderr
    output(runner.invoke(app, [*db, "demo", "--replace", "--seed", "7"]))


def test_the_same_commands_work_on_sqlite_and_postgresql(db: Database) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    restock = ["restock", "LF-003", "FOOD-RICE", "4", "--at", "2026-06-01T13:00", "--json"]
    recorded = parsed(runner.invoke(app, ["--db", url, *restock]))
    stock = parsed(runner.invoke(app, ["--db", url, "stock", "LF-003", "--json"]))
    assert lots(stock, "FOOD-RICE") == [("2028-05-31", 4)]
    newest = parsed(runner.invoke(app, ["--db", url, "history", "LF-003", "--json"]))[0]
    assert newest["id"] == recorded["movement"]["id"]


def test_forecast_lists_risks_and_one_shelter_in_full(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from refuge.cli.main import app
    from refuge.services.demo import load_demo
    from refuge.store.database import Database

    path = tmp_path / "lof.db"
    load_demo(Database(f"sqlite:///{path}"))
    runner = CliRunner()
    every = runner.invoke(app, ["--db", str(path), "forecast"])
    assert every.exit_code == 0, every.output
    assert "at risk by" in every.stdout and "LF-" in every.stdout
    one = runner.invoke(app, ["--db", str(path), "forecast", "LF-036", "--json"])
    assert one.exit_code == 0, one.output
    import json

    body = json.loads(one.stdout)
    assert [s["code"] for s in body["shelters"]] == ["LF-036"] and body["shelters"][0]["items"]
    assert all(0 <= i["p_out_by"] <= 1 for i in body["shelters"][0]["items"])
    bad = runner.invoke(app, ["--db", str(path), "forecast", "--by", "2020-01-01"])
    assert bad.exit_code == 2 and "must come after" in bad.stderr
    unknown = runner.invoke(app, ["--db", str(path), "forecast", "LF-099"])
    assert unknown.exit_code == 2 and "LF-099" in unknown.stderr


def test_simulate_compares_the_policies_and_plots(tmp_path, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from refuge.cli.main import app

    runner = CliRunner()
    where = ["--db", str(sqlite_db.engine.url.database)]
    plot = tmp_path / "season.png"
    found = runner.invoke(app, [*where, "simulate", "--days", "60", "--seed", "7", "--json", "--plot", str(plot)])
    assert found.exit_code == 0, found.output
    body = json.loads(found.stdout)
    assert [p["policy"] for p in body["policies"]] == ["planner", "fixed-cycle", "on-alarm"]
    assert all(len(p["daily_out"]) == 60 for p in body["policies"]) and "straight lines" in body["travel"]
    assert plot.read_bytes().startswith(b"\x89PNG")
    again = runner.invoke(app, [*where, "simulate", "--days", "60", "--seed", "7", "--json"])
    assert json.loads(again.stdout)["policies"] == body["policies"]
    for args, message in ((["--policy", "hope"], "unknown policy"),
                          (["--days", "0"], "at least one day")):
        refused = runner.invoke(app, [*where, "simulate", *args])
        assert refused.exit_code == 2 and message in refused.stderr
