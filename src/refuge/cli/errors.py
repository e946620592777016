"""The one place the CLI turns a refusal into `error: <message>` on stderr and exit code 2, never a traceback."""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from refuge.domain.errors import RefugeError

try:  # Typer 0.2x carries its own copy of Click
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import NoArgsIsHelpError, UsageError  # type: ignore[assignment]

EXIT_REFUSED = 2


def fail(message: str) -> typer.Exit:
    """Print the refusal; the caller raises what this returns, so the command stops there."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_REFUSED)


class RefugeGroup(TyperGroup):
    """The top-level command group: every subcommand runs inside its error boundary."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as error:  # a bad global option, such as --db without a value
            raise _usage(error) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RefugeError as error:
            raise fail(error.for_cli()) from None
        except OperationalError as error:
            raise fail(f"cannot reach the database at {_location(ctx)}: {_first_line(error.orig)}") from None
        except UsageError as error:
            raise _usage(error) from None


def _usage(error: UsageError) -> Exception:
    if isinstance(error, NoArgsIsHelpError):
        return error  # `refuge import` alone: Typer shows that group's help, as asked
    hint = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
    return fail(f"{error.format_message()}{hint}")


def _location(ctx: Any) -> str:
    state = ctx.find_root().obj
    return state.location if state is not None else "the configured URL"


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
