"""The plan command: resupply runs over a horizon, as a table, JSON or printed run sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from refuge.cli.context import ready
from refuge.cli.options import Json, _option, day
from refuge.cli.output import print_json, say, show, table
from refuge.services.planner import DEFAULT_CAPACITY_KG, DEFAULT_HOURS

From = Annotated[str | None, _option("--from", "DATE", "The plan's first day, YYYY-MM-DD (default today).")]
Days = Annotated[int, typer.Option("--days", metavar="N", help="The horizon in days.")]
Volunteers = Annotated[list[str] | None, _option("--volunteer", "NAME", "Who walks the runs (handle or name); repeat "
                                                 "for each volunteer.")]
Capacity = Annotated[float, typer.Option("--capacity", metavar="KG", help="What each volunteer carries, kg.")]
Hours = Annotated[float, typer.Option("--hours", metavar="H", help="Hours each volunteer walks a day.")]
TimeLimit = Annotated[float, typer.Option("--time-limit", metavar="S", help="Seconds for the routing in all.")]
RunSheets = Annotated[Path | None, _option("--out", "runs.pdf", "Also print one run sheet per run to this PDF.")]


def plan(ctx: typer.Context, start: From = None, days: Days = 42, volunteer: Volunteers = None,
         capacity: Capacity = DEFAULT_CAPACITY_KG, hours: Hours = DEFAULT_HOURS, time_limit: TimeLimit = 30.0,
         out: RunSheets = None, as_json: Json = False) -> None:
    """Plan resupply runs: when, by whom, which shelters in which order, what to carry, which tests to make."""
    from refuge.api.plans import PlanOut
    from refuge.maps.render import checked_output
    from refuge.services.planner import plan_resupply

    if out is not None:
        checked_output(out, (".pdf",))  # refused before the solve, not after
    screen = Console(stderr=True)
    with Progress(TextColumn("planning day by day"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=screen, transient=True, disable=not screen.is_terminal) as bar:
        task = bar.add_task("plan", total=max(days, 1))
        found = plan_resupply(ready(ctx), day(start, "from"), days, volunteer or [], capacity, hours, time_limit,
                              progress=lambda done, total: bar.update(task, completed=done, total=total))
    shaped = PlanOut.of(found)
    if out is not None:
        from refuge.maps.runsheets import print_run_sheets

        pages = print_run_sheets(shaped, {key: (x, y) for key, (_n, x, y) in found.places.items()}, out)
    if as_json:
        return print_json(shaped)
    say(f"{len(shaped.runs)} run(s) over {found.days} day(s) from {found.start}, {shaped.hours_walked:,.1f} h walking; "
        f"travel times from {found.travel}")
    show(table(None, ["day", "volunteer", "days", "hours", "kg", "stops (arrival day)", "tests"],
               [[run.day, run.volunteer, run.days, f"{run.hours:.1f}", f"{run.kg:.1f}",
                 ", ".join(f"{s.shelter} ({s.arrive[5:]})" for s in run.stops),
                 sum(len(s.tasks) for s in run.stops)] for run in shaped.runs]))
    if shaped.uncovered:
        say(f"not covered ({len(shaped.uncovered)}): shelters the plan cannot keep above their minimums "
            f"in {1 - shaped.risk:.0%} of futures")
        show(table(None, ["shelter", "reason"], [[u.shelter, u.reason] for u in shaped.uncovered]))
    if out is not None:
        say(f"run sheets written to {out} ({pages} page(s))")
