"""The mission desk's commands end to end, through Typer's runner, on an SQLite file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from refuge.cli.main import app
from refuge.store.database import Database
from tests.desk_factory import load_desk_network

runner = CliRunner()
Refuge = Callable[..., Result]
START = "2026-06-01T08:00"


@pytest.fixture
def refuge(tmp_path) -> Iterator[Refuge]:  # type: ignore[no-untyped-def]
    db = Database(str(tmp_path / "desk.db"))
    db.upgrade()
    load_desk_network(db)
    db.dispose()

    def run(*args: str) -> Result:
        return runner.invoke(app, ["--db", str(tmp_path / "desk.db"), *args])

    yield run


def parsed(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def refused(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def under_way(refuge: Refuge) -> str:
    made = parsed(refuge("mission", "new", "Patrol the border", "--rank", "c", "--objective", "walk the line",
                         "--leader", "iruka", "--team", "sakura", "--checkins", "every 4h", "--grace", "30", "--json"))
    parsed(refuge("mission", "start", made["code"], "--at", START, "--json"))
    return made["code"]


def consumed(refuge: Refuge) -> list[dict]:
    return [m for m in parsed(refuge("history", "LF-001", "--json")) if m["kind"] == "consume"]


def test_a_mission_is_created_started_checked_in_and_closed_by_the_last_call(refuge: Refuge) -> None:
    code = under_way(refuge)
    listed = parsed(refuge("missions", "--json"))
    assert [(m["code"], m["status"], m["next_checkin_due"]) for m in listed] == [(code, "under-way", "2026-06-01T12:00:00Z")]
    near = parsed(refuge("checkin", code, "sakura", "If he's safe, end mission.", "--json"))
    assert near["mission_status"] == "under-way" and near["doubts"]
    last = parsed(refuge("checkin", code, "sakura", "He's here and safe. End mission.", "--json"))
    assert last["ended_mission"] and last["mission_status"] == "complete"
    shown = parsed(refuge("mission", "show", code, "--json"))
    assert shown["status"] == "complete" and [c["status"] for c in shown["checkins"]] == ["unknown", "safe"]


def test_a_report_sent_twice_posts_its_supplies_once(refuge: Refuge) -> None:
    code = under_way(refuge)
    args = ("mission", "report", code, "--by", "sakura", "--met", "1", "--used", "LF-001:FOOD-RICE:2",
            "--injury", "iruka:sprained ankle", "--equipment", "WPN-KUNAI:sharpen:3", "--json")
    first = parsed(refuge(*args))
    assert not first["replayed"] and [m["quantity"] for m in first["movements"]] == [-2]
    again = parsed(refuge(*args))  # sent later: a new "now", the same report
    assert again["replayed"] and len(consumed(refuge)) == 1
    refused(refuge("mission", "report", code, "--by", "sakura", "--used", "LF-001:FOOD-RICE:3"), "different report")
    assert len(consumed(refuge)) == 1


def test_overdue_at_a_given_time_climbs_the_ladder_and_the_first_acknowledgement_stops_it(refuge: Refuge) -> None:
    code = under_way(refuge)
    assert parsed(refuge("overdue", "--at", "2026-06-01T12:30", "--json"))["overdue"] == []
    scan = parsed(refuge("overdue", "--at", "2026-06-01T13:31", "--json"))
    assert [o["mission"] for o in scan["overdue"]] == [code]
    assert [(s["step"], s["recipient"]) for s in scan["sent"]] == [("desk", "mission desk"), ("superior", "kakashi")]
    alert = scan["raised"][0]
    acked = parsed(refuge("alerts", "ack", str(alert), "--by", "shizune", "--at", "2026-06-01T13:40", "--json"))
    assert acked["acknowledged_by"] == "shizune" and not acked["open"]
    refused(refuge("alerts", "ack", str(alert), "--by", "tsunade"), "already acknowledged by shizune")
    later = parsed(refuge("overdue", "--at", "2026-06-01T18:00", "--json"))
    assert later["sent"] == [] and [a["level"] for a in parsed(refuge("alerts", "list", "--json"))] == ["superior"]


def test_an_emergency_proposes_responders_and_accepting_sends_one(refuge: Refuge) -> None:
    proposal = parsed(refuge("emergency", "medic", "LF-001", "kiba", "--json"))
    assert [r["handle"] for r in proposal["responders"]] == ["sakura", "tsunade", "shizune", "kabuto"]
    assert {e["handle"] for e in proposal["excluded"]} == {"ino", "hinata"}
    sent = parsed(refuge("emergency", "medic", "LF-001", "kiba", "--accept", "sakura", "--json"))
    assert sent["mission"]["kind"] == "rescue" and sent["mission"]["status"] == "under-way"
    assert sent["mission"]["schedule"]["every_hours"] == 2


@pytest.mark.parametrize(("args", "message"), [
    (("mission", "show", "M-0404"), "unknown mission 'M-0404'"),
    (("mission", "new", "x", "--rank", "c", "--leader", "orochimaru"), "unknown person 'orochimaru'"),
    (("mission", "new", "x", "--rank", "Z"), "rank 'Z' is not one of"),
    (("checkin", "M-0001", "kiba", "all safe"), "kiba is not on mission M-0001"),
    (("checkin", "M-0001", "sakura", "--at", "2099-01-01T00:00"), "in the future"),
    (("mission", "report", "M-0001", "--by", "sakura", "--used", "LF-404:FOOD-RICE:1"), "unknown shelter 'LF-404'"),
    (("mission", "report", "M-0001", "--by", "sakura", "--used", "LF-001:FOOD-RICE:1",
      "--used", "LF-002:AID-BANDAGE:5"), "LF-002 has only 1 of AID-BANDAGE"),
    (("mission", "report", "M-0001", "--by", "sakura", "--used", "LF-001"), "expected SHELTER:SKU:QTY"),
    (("mission", "start", "M-0001"), "under-way and cannot become under-way"),
    (("alerts", "ack", "99", "--by", "shizune"), "unknown alert 99"),
    (("emergency", "medic", "Atlantis", "kiba"), "'Atlantis' is not a place"),
])
def test_bad_input_is_refused_with_a_specific_error_and_writes_nothing(refuge: Refuge, args: tuple, message: str) -> None:
    under_way(refuge)
    before = (parsed(refuge("missions", "--json")), parsed(refuge("history", "--json")), parsed(refuge("alerts", "list", "--json")))
    refused(refuge(*args), message)
    assert (parsed(refuge("missions", "--json")), parsed(refuge("history", "--json")),
            parsed(refuge("alerts", "list", "--json"))) == before
