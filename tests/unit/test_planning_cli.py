"""`refuge bench irp|cvrp DIR`: checked results as JSON or a table, and clean refusals of bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from refuge.cli.main import app

DATA = Path(__file__).resolve().parents[1] / "data" / "bench"
runner = CliRunner()


def test_bench_irp_solves_checks_and_compares_every_instance() -> None:
    result = runner.invoke(app, ["bench", "irp", str(DATA / "irp"), "--time-limit", "60", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    rows = {row["instance"]: row for row in document["instances"]}
    assert set(rows) == {"Instances_lowcost_H3/abs1n5", "Instances_highcost_H3/abs1n5",
                         "S_abs1n5_2_L3", "S_abs1n5_5_H3"}
    assert rows["Instances_lowcost_H3/abs1n5"]["cost_with_opening_stock"] == 1235.92
    for row in rows.values():
        assert row["feasible"], row
        assert row["proven_optimal"], row
        assert row["feasible"] and row["proven_optimal"] and not row["violations"]
        assert abs(row["gap_percent"]) < 1e-3
    assert document["summary"]["with_best_known"] == 4 and document["summary"]["proven_optimal"] == 4


def test_bench_irp_prints_a_table_and_a_summary(tmp_path: Path) -> None:
    shutil.copy(DATA / "irp" / "dimacs2021_small" / "SmallL3" / "S_abs1n5_2_L3.dat", tmp_path)
    result = runner.invoke(app, ["bench", "irp", str(tmp_path), "--time-limit", "30"])
    assert result.exit_code == 0, result.output
    assert "S_abs1n5" in result.stdout and "1,373.41" in result.stdout
    assert "1 instances, 0 with a best-known value" in result.stdout


def refused(result, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert result.stdout == ""
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_a_malformed_instance_stops_the_run_before_any_solving(tmp_path: Path) -> None:
    shutil.copy(DATA / "irp" / "dimacs2021_small" / "SmallL3" / "S_abs1n5_2_L3.dat", tmp_path / "a.dat")
    (tmp_path / "b.dat").write_text("6\t3\t144\t2\n0\t154.0\t417.0\t510\t193\t0.03\n1\t172.0\t334.0\t130\n")
    refused(runner.invoke(app, ["bench", "irp", str(tmp_path)]),
            f"{tmp_path / 'b.dat'}, line 3: customer 1 has 4 fields; expected 8")


def test_a_directory_without_instances_or_not_a_directory_is_refused(tmp_path: Path) -> None:
    refused(runner.invoke(app, ["bench", "irp", str(tmp_path)]), "no .dat instance files")
    refused(runner.invoke(app, ["bench", "cvrp", str(tmp_path / "nope")]), "not a directory")
    refused(runner.invoke(app, ["bench", "irp", str(DATA / "irp"), "--only", "zzz*"]), "matching zzz*")
    refused(runner.invoke(app, ["bench", "irp", str(DATA / "irp"), "--time-limit", "0"]), "--time-limit")


def test_bench_cvrp_runs_both_solvers_for_the_same_time_and_checks_them(tmp_path: Path) -> None:
    for name in ("X-n101-k25.vrp", "X-n101-k25.sol"):
        shutil.copy(DATA / "cvrp" / name, tmp_path)
    result = runner.invoke(app, ["bench", "cvrp", str(tmp_path), "--time-limit", "1", "--json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["instances"][0]
    assert row["best_known"] == 27591 and row["seconds_each"] == 1 and not row["violations"]
    assert row["pyvrp_cost"] >= 27591 and row["ortools_cost"] >= 27591
    assert row["pyvrp_gap_percent"] == 100 * (row["pyvrp_cost"] - 27591) / 27591


def test_a_bad_solution_file_is_refused_by_line(tmp_path: Path) -> None:
    shutil.copy(DATA / "cvrp" / "X-n101-k25.vrp", tmp_path)
    (tmp_path / "X-n101-k25.sol").write_text("Route #1: 1 2 300\nCost 5\n")
    refused(runner.invoke(app, ["bench", "cvrp", str(tmp_path)]),
            "X-n101-k25.sol, line 1: customer 300 does not exist (X-n101-k25 has 100)")
