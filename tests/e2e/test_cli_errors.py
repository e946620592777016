"""Bad input to the `refuge` command: `error: <message>` on stderr, exit code 2, no traceback, nothing written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from refuge.cli.main import app, main
from tests.e2e.test_cli import Refuge, movements, output, parsed, refuge, runner  # noqa: F401 (refuge is a fixture)

SHELTERS = ("LF-001", "LF-002", "LF-003")


def refused(result: Result, *fragments: str) -> str:
    """Assert a clean refusal and return its message."""
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: "), result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr
    return result.stderr


def ledger_state(refuge: Refuge) -> tuple[Any, ...]:
    """Everything a movement could change: the history and every shelter's stock."""
    return movements(refuge), *(parsed(refuge("stock", code, "--json")) for code in SHELTERS)


BAD_MOVEMENTS = {
    "unknown shelter": (["consume", "LF-999", "FOOD-RICE", "1"], "unknown shelter 'LF-999'"),
    "unknown item": (["restock", "LF-001", "FOOD-NOPE", "1"], "unknown item 'FOOD-NOPE'"),
    "unknown person": (["consume", "LF-001", "FOOD-RICE", "1", "--by", "naruto"], "unknown person 'naruto'"),
    "zero quantity": (["consume", "LF-001", "FOOD-RICE", "0"], "quantity must be a positive number, not '0'"),
    "negative quantity": (["restock", "LF-001", "FOOD-RICE", "-1"], "quantity must be a positive number, not '-1'"),
    "negative count": (["count", "LF-001", "FOOD-RICE", "-1"], "quantity must be zero or more, not '-1'"),
    "quantity not a number": (["consume", "LF-001", "FOOD-RICE", "abc"], "quantity must be a number, not 'abc'"),
    "too many decimals": (["restock", "LF-001", "FOOD-RICE", "1.2345"], "more than 3 decimal places"),
    "malformed expiry": (["restock", "LF-001", "FOOD-RICE", "1", "--expires", "01/02/2027"],
                         "expiry date '01/02/2027' is not a valid date"),
    "impossible expiry": (["restock", "LF-001", "FOOD-RICE", "1", "--expires", "2026-02-30"],
                          "expiry date '2026-02-30' is not a valid date"),
    "expiry before the restock": (
        ["restock", "LF-001", "FOOD-RICE", "1", "--expires", "2026-01-01", "--at", "2026-06-01"],
        "expiry 2026-01-01 is before the restock"),
    "malformed time": (["consume", "LF-001", "FOOD-RICE", "1", "--at", "yesterday"],
                       "occurred_at 'yesterday' is not a valid ISO date-time"),
    "impossible time": (["consume", "LF-001", "FOOD-RICE", "1", "--at", "2026-02-30T10:00"],
                        "occurred_at '2026-02-30T10:00' is not a valid ISO date-time"),
    "time in the future": (["restock", "LF-001", "FOOD-RICE", "1", "--at", "2099-01-01T00:00"], "is in the future"),
    "transfer to the same shelter": (["transfer", "LF-001", "lf-001", "FOOD-RICE", "1"],
                                     "cannot transfer from LF-001 to itself"),
    "transfer to an unknown shelter": (["transfer", "LF-001", "LF-999", "FOOD-RICE", "1"], "unknown shelter 'LF-999'"),
    "consuming more than on hand": (["consume", "LF-001", "FOOD-RICE", "11"],
                                    "shelter LF-001 has only 10 of FOOD-RICE on hand, 11 asked", "refuge count LF-001"),
    "transferring more than on hand": (["transfer", "LF-002", "LF-003", "AID-ANTIDOTE", "1"],
                                       "has only 0 of AID-ANTIDOTE"),
    "an unknown option": (["consume", "LF-001", "FOOD-RICE", "1", "--bogus"], "--bogus"),
    "a missing quantity": (["consume", "LF-001", "FOOD-RICE"], "Missing argument 'QTY'"),
}


@pytest.mark.parametrize("args, message", [(a, m) for a, *m in BAD_MOVEMENTS.values()], ids=list(BAD_MOVEMENTS))
def test_a_refused_movement_says_why_and_writes_nothing(refuge: Refuge, args: list[str], message: list[str]) -> None:
    before = ledger_state(refuge)
    refused(refuge(*args), *message)
    refused(refuge(*args, "--json"), *message)
    assert ledger_state(refuge) == before


