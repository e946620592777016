"""Everything a user can type or set is documented: a new command, route or setting fails here until it is."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer.main

from refuge.api.app import create_app
from refuge.cli.main import app
from refuge.config import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def command_paths(group: click.Group, prefix: str = "refuge") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        paths += command_paths(command, path) if isinstance(command, click.Group) else [path]
    return paths


@pytest.mark.parametrize("path", command_paths(typer.main.get_command(app)))  # type: ignore[arg-type]
def test_every_command_is_in_the_readme(path: str) -> None:
    assert f"`{path}" in README


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"REFUGE_{name.upper()}" in README


def api_routes() -> list[str]:
    return sorted(
        path for path in create_app(db=_NoDatabase()).openapi()["paths"] if path.startswith("/api/")
    )


class _NoDatabase:
    """Enough of a database for the app to describe itself; no route is called."""

    def dispose(self) -> None:
        pass


@pytest.mark.parametrize("path", api_routes())
def test_every_api_route_is_in_the_readme(path: str) -> None:
    assert path.split("?")[0] in README
