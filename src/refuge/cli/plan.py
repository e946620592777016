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


plan_app = typer.Typer(invoke_without_command=True, help="Plan resupply runs, and accept a plan's runs.")
run_app = typer.Typer(no_args_is_help=True, help="Record what a run did.")


@plan_app.callback()
def plan(ctx: typer.Context, start: From = None, days: Days = 42, volunteer: Volunteers = None,
         capacity: Capacity = DEFAULT_CAPACITY_KG, hours: Hours = DEFAULT_HOURS, time_limit: TimeLimit = 30.0,
         out: RunSheets = None, as_json: Json = False) -> None:
    """Plan resupply runs: when, by whom, which shelters in which order, what to carry, which tests to make."""
    if ctx.invoked_subcommand is not None:
        return
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


PlanFile = Annotated[Path, typer.Argument(metavar="PLAN.json", help="A plan as `refuge plan --json` wrote it.",
                                          show_default=False)]
RunId = Annotated[int, typer.Argument(metavar="RUN", help="The run's number (see `refuge runs`).", show_default=False)]
Shelter = Annotated[str, typer.Argument(metavar="SHELTER", help="A shelter the run visits.", show_default=False)]
Lines = Annotated[list[str] | None, _option("--delivered", "SKU=QTY", "Units left on the shelf; repeat per item.")]
Counts = Annotated[list[str] | None, _option("--counted", "SKU=QTY", "Units counted after the delivery; repeat.")]
Tests = Annotated[list[str] | None, _option("--tested", "DEFENCE=pass|fail", "A defence tested; repeat.")]
At = Annotated[str | None, _option("--at", "ISO-TIME", "When it was done (default now).")]


@plan_app.command("accept")
def accept(ctx: typer.Context, plan_file: PlanFile, as_json: Json = False) -> None:
    """Accept a plan's runs (the same run accepted twice is one run); nothing is posted to the ledger yet."""
    import json

    from refuge.cli.errors import fail
    from refuge.services.runs import accept as accept_runs

    try:
        found = json.loads(plan_file.read_text())
    except (OSError, ValueError) as error:
        raise fail(f"cannot read the plan {plan_file}: {error}") from None
    accepted = accept_runs(ready(ctx), found)
    if as_json:
        return print_json({"runs": [{"id": a.id, "day": a.day.isoformat(), "volunteer": a.volunteer,
                                     "shelters": a.shelters, "created": a.created} for a in accepted]})
    show(table(None, ["run", "day", "volunteer", "shelters", ""],
               [[a.id, a.day.isoformat(), a.volunteer, ", ".join(a.shelters), "new" if a.created else "already accepted"]
                for a in accepted]))


def runs(ctx: typer.Context, as_json: Json = False) -> None:
    """List accepted runs with their stops and what has been recorded."""
    from refuge.services.runs import listed

    found = listed(ready(ctx))
    if as_json:
        return print_json({"runs": found})
    show(table(None, ["run", "day", "volunteer", "status", "stops (recorded)"],
               [[r["id"], r["day"], r["volunteer"], r["status"],
                 ", ".join(s["shelter"] + (" \u2713" if s["recorded"] else "") for s in r["stops"])] for r in found]))


@run_app.command("done")
def done(ctx: typer.Context, run: RunId, shelter: Shelter, delivered: Lines = None, counted: Counts = None,
         tested: Tests = None, at: At = None, as_json: Json = False) -> None:
    """Record what a run did at one shelter: restocks, stocktake counts and defence tests, posted once."""
    from refuge.domain.defences import parse_result
    from refuge.domain.values import parse_datetime
    from refuge.services.runs import record_stop

    found = record_stop(ready(ctx), run, shelter, _pairs(delivered, "--delivered"), _pairs(counted, "--counted"),
                        {k: parse_result(v) for k, v in _pairs(tested, "--tested").items()},
                        parse_datetime(at, field="at") if at else None)
    if as_json:
        return print_json({"run": found.run, "shelter": found.shelter, "movements": found.movements,
                           "replayed": found.replayed, "tests": found.tests, "run_done": found.run_done})
    say(f"run {found.run} at {found.shelter}: {len(found.movements)} movement(s) "
        f"({found.replayed} already recorded), {found.tests} defence test(s) logged"
        + ("; the run is done" if found.run_done else ""))


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    from refuge.cli.errors import fail

    pairs = {}
    for value in values or []:
        key, sep, amount = value.partition("=")
        if not sep or not key.strip() or not amount.strip():
            raise fail(f"{option} {value!r}: write it as NAME=VALUE")
        pairs[key.strip().upper()] = amount.strip()
    return pairs
