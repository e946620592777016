"""The arguments and options of the commands, and the parsing of their values with the domain's messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from refuge.domain.values import parse_date

# Dates, times, quantities and choices are taken as text and parsed by the domain, so a bad value gets
# the same message here as from the API.


def _argument(metavar: str, help: str) -> typer.models.ArgumentInfo:
    return typer.Argument(metavar=metavar, help=help, show_default=False)


def _option(name: str, metavar: str | None, help: str) -> typer.models.OptionInfo:
    return typer.Option(name, metavar=metavar, help=help, show_default=False)


Shelter = Annotated[str, _argument("SHELTER", "Shelter code, e.g. LF-001.")]
FromShelter = Annotated[str, _argument("FROM", "Shelter sending the stock.")]
ToShelter = Annotated[str, _argument("TO", "Shelter receiving it.")]
OnlyShelter = Annotated[str | None, _argument("[SHELTER]", "Only this shelter.")]
Sku = Annotated[str, _argument("SKU", "Catalogue item, e.g. FOOD-RICE.")]
Quantity = Annotated[str, _argument("QTY", "A positive quantity, at most 3 decimals.")]
Counted = Annotated[str, _argument("QTY", "What is on the shelf: 0 or more, at most 3 decimals.")]
DefenceCode = Annotated[str, _argument("DEFENCE", "Defence code, e.g. W1.")]
GeoJsonFile = Annotated[Path, _argument("FILE.geojson", "A FeatureCollection of Points with code and name.")]

Json = Annotated[bool, typer.Option("--json", help="Print JSON (the API's shapes) instead of a table.")]
AsOf = Annotated[str | None, _option("--as-of", "DATE", "A day, YYYY-MM-DD (default today).")]
By = Annotated[str | None, _option("--by", "PERSON", "Who did it: handle or full name.")]
At = Annotated[str | None, _option("--at", "ISO-TIME", "When it happened, e.g. 2026-05-01T14:30 "
                                   "(UTC unless a zone is given; default now).")]
Key = Annotated[str | None, _option("--key", "KEY", "Idempotency key: recording the same key again writes nothing.")]
Note = Annotated[str | None, _option("--note", "TEXT", "A note kept with the record.")]
Expires = Annotated[str | None, _option("--expires", "DATE", "Expiry of the lot, YYYY-MM-DD.")]
OnlySku = Annotated[str | None, _option("--sku", "SKU", "Only this item.")]
Limit = Annotated[int, typer.Option("--limit", metavar="N", help="At most N movements, newest first.")]
OnlyLevel = Annotated[str | None, _option("--level", "green|amber|red", "Only shelters at this level.")]
Result = Annotated[str, _option("--result", "pass|fail", "How the test went.")]
Out = Annotated[Path | None, _option("--out", "FILE", "Write here instead of to stdout.")]
Replace = Annotated[bool, typer.Option("--replace", help="Delete everything in the database first.")]
Seed = Annotated[int, typer.Option("--seed", metavar="N", help="Another seed gives another network.")]
Host = Annotated[str | None, _option("--host", "H", "Address to listen on (default: $REFUGE_HOST, else 127.0.0.1).")]
Port = Annotated[int | None, typer.Option("--port", metavar="P", min=1, max=65535, show_default=False,
                                          help="Port (default: $REFUGE_PORT, else 8000).")]
DatabaseUrl = Annotated[str | None, _option("--db", "URL|PATH", "Database: a SQLAlchemy URL (postgresql://…) or an "
                                            "SQLite file path (default: $REFUGE_DATABASE_URL, else refuge.db).")]


def day(value: str | None, field: str = "as_of") -> date | None:
    return parse_date(value, field=field) if value else None
