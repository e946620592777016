"""The `refuge` command: a thin shell over the services, one subcommand per use case."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from refuge.cli import access, field, forecast, ledger, missions, plan, register, simulate, terrain
from refuge.cli.bench import bench_app
from refuge.cli.context import State, database, ready, state
from refuge.cli.errors import RefugeGroup, fail
from refuge.cli.options import DatabaseUrl, Host, Port, Replace, Seed
from refuge.cli.output import count, say
from refuge.config import Settings

app = typer.Typer(cls=RefugeGroup, name="refuge", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False,
                  help="Keep a network of hidden shelters stocked, defended and findable.")
import_app = typer.Typer(no_args_is_help=True, help="Read records from files.")
export_app = typer.Typer(no_args_is_help=True, help="Write records to files.")

#: What the demo loader is doing at each stage it reports, given the count it reports.
STAGES = {"register": "loaded {:,} shelters, the catalogue and the roster",
          "defences": "loaded {:,} defences and their tests",
          "movements": "loading movements: {:,}",
          "missions": "loaded {:,} missions with their check-ins and reports"}


@app.callback()
def options(ctx: typer.Context, db: DatabaseUrl = None) -> None:
    try:
        settings = Settings()
    except ValidationError as error:
        raise fail(f"a REFUGE_ setting in the environment is not valid: {error.errors()[0]['msg']}") from None
    ctx.obj = State(db or settings.database_url, settings)
    ctx.call_on_close(ctx.obj.close)


def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it to the newest schema."""
    db = database(ctx)
    db.upgrade()
    say(f"database ready at {db.location} (schema up to date)")


def demo(ctx: typer.Context, replace: Replace = False, seed: Seed = 2026) -> None:
    """Load the Land of Fire: about 40 shelters and a year of history ending now."""
    # Imported here so that no other command pays for loading the scenario's data at start-up.
    from refuge.services.demo import load_demo

    db = database(ctx)
    started = time.perf_counter()
    screen = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=screen, transient=True, disable=not screen.is_terminal) as progress:
        task = progress.add_task("creating the schema and generating the Land of Fire", total=None)
        loaded = load_demo(db, replace=replace, seed=seed, progress=_reporter(progress, task))
    say(f"loaded the Land of Fire (seed {seed}) into {db.location}: {count(loaded.shelters, 'shelter')}, "
        f"{count(loaded.items, 'item')}, {loaded.people:,} people, {count(loaded.movements, 'movement')}, "
        f"{count(loaded.missions, 'mission')} in {time.perf_counter() - started:.1f} s; "
        f"{count(loaded.sign_ins, 'sign-in')}, one per role (`refuge serve` lists them)")


def _reporter(progress: Progress, task: TaskID) -> Callable[[str, int], None]:
    def report(stage: str, number: int) -> None:
        progress.update(task, description=STAGES.get(stage, stage + ": {:,}").format(number))

    return report


def serve(ctx: typer.Context, host: Host = None, port: Port = None) -> None:
    """Serve the web app at / and the JSON API under /api (OpenAPI docs at /docs); on the demo database,
    print its sign-ins."""
    # Imported here: the web stack takes a good part of a second to import, which no other command should pay.
    import uvicorn

    from refuge.api.app import create_app
    from refuge.services.demo import demo_sign_ins
    from refuge.web.templating import check_vendored

    check_vendored()  # refused before anything is served: the pages need Leaflet and htmx (`make vendor`)
    settings = state(ctx).settings
    db = ready(ctx)
    host, port = host or settings.host, port or settings.port
    say(f"Refuge at http://{host}:{port} (the JSON API under /api, its docs at /docs)")
    if found := demo_sign_ins(db):
        say("Demo sign-ins (handle / password):")
        for sign_in in found:
            say(f"  {sign_in.role.value:<10} {sign_in.handle:<8} / {sign_in.password:<13} clearance {sign_in.clearance}")
    uvicorn.run(create_app(db), host=host, port=port)


#: A quantity such as -1 reaches the command and gets the domain's message, not "no such option".
NUMBERS_MAY_BE_NEGATIVE = {"ignore_unknown_options": True}
MOVEMENTS = (ledger.consume, ledger.restock, ledger.count, ledger.transfer)
for command in (init, demo, register.shelters, ledger.stock, *MOVEMENTS, ledger.expire, ledger.rebuild_stock, ledger.history,
                register.readiness, register.defences, register.test_defence, register.people, register.calendar, register.items, serve):
    app.command(context_settings=NUMBERS_MAY_BE_NEGATIVE if command in MOVEMENTS else None)(command)
import_app.command("shelters")(register.import_shelters)
export_app.command("shelters")(register.export_shelters)
map_app = typer.Typer(no_args_is_help=True, help="Draw and print maps.")
for command in (field.nearest, field.route, field.matrix, forecast.forecast, plan.runs, simulate.simulate):
    app.command()(command)
map_app.command("render")(field.render)
map_app.command("print")(field.print_map)
app.add_typer(map_app, name="map")
app.add_typer(terrain.app, name="terrain")
for command, name in ((missions.missions, "missions"), (missions.checkin, "checkin"), (missions.overdue, "overdue"),
                      (missions.emergency, "emergency")):
    app.command(name)(command)
app.add_typer(missions.mission_app, name="mission")
app.add_typer(missions.alerts_app, name="alerts")
app.add_typer(bench_app, name="bench")
app.add_typer(plan.plan_app, name="plan")
app.add_typer(plan.run_app, name="run")
app.add_typer(access.token_app, name="token")
app.add_typer(access.account_app, name="account")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


def main() -> None:
    """The console script `refuge`."""
    try:
        app(prog_name="refuge")
    except Exception as error:  # a bug, not a refusal: still no traceback for the person at the terminal
        typer.echo(f"error: unexpected {type(error).__name__}: {error} (please report this)", err=True)
        sys.exit(1)
