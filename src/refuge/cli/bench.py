"""`refuge bench irp|cvrp DIR`: the planner's solvers against public instances with best-known values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from refuge.cli.errors import fail
from refuge.cli.options import Json, _option
from refuge.cli.output import print_json, say, show, table

Directory = Annotated[Path, typer.Argument(metavar="DIR", help="A directory of instance files (searched recursively).",
                                           show_default=False)]
TimeLimit = Annotated[float, typer.Option("--time-limit", metavar="S", min=0.1,
                                          help="Seconds per instance (for CVRP: for each solver).")]
Only = Annotated[list[str] | None, _option("--only", "GLOB", "Only files whose name matches (repeatable), "
                                           "e.g. 'abs*n10*'.")]
Workers = Annotated[int, typer.Option("--workers", metavar="N", min=1, help="Threads for the exact model.")]

bench_app = typer.Typer(no_args_is_help=True, help="Measure the planner's solvers on public benchmark instances.")


def _progress() -> tuple[Progress, Console]:
    screen = Console(stderr=True)
    return (Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=screen,
                     transient=True, disable=not screen.is_terminal), screen)


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


@bench_app.command("irp")
def irp(directory: Directory, time_limit: TimeLimit = 60.0, only: Only = None, workers: Workers = 2,
        as_json: Json = False) -> None:
    """Solve Archetti (2007) and DIMACS 2021 IRP instances under the maximum-level policy; check and compare."""
    from refuge.planning.benchmark import irp_document, load_irp, references_near, run_irp
    from refuge.planning.instances import InstanceError
    from refuge.planning.irp_solver import SolveOptions

    try:
        instances = load_irp(directory, only or [])
        references = references_near(directory)
    except InstanceError as error:
        raise fail(error.for_cli()) from None
    progress, _ = _progress()
    with progress:
        task = progress.add_task("starting", total=None)

        def report(number: int, instance, message: str, cost: float | None) -> None:  # type: ignore[no-untyped-def]
            best = f", best {cost:,.2f}" if cost is not None else ""
            progress.update(task, description=f"[{number + 1}/{len(instances)}] {instance.name}: {message}{best}")

        rows = run_irp(instances, references, SolveOptions(time_limit=time_limit, workers=workers), report)
    document = irp_document(rows, time_limit)
    if as_json:
        print_json(document)
    else:
        show(table(f"IRP, maximum-level policy, {time_limit:g} s per instance (cost: days 1..H charged)",
                   ["instance", "n", "H", "K", "cost", "with opening stock", "best known", "gap %", "s", "check"],
                   [[r.instance, r.customers, r.days, r.vehicles, _number(r.cost), _number(r.cost_with_opening_stock),
                     _number(r.best_known), _number(r.gap_percent), f"{r.seconds:.1f}",
                     ("optimal" if r.proven_optimal else "ok") if r.feasible else "REJECTED: " + r.violations[0]]
                    for r in rows]))
        s = document["summary"]
        say(f"{s['instances']} instances, {s['with_best_known']} with a best-known value: mean gap "
            f"{_number(s['mean_gap_percent'])} %, max {_number(s['max_gap_percent'])} %, "
            f"{s['at_or_below_best_known']} at or below the best known, {s['proven_optimal']} proven optimal, "
            f"{s['rejected_by_checker']} rejected by the checker")
    if any(not r.feasible for r in rows):
        raise typer.Exit(1)


@bench_app.command("cvrp")
def cvrp(directory: Directory, time_limit: TimeLimit = 60.0, only: Only = None, as_json: Json = False) -> None:
    """Solve VRPLIB CVRP instances with PyVRP and with OR-Tools routing for the same time; check and compare."""
    from refuge.planning.benchmark import cvrp_document, load_cvrp, run_cvrp
    from refuge.planning.instances import InstanceError

    try:
        loaded = load_cvrp(directory, only or [])
    except InstanceError as error:
        raise fail(error.for_cli()) from None
    progress, _ = _progress()
    with progress:
        task = progress.add_task("starting", total=None)

        def report(number: int, instance, solver: str) -> None:  # type: ignore[no-untyped-def]
            progress.update(task, description=f"[{number + 1}/{len(loaded)}] {instance.name}: {solver}")

        rows = run_cvrp(loaded, time_limit, report=report)
    document = cvrp_document(rows, time_limit)
    if as_json:
        print_json(document)
    else:
        show(table(f"CVRP, {time_limit:g} s per solver per instance",
                   ["instance", "n", "best known", "PyVRP", "gap %", "OR-Tools", "gap %", "check"],
                   [[r.instance, r.customers, _number(r.best_known, 0), _number(r.pyvrp_cost, 0),
                     _number(r.pyvrp_gap_percent), _number(r.ortools_cost, 0), _number(r.ortools_gap_percent),
                     "ok" if not r.violations else "; ".join(r.violations)] for r in rows]))
        s = document["summary"]
        ratio = s["ortools_gap_over_pyvrp_gap"]
        say(f"mean gap: PyVRP {_number(s['pyvrp']['mean_gap_percent'])} %, OR-Tools "
            f"{_number(s['ortools']['mean_gap_percent'])} %"
            + (f" (OR-Tools' gap is {ratio:.1f} times PyVRP's)" if ratio is not None else ""))
    if any(r.violations for r in rows):
        raise typer.Exit(1)
