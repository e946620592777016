"""Field commands: the nearest usable shelter, a route, the rendered map and the printed field map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from refuge.cli.context import navigator, ready
from refuge.cli.options import AsOf, Json, _option, day
from refuge.cli.output import print_json, say, show, table

At = Annotated[str, _option("--at", "X,Y|GRIDREF", "Where you are: metres east,north or a grid reference (F4 2375).")]
Needs = Annotated[str | None, _option("--need", "CATEGORIES", "What you need, e.g. first-aid,food.")]
Chakra = Annotated[float | None, _option("--chakra", "N", "Chakra you can spend (default: your maximum, else 0).")]
Profile = Annotated[str | None, _option("--profile", "P", "walking, running or injured (default from your condition).")]
AsPerson = Annotated[str | None, _option("--as", "PERSON", "Who asks: only shelters they are cleared for appear.")]
Count = Annotated[int, typer.Option("--limit", metavar="N", min=1, help="At most N shelters.")]
Origin = Annotated[str, typer.Argument(metavar="FROM", help="A shelter code, a place name, X,Y or a grid reference.")]
Goal = Annotated[str, typer.Argument(metavar="TO", help="A shelter code, a place name, X,Y or a grid reference.")]
MapOut = Annotated[Path, _option("--out", "FILE", "Where to write the map.")]
ForPerson = Annotated[str, _option("--for", "PERSON", "Whose map: only shelters they are cleared for, their name on every page.")]
Paper = Annotated[str, typer.Option("--paper", metavar="a4|a3", help="Paper size.")]
Area = Annotated[str | None, _option("--area", "X0,Y0,X1,Y1", "Part of the map to print, in metres (default: all).")]


def nearest(ctx: typer.Context, at: At, need: Needs = None, chakra: Chakra = None, profile: Profile = None,
            as_person: AsPerson = None, limit: Count = 5, as_json: Json = False) -> None:
    """The nearest shelters you can reach and use from a position, within your chakra, fastest first."""
    from refuge.api.field_schemas import NearestOut

    needs = [part for part in (need or "").split(",") if part.strip()]
    found = navigator(ctx).nearest(at, needs, chakra, profile, as_person, limit)
    if as_json:
        return print_json(NearestOut.of(found))
    viewer = found.viewer
    say(f"from {found.gridref} ({found.x:,.0f}, {found.y:,.0f}), {viewer.profile}, {viewer.chakra:g} chakra to spend"
        + (f", needing {', '.join(found.needs)}" if found.needs else ""))
    if not found.complete:
        say("the search gave up early: the shelters below are exact, but a slower one may be missing "
            "(ask with less --chakra or --profile walking for a full answer)")
    if not found.destinations:
        water = (f" (you are on water, {found.on_water}: only water-walking crosses it, and that costs chakra)"
                 if found.on_water else "")
        return say(f"no shelter you may use can be reached within that chakra{water}")
    show(table(None, ["code", "name", "grid ref", "km", "time", "chakra", "bearing", "holds"],
               [[d.shelter.code, d.shelter.name, d.gridref, f"{d.leg.distance_m / 1000:.1f}", _duration(d.leg.time_s),
                 f"{d.leg.chakra:g}", f"{d.leg.bearing_deg:03.0f}°", _holds(d.holds)] for d in found.destinations]))


def route(ctx: typer.Context, origin: Origin, goal: Goal, chakra: Chakra = None, profile: Profile = None,
          as_person: AsPerson = None, as_json: Json = False) -> None:
    """The fastest route between two shelters, places or positions, within your chakra."""
    from refuge.api.field_schemas import RouteOut
    from refuge.services.navigation import WAYPOINT_TOLERANCE_M

    found = navigator(ctx).route(origin, goal, chakra, profile, as_person)
    if as_json:
        return print_json(RouteOut.of_route(found))
    leg = found.leg
    say(f"{found.origin} ({found.start_gridref}) to {found.goal} ({found.end_gridref}): {leg.distance_m / 1000:.1f} km, "
        f"{_duration(leg.time_s)}, {leg.chakra:g} chakra, bearing {leg.bearing_deg:03.0f}° "
        f"({found.viewer.profile}, {found.viewer.chakra:g} chakra to spend)")
    for warning in found.warnings:
        say(f"warning: {warning}")
    steps = found.way[1:]
    say(f"the way, in {len(steps)} straight stretch{'es' if len(steps) != 1 else ''} within "
        f"{WAYPOINT_TOLERANCE_M:.0f} m of the route (--json gives every turning point):")
    show(table(None, ["", "bearing", "km", "to"],
               [[str(number), f"{step.bearing_deg:03.0f}°", f"{step.distance_m / 1000:.1f}", step.gridref]
                for number, step in enumerate(steps, start=1)]))
    if not found.complete:
        say("the search gave up before settling the fastest way spending chakra: this is the fastest way "
            "spending none, and a faster one may exist (ask with less --chakra for a full answer)")


#: Items shown per need in the table of nearest shelters.
HELD_SHOWN = 2

MatrixProfile = Annotated[str | None, _option("--profile", "P", "walking (default), running or injured.")]
LegChakra = Annotated[float | None, _option("--chakra", "N", "Chakra each leg may spend (default 0).")]
Rebuild = Annotated[bool, typer.Option("--rebuild", help="Build it again even if a cached one is valid.")]
CsvOut = Annotated[Path | None, _option("--out", "FILE.csv", "Also write the whole matrix, in minutes, to a CSV file.")]


def matrix(ctx: typer.Context, profile: MatrixProfile = None, chakra: LegChakra = None, as_person: AsPerson = None,
           rebuild: Rebuild = False, out: CsvOut = None, as_json: Json = False) -> None:
    """Travel times between every base and active shelter (cached; rebuilt when the map or shelters change)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from refuge.api.field_schemas import MatrixOut

    screen = Console(stderr=True)
    with Progress(TextColumn("searching routes from each point"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=screen, transient=True, disable=not screen.is_terminal) as bar:
        task = bar.add_task("matrix", total=None)
        found = navigator(ctx).matrix(profile, chakra, as_person, rebuild,
                                       lambda done, total: bar.update(task, completed=done, total=total))
    if out is not None:
        _write_matrix_csv(out, found)
    if as_json:
        return print_json(MatrixOut.of(found))
    how = (f"cached, built {found.built_at:%Y-%m-%d %H:%M} in {found.build_seconds:.1f} s" if found.cached
           else f"built in {found.build_seconds:.1f} s")
    say(f"travel times between {len(found.points)} points, {found.profile}, {found.chakra:g} chakra per leg ({how})")
    if not found.complete:
        say("some searches gave up at their cap: those pairs show the fastest route spending no chakra (or "
            "none), and a faster one within the budget may exist (not cached)")
    rows = []
    for i, point in enumerate(found.points):
        others = sorted((t, found.points[j].key) for j, t in enumerate(found.seconds[i]) if j != i and t is not None)
        missing = sum(1 for j, t in enumerate(found.seconds[i]) if j != i and t is None)
        rows.append([point.key, point.name, ", ".join(f"{key} {_duration(t)}" for t, key in others[:3]),
                     _duration(others[-1][0]) if others else "-", missing or ""])
    show(table(None, ["from", "name", "nearest", "farthest", "no route"], rows))
    if out is not None:
        say(f"matrix written to {out}")


def _write_matrix_csv(out: Path, found) -> None:  # type: ignore[no-untyped-def]
    import csv

    from refuge.domain.errors import InvalidInput

    try:
        with out.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["from \\ to (minutes)", *(p.key for p in found.points)])
            for point, row in zip(found.points, found.seconds, strict=True):
                writer.writerow([point.key, *("" if t is None else f"{t / 60:.1f}" for t in row)])
    except OSError as error:
        raise InvalidInput(f"cannot write {out}: {error.strerror or error}") from None