def test_reusing_a_key_for_a_different_movement_is_refused(refuge: Refuge) -> None:
    output(refuge("restock", "LF-001", "FOOD-RICE", "10", "--at", "2026-06-01T13:00", "--key", "k1"))
    before = ledger_state(refuge)
    refused(refuge("restock", "LF-001", "FOOD-RICE", "11", "--at", "2026-06-01T13:00", "--key", "k1"),
            "idempotency key 'k1' was already used for a different movement")
    assert ledger_state(refuge) == before


BAD_READS = {
    "stock of an unknown shelter": (["stock", "LF-999"], "unknown shelter 'LF-999'"),
    "stock on an impossible day": (["stock", "LF-001", "--as-of", "2026-02-30"],
                                   "as_of '2026-02-30' is not a valid date"),
    "readiness on a malformed day": (["readiness", "--as-of", "tomorrow"], "as_of 'tomorrow' is not a valid date"),
    "readiness at an unknown level": (["readiness", "--level", "purple"],
                                      "level 'purple' is not one of: green, amber, red"),
    "defences of an unknown shelter": (["defences", "LF-999"], "unknown shelter 'LF-999'"),
    "defences on an impossible day": (["defences", "--as-of", "2026-13-01"], "as_of '2026-13-01' is not a valid date"),
    "history of an unknown shelter": (["history", "LF-999"], "unknown shelter 'LF-999'"),
    "history of an unknown item": (["history", "--sku", "FOOD-NOPE"], "unknown item 'FOOD-NOPE'"),
    "history limited to nothing": (["history", "--limit", "0"], "limit must be a positive number, not 0"),
    "history limited by a word": (["history", "--limit", "abc"], "--limit"),
    "an unknown command": (["frobnicate"], "No such command 'frobnicate'"),
}


@pytest.mark.parametrize("args, message", BAD_READS.values(), ids=list(BAD_READS))
def test_a_bad_question_says_why(refuge: Refuge, args: list[str], message: str) -> None:
    refused(refuge(*args), message)


BAD_WRITE_OFFS = {
    "an impossible day": (["--as-of", "2026-02-30"], "as_of '2026-02-30' is not a valid date"),
    "a day in the future": (["--as-of", "2099-01-01"], "is in the future"),
    "an unknown person": (["--as-of", "2026-10-01", "--by", "naruto"], "unknown person 'naruto'"),
}


@pytest.mark.parametrize("args, message", BAD_WRITE_OFFS.values(), ids=list(BAD_WRITE_OFFS))
def test_a_refused_write_off_writes_nothing(refuge: Refuge, args: list[str], message: str) -> None:
    before = ledger_state(refuge)
    refused(refuge("expire", *args), message)
    assert ledger_state(refuge) == before


BAD_DEFENCE_TESTS = {
    "an unknown shelter": (["LF-999", "W1", "--result", "pass"], "unknown shelter 'LF-999'"),
    "an unknown defence": (["LF-001", "X9", "--result", "pass"], "shelter LF-001 has no defence 'X9'"),
    "an unknown result": (["LF-001", "W1", "--result", "maybe"], "test result 'maybe' is not one of: pass, fail"),
    "no result": (["LF-001", "W1"], "Missing option '--result'"),
    "an unknown person": (["LF-001", "W1", "--result", "pass", "--by", "naruto"], "unknown person 'naruto'"),
    "a malformed time": (["LF-001", "W1", "--result", "pass", "--at", "noon"],
                         "at 'noon' is not a valid ISO date-time"),
    "a time in the future": (["LF-001", "W1", "--result", "pass", "--at", "2099-01-01T00:00"], "is in the future"),
}


@pytest.mark.parametrize("args, message", BAD_DEFENCE_TESTS.values(), ids=list(BAD_DEFENCE_TESTS))
def test_a_refused_defence_test_writes_nothing(refuge: Refuge, args: list[str], message: str) -> None:
    before = parsed(refuge("defences", "--json")), ledger_state(refuge)
    refused(refuge("test-defence", *args), message)
    assert (parsed(refuge("defences", "--json")), ledger_state(refuge)) == before


