"""The database a command works on, opened once per invocation from the global `--db`."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from refuge.config import Settings
from refuge.domain.errors import InvalidInput
from refuge.store.database import Database


@dataclass
class State:
    """What the global options chose; the database is opened on first use and closed when the command ends."""

    database_url: str
    settings: Settings
    _db: Database | None = field(default=None, repr=False)

    @property
    def location(self) -> str:
        return self._db.location if self._db else self.database_url

    def database(self) -> Database:
        if self._db is None:
            try:
                self._db = Database(self.database_url)
            except (ArgumentError, ImportError) as error:
                raise InvalidInput(f"cannot use the database URL {_shown(self.database_url)}: {error}") from None
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def database(ctx: typer.Context) -> Database:
    """The database as it is, for commands that create or fill it (`init`, `demo`)."""
    return state(ctx).database()


def ready(ctx: typer.Context) -> Database:
    """The database, refused unless it already holds Refuge's tables at the newest schema."""
    db = database(ctx)
    db.check_ready()
    return db


def navigator(ctx: typer.Context):  # type: ignore[no-untyped-def]
    """A navigator over the ready database that keeps the route search's bounds in the settings' cache and
    says on stderr when it must build them."""
    from refuge.cli.output import note
    from refuge.services.navigation import Navigator  # the route search loads only for the commands using it

    return Navigator(ready(ctx), cache_dir=state(ctx).settings.cache_dir, notice=note)


def _shown(url: str) -> str:
    """The URL fit to print: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