def render(ctx: typer.Context, out: MapOut, as_person: AsPerson = None, as_of: AsOf = None) -> None:
    """Draw the terrain and the shelters coloured by readiness to a PNG or SVG file."""
    from refuge.services.maps import render as draw

    written = draw(ready(ctx), out, as_person, day(as_of))
    say(f"map written to {written}")


def print_map(ctx: typer.Context, for_person: ForPerson, out: MapOut, paper: Paper = "a4", area: Area = None) -> None:
    """Print a field map (PDF) for one person: crosses for the shelters they may know of, no stock figures."""
    from refuge.services.maps import parse_area, print_field_map

    pages = print_field_map(ready(ctx), for_person, out, paper, parse_area(area) if area else None)
    say(f"field map written to {out}: {pages} page{'s' if pages != 1 else ''}")


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _holds(holds: dict) -> str:  # type: ignore[type-arg]
    """Per need, the items held most of (their own units do not add up); `--json` lists every item."""
    parts = []
    for need, rows in holds.items():
        most = sorted(rows, key=lambda row: (-row[2], row[1]))
        shown = ", ".join(f"{name} {quantity.normalize():f}" for _sku, name, quantity in most[:HELD_SHOWN])
        more = f" and {len(most) - HELD_SHOWN} more" if len(most) > HELD_SHOWN else ""
        parts.append(f"{need}: {shown}{more}")
    return "; ".join(parts)
