"""Register commands: shelters, the catalogue, the roster, defences, readiness, and shelters in and out as GeoJSON."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from refuge.api.schemas import DefenceOut, ItemOut, PersonOut, ReadinessOut, ShelterOut
from refuge.cli.context import ready, state
from refuge.cli.errors import fail
from refuge.cli.options import (
    AsOf, At, By, DefenceCode, GeoJsonFile, Json, Note, OnlyLevel, OnlyShelter, Out, Result, Shelter, _option, day,
)
from refuge.cli.output import LEVEL_STYLES, count, print_json, say, show, table
from refuge.domain.defences import DefenceState, DefenceStatus, parse_result
from refuge.domain.network import parse_choice
from refuge.domain.readiness import Level, Readiness, ReadinessPolicy
from refuge.domain.calendar import WEEKDAYS
from refuge.domain.values import parse_datetime, utc_now
from refuge.services import geojson, readiness as readiness_service, register

STATUS_STYLES = {DefenceStatus.ARMED: "green", DefenceStatus.UNTESTED: "yellow",
                 DefenceStatus.FAULTY: "bold red", DefenceStatus.SPENT: "bold red"}
SEVERITY = {Level.RED: 0, Level.AMBER: 1, Level.GREEN: 2}


def shelters(ctx: typer.Context, as_json: Json = False) -> None:
    """Every shelter, by code, with its position in metres in the map frame."""
    found = register.shelters(ready(ctx))
    if as_json:
        return print_json([ShelterOut.of(shelter) for shelter in found])
    show(table(None, ["code", "name", "x (m)", "y (m)", "beds", "condition", "status", "clearance"],
               [[s.code, s.name, f"{s.x:,.0f}", f"{s.y:,.0f}", s.beds, s.condition.value, s.status.value, s.clearance]
                for s in found]))


def items(ctx: typer.Context, as_json: Json = False) -> None:
    """The catalogue, by category and sku."""
    found = register.items(ready(ctx))
    if as_json:
        return print_json([ItemOut.of(item) for item in found])
    show(table(None, ["sku", "name", "category", "unit", "kg per unit", "shelf life"],
               [[i.sku, i.name, i.category.value, i.unit, i.unit_weight_kg,
                 f"{i.shelf_life_days} days" if i.shelf_life_days else "keeps"] for i in found]))


def people(ctx: typer.Context, as_json: Json = False) -> None:
    """The roster, by handle."""
    from refuge.services.calendars import calendars

    db = ready(ctx)
    found = register.people(db)
    if as_json:
        days = calendars(db)
        return print_json([PersonOut.of(person, days.get(person.handle)) for person in found])
    show(table(None, ["handle", "name", "rank", "skills", "clearance", "condition", "availability", "superior"],
               [[p.handle, p.name, p.rank.value, ", ".join(p.skills), p.clearance, p.condition.value,
                 p.availability.value, p.superior or ""] for p in found]))


Person = Annotated[str, typer.Argument(metavar="PERSON", help="Handle or full name.", show_default=False)]
Weekdays = Annotated[str | None, _option("--weekdays", "DAYS", "The weekdays usually free: mon-fri, sat,sun, "
                                         "'every day' or none.")]
Away = Annotated[list[str] | None, _option("--away", "DATE[..DATE]", "Mark a date or span away; repeatable.")]
Free = Annotated[list[str] | None, _option("--available", "DATE[..DATE]", "Mark a date or span free whatever its "
                                           "weekday; repeatable.")]
Clear = Annotated[list[str] | None, _option("--clear", "DATE[..DATE]", "Remove the marks of a date or span; "
                                            "repeatable.")]
From = Annotated[str | None, _option("--from", "DATE", "The first day shown (default today).")]
Weeks = Annotated[int, typer.Option("--weeks", metavar="N", min=1, max=52, help="Weeks shown.")]


def calendar(ctx: typer.Context, person: Person, weekdays: Weekdays = None, away: Away = None, available: Free = None,
             clear: Clear = None, start: From = None, weeks: Weeks = 4, as_json: Json = False) -> None:
    """Show a person's calendar (the days they can walk runs), or change it first."""
    from refuge.api.schemas import PersonCalendarOut
    from refuge.services import calendars

    db = ready(ctx)
    changing = weekdays is not None or away or available or clear
    found = (calendars.set_calendar(db, person, weekdays, away, available, clear) if changing
             else calendars.calendar(db, person))
    first = day(start, "from") or utc_now().date()
    free = found.calendar.free_days(first, 7 * weeks)
    if as_json:
        return print_json(PersonCalendarOut.of(found.person.handle, found.calendar, first, 7 * weeks))
    say(f"{found.person.handle} ({found.person.name}): {found.calendar.describe()}"
        + ("" if found.person.free else f"; not available to walk runs now ({found.person.availability.value})"))
    monday = first - timedelta(days=first.weekday())
    rows = []
    for week in range(((first - monday).days + 7 * weeks + 6) // 7):
        days = [monday + timedelta(days=7 * week + d) for d in range(7)]
        rows.append([days[0].isoformat()] + [("" if not 0 <= (d - first).days < 7 * weeks
                                              else f"{d.day}" if (d - first).days in free else "·") for d in days])
    show(table(None, ["week of", *WEEKDAYS], rows))
    say(f"{len(free)} free day(s) in the {weeks} week(s) from {first}")


def readiness(ctx: typer.Context, as_of: AsOf = None, level: OnlyLevel = None, as_json: Json = False) -> None:
    """Green, amber or red for every shelter at the end of a day, with the reasons."""
    db = ready(ctx)
    wanted = parse_choice(Level, level, "level") if level else None
    policy = ReadinessPolicy(visit_days=state(ctx).settings.visit_days)
    assessed = [r for r in readiness_service.readiness(db, day(as_of), policy) if wanted is None or r.level is wanted]
    if as_json:
        return print_json([ReadinessOut.of(r) for r in assessed])
    names = {shelter.code: shelter.name for shelter in register.shelters(db)}
    assessed.sort(key=lambda r: (SEVERITY[r.level], r.shelter))
    show(table(None, ["code", "name", "level", "reasons", "last visit"],
               [[r.shelter, names.get(r.shelter, ""), _level(r), _reasons(r), r.last_visit] for r in assessed]))
    say(", ".join(f"{sum(r.level is grade for r in assessed)} {grade.value}" for grade in Level))


def _level(r: Readiness) -> Text:
    return Text(r.level.value, style=LEVEL_STYLES[r.level.value])


def _reasons(r: Readiness) -> Text:
    lines = Text()
    for number, reason in enumerate(r.reasons):
        lines.append(("\n" if number else "") + reason.message, style=LEVEL_STYLES[reason.level.value])
    return lines


def defences(ctx: typer.Context, shelter: OnlyShelter = None, as_of: AsOf = None, as_json: Json = False) -> None:
    """Every defence as its test log leaves it at the end of a day."""
    states = register.defences(ready(ctx), shelter, day(as_of))
    if as_json:
        return print_json([DefenceOut.of(s) for s in states])
    show(table(None, ["shelter", "code", "kind", "name", "status", "last tested", "next test due"],
               [[s.defence.shelter, s.defence.code, s.defence.kind.value, s.defence.name, _status(s), s.last_tested,
                 _due(s)] for s in states]))


def _status(s: DefenceState) -> Text:
    return Text(s.status.value, style=STATUS_STYLES[s.status])


def _due(s: DefenceState) -> Text:
    if s.overdue:
        return Text(f"{s.next_test_due} (overdue)", style="bold red")
    return Text(str(s.next_test_due))


def test_defence(ctx: typer.Context, shelter: Shelter, defence: DefenceCode, result: Result,
                 by: By = None, at: At = None, note: Note = None, as_json: Json = False) -> None:
    """Log a test of a defence: a pass re-arms it, a fail leaves it faulty."""
    db = ready(ctx)
    outcome = parse_result(result)
    tested_at = parse_datetime(at, field="at") if at else None
    after = register.test_defence(db, shelter, defence, outcome, by, tested_at, (note or "").strip())
    if as_json:
        return print_json(DefenceOut.of(after))
    d = after.defence
    say(f"{d.kind.value} {d.code} ({d.name}) at {d.shelter} tested: {outcome.value} — now {after.status.value}, "
        f"next test due {after.next_test_due}")


def import_shelters(ctx: typer.Context, file: GeoJsonFile, as_json: Json = False) -> None:
    """Add the shelters of a GeoJSON file; ones already present and identical are left alone."""
    db = ready(ctx)
    result = geojson.import_shelters(db, geojson.parse_geojson(_read(file), source=str(file)))
    if as_json:
        return print_json({"added": result.added, "unchanged": result.unchanged})
    added = f": {', '.join(result.added)}" if result.added else ""
    say(f"imported {count(len(result.added), 'shelter')} from {file}{added}; "
        f"{len(result.unchanged)} already present and unchanged")


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except OSError as error:
        raise fail(f"cannot read {file}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise fail(f"cannot read {file}: it is not UTF-8 text") from None


def export_shelters(ctx: typer.Context, out: Out = None) -> None:
    """Every shelter as a GeoJSON FeatureCollection of Points (x east, y north, metres)."""
    collection = geojson.export_shelters(ready(ctx))
    text = json.dumps(collection, indent=2, ensure_ascii=False)
    if out is None:
        return typer.echo(text)
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise fail(f"cannot write {out}: {error.strerror or error}") from None
    say(f"wrote {count(len(collection['features']), 'shelter')} to {out}")
