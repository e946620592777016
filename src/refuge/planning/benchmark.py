"""Run the solvers over a directory of public instances, check every answer independently and compare
it with the best-known value."""

from __future__ import annotations

import fnmatch
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from refuge.planning.checker import check_cvrp, check_irp
from refuge.planning.instances import (CVRPInstance, CVRPSolution, InstanceError, Reference, read_irp,
                                       read_references, read_vrplib, read_vrplib_solution, reference_for)
from refuge.planning.irp_model import IRPInstance
from refuge.planning.irp_solver import NoSolutionFound, SolveOptions, solve_irp

Report = Callable[[str, float | None], None]


def _files(directory: Path, suffix: str, only: list[str]) -> list[Path]:
    if not directory.is_dir():
        raise InstanceError(directory, "not a directory")
    found = sorted(p for p in directory.rglob(f"*{suffix}") if p.is_file())
    if only:
        found = [p for p in found if any(fnmatch.fnmatch(p.name, pattern) or fnmatch.fnmatch(p.stem, pattern)
                                         for pattern in only)]
    if not found:
        raise InstanceError(directory, f"no {suffix} instance files"
                                       + (f" matching {', '.join(only)}" if only else ""))
    return found


def gap(cost: float | None, best: float | None) -> float | None:
    """Percentage above the best-known value."""
    if cost is None or best is None or best <= 0:
        return None
    return 100.0 * (cost - best) / best


@dataclass
class IRPRow:
    instance: str
    file: str
    customers: int
    days: int
    vehicles: int
    cost: float | None  # DIMACS convention: days 1..H
    cost_with_opening_stock: float | None  # Archetti tables' convention
    best_known: float | None  # DIMACS convention
    gap_percent: float | None
    seconds: float
    feasible: bool
    proven_optimal: bool
    lower_bound: float | None
    violations: list[str] = field(default_factory=list)


def references_near(directory: Path) -> dict[str, Reference]:
    """Best-known tables (*.csv) in the directory, its subdirectories, or up to two levels above it."""
    tables: list[Path] = sorted(directory.rglob("*.csv"))
    parent = directory.resolve()
    for _ in range(2):
        parent = parent.parent
        tables += sorted(parent.glob("*.csv"))
    found: dict[str, Reference] = {}
    for table in tables:
        found.update(read_references(table, strict=False))
    return found


def load_irp(directory: Path, only: list[str]) -> list[tuple[Path, IRPInstance]]:
    """Every instance, read before any is solved, so a bad file stops the run at once."""
    return [(path, read_irp(path)) for path in _files(directory, ".dat", only)]


def run_irp(instances: list[tuple[Path, IRPInstance]], references: dict[str, Reference], options: SolveOptions,
            report: Callable[[int, IRPInstance, str, float | None], None] | None = None) -> list[IRPRow]:
    rows = []
    stems = [path.stem for path, _ in instances]
    for number, (path, instance) in enumerate(instances):
        reference = reference_for(references, path, instance)
        # Archetti's names repeat across folders (H3/H6, low/high cost): then the folder says which
        label = instance.name if stems.count(path.stem) == 1 else f"{path.parent.name}/{path.stem}"
        started = time.monotonic()
        try:
            solution = solve_irp(instance, options,
                                 (lambda message, cost, n=number, i=instance: report(n, i, message, cost))
                                 if report else None)
        except NoSolutionFound as error:
            rows.append(IRPRow(label, str(path), instance.size, instance.days, instance.vehicles, None, None,
                               reference.value if reference else None, None, round(time.monotonic() - started, 2),
                               False, False, None, [error.message]))
            continue
        seconds = time.monotonic() - started
        verdict = check_irp(instance, solution)
        cost = verdict.cost if verdict.feasible else None
        best = reference.value if reference else None
        rows.append(IRPRow(label, str(path), instance.size, instance.days, instance.vehicles, cost,
                           verdict.cost_with_opening_stock if verdict.feasible else None, best, gap(cost, best),
                           round(seconds, 2), verdict.feasible, solution.proven_optimal and verdict.feasible,
                           solution.bound, verdict.violations))
    return rows


def summary(gaps: list[float | None]) -> dict[str, float | int | None]:
    known = [g for g in gaps if g is not None]
    return {"instances": len(gaps), "with_best_known": len(known),
            "mean_gap_percent": statistics.fmean(known) if known else None,
            "max_gap_percent": max(known) if known else None,
            "at_or_below_best_known": sum(1 for g in known if g <= 1e-6)}


def irp_document(rows: list[IRPRow], time_limit: float) -> dict:  # type: ignore[type-arg]
    return {"time_limit_s": time_limit, "instances": [asdict(r) for r in rows],
            "summary": summary([r.gap_percent for r in rows]) | {
                "rejected_by_checker": sum(1 for r in rows if not r.feasible),
                "proven_optimal": sum(1 for r in rows if r.proven_optimal)}}


@dataclass
class CVRPRow:
    instance: str
    customers: int
    best_known: float | None
    pyvrp_cost: float | None
    pyvrp_gap_percent: float | None
    ortools_cost: float | None
    ortools_gap_percent: float | None
    seconds_each: float
    violations: list[str] = field(default_factory=list)


def load_cvrp(directory: Path, only: list[str]) -> list[tuple[CVRPInstance, CVRPSolution | None]]:
    loaded = []
    for path in _files(directory, ".vrp", only):
        instance = read_vrplib(path)
        sol = path.with_suffix(".sol")
        loaded.append((instance, read_vrplib_solution(sol, instance) if sol.exists() else None))
    return loaded


def run_cvrp(loaded: list[tuple[CVRPInstance, CVRPSolution | None]], seconds: float, seed: int = 1,
             report: Callable[[int, CVRPInstance, str], None] | None = None) -> list[CVRPRow]:
    from refuge.planning.cvrp import solve_ortools, solve_pyvrp

    rows = []
    for number, (instance, known) in enumerate(loaded):
        best = known.cost if known else None
        problems: list[str] = []
        costs = {}
        for name, solve in (("PyVRP", lambda i: solve_pyvrp(i, seconds, seed)),
                            ("OR-Tools", lambda i: solve_ortools(i, seconds))):
            if report:
                report(number, instance, name)
            solution = solve(instance)
            verdict = check_cvrp(instance, solution)
            if not solution.routes:
                problems.append(f"{name}: no feasible solution")
                costs[name] = None
            elif not verdict.feasible:
                problems += [f"{name}: {v}" for v in verdict.violations]
                costs[name] = None
            else:
                costs[name] = verdict.routing
        rows.append(CVRPRow(instance.name, instance.size, best, costs["PyVRP"], gap(costs["PyVRP"], best),
                            costs["OR-Tools"], gap(costs["OR-Tools"], best), seconds, problems))
    return rows


def cvrp_document(rows: list[CVRPRow], seconds: float) -> dict:  # type: ignore[type-arg]
    py = summary([r.pyvrp_gap_percent for r in rows])
    ort = summary([r.ortools_gap_percent for r in rows])
    ratio = (ort["mean_gap_percent"] / py["mean_gap_percent"]
             if py["mean_gap_percent"] and ort["mean_gap_percent"] is not None else None)
    return {"time_limit_s": seconds, "instances": [asdict(r) for r in rows],
            "summary": {"pyvrp": py, "ortools": ort, "ortools_gap_over_pyvrp_gap": ratio}}