def feature(code: str = "LF-010", name: str | None = "New Den", coordinates: Any = (1000, 2000)) -> dict[str, Any]:
    properties = {"code": code} | ({"name": name} if name is not None else {})
    geometry = {"type": "Point", "coordinates": list(coordinates)}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(*features: Any) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


BAD_GEOJSON = {
    "malformed JSON": ("{\"type\": \"FeatureCollection\", ", "is not valid JSON"),
    "not a FeatureCollection": (json.dumps({"type": "Feature"}), "is not a GeoJSON FeatureCollection"),
    "a feature without a name": (collection(feature(), feature("LF-011", name=None)),
                                 "feature 2: missing property 'name'"),
    "a feature without coordinates": (collection(feature(coordinates=())),
                                      "feature 1: Point coordinates must be [x, y]"),
    "a feature that is not a point": (collection({**feature(), "geometry": {"type": "LineString", "coordinates": []}}),
                                      "feature 1: geometry must be a Point"),
    "a malformed code": (collection(feature("lf 10!")), "is not valid"),
    "the same code twice": (collection(feature(), feature()), "names shelter LF-010 more than once"),
    "a known shelter with other details": (
        collection(feature(), feature("LF-001", "Not Cedar Hollow", (10000, 20000))),
        "shelter(s) LF-001 already exist with different details; nothing was imported"),
}


@pytest.mark.parametrize("text, message", BAD_GEOJSON.values(), ids=list(BAD_GEOJSON))
def test_a_refused_import_says_why_and_imports_nothing(refuge: Refuge, tmp_path: Path, text: str, message: str) -> None:
    before = parsed(refuge("shelters", "--json"))
    path = tmp_path / "shelters.geojson"
    path.write_text(text)
    refused(refuge("import", "shelters", str(path)), message)
    assert parsed(refuge("shelters", "--json")) == before


@pytest.mark.parametrize("name", ["missing.geojson", "."], ids=["a missing file", "a directory"])
def test_a_file_that_cannot_be_read_is_named(refuge: Refuge, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    refused(refuge("import", "shelters", str(path)), f"cannot read {path}: ")


def test_a_file_that_cannot_be_written_is_named(refuge: Refuge, tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "shelters.geojson"
    refused(refuge("export", "shelters", "--out", str(path)), f"cannot write {path}: ")


@pytest.mark.parametrize("args", [["shelters"], ["stock", "LF-001"], ["consume", "LF-001", "FOOD-RICE", "1"],
                                  ["history"], ["readiness"], ["export", "shelters"], ["serve"]],
                         ids=lambda args: args[0])
def test_a_missing_database_is_not_created_and_the_hint_names_init(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "typo.db"
    refused(runner.invoke(app, ["--db", str(path), *args]),
            f"there is no database at {path}", "refuge init", "refuge demo")
    assert not path.exists()


def test_a_database_without_refuge_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).close()
    refused(runner.invoke(app, ["--db", str(path), "shelters"]), "has no Refuge tables", "refuge init")


def test_an_unreachable_postgresql_server_is_named_without_a_traceback() -> None:
    url = "postgresql://postgres@127.0.0.1:1/refuge"
    refused(runner.invoke(app, ["--db", url, "init"]),
            "cannot reach the database at postgresql+psycopg://postgres@127.0.0.1:1/refuge")
    refused(runner.invoke(app, ["--db", url, "shelters"]), "cannot reach the database at")


def test_a_database_url_of_an_unknown_kind_is_refused() -> None:
    refused(runner.invoke(app, ["--db", "nosuchdb://somewhere/x", "shelters"]), "cannot use the database URL")


def test_a_bad_global_option_is_refused_like_any_other() -> None:
    refused(runner.invoke(app, ["--db"]), "Option '--db' requires an argument")
    refused(runner.invoke(app, ["--bogus", "shelters"]), "No such option: --bogus")


def test_a_command_group_alone_shows_its_help_rather_than_an_error() -> None:
    result = runner.invoke(app, ["import"])
    assert "shelters" in result.output and "error:" not in result.output


def test_the_console_script_exits_2_with_the_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.argv", ["refuge", "--db", str(tmp_path / "typo.db"), "shelters"])
    with pytest.raises(SystemExit) as exit:
        main()
    assert exit.value.code == 2
    assert capsys.readouterr().err.startswith(f"error: there is no database at {tmp_path / 'typo.db'}")
