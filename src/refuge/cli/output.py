"""How the CLI speaks: JSON on stdout for programs, Rich tables and plain lines for people."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from typing import Any

import typer
from pydantic import BaseModel
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

#: Rich styles for the readiness levels; amber has no name of its own in a terminal's palette.
LEVEL_STYLES = {"green": "green", "amber": "yellow", "red": "bold red"}


def print_json(data: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    """Exactly one JSON document on stdout, in the shapes the API answers with."""
    if isinstance(data, BaseModel):
        payload: Any = data.model_dump(mode="json")
    elif isinstance(data, dict):
        payload = data
    else:
        payload = [row.model_dump(mode="json") for row in data]
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def say(line: str) -> None:
    typer.echo(line)


def note(line: str) -> None:
    """A line about the work itself (on stderr: stdout keeps to the answer, JSON or not)."""
    typer.echo(line, err=True)


def show(renderable: Any) -> None:
    # A console per call, so it writes to whatever stdout is now (a terminal, a pipe, a test runner).
    Console().print(renderable)


#: Columns whose words (codes, dates) are never cut in two, however narrow the terminal.
WHOLE = frozenset({"#", "code", "sku", "handle", "occurred", "lots", "last visit", "last tested", "next test due"})


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]],
          styles: Iterable[str | None] | None = None) -> Table:
    """A table whose cells are shown as typed: text from the database is never read as Rich markup."""
    cells = [[cell(value) for value in row] for row in rows]
    grid = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, show_edge=False)
    for number, column in enumerate(columns):
        grid.add_column(column, justify="right" if column == "#" else "left", overflow="fold",
                        min_width=_longest_word(column, [row[number] for row in cells]) if column in WHOLE else None)
    for row, style in zip(cells, styles or repeat(None)):
        grid.add_row(*row, style=style)
    return grid


def _longest_word(header: str, cells: list[Text]) -> int:
    return max([len(header), *(len(word) for text in cells for word in text.plain.split())])


def cell(value: Any) -> Text:
    return value if isinstance(value, Text) else Text(plain(value))


def plain(value: Any) -> str:
    """A value as a person reads it: exact quantities without trailing zeros, times to the minute."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return quantity(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
