"""Sign-ins from the trusted command line: accounts (role, password) and API tokens."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer

from refuge.cli.context import ready
from refuge.cli.options import Json, _argument, _option
from refuge.cli.output import print_json, say, show, table
from refuge.domain.access import Role
from refuge.domain.values import utc_now

token_app = typer.Typer(no_args_is_help=True, help="API tokens for scripts and integrations.")
account_app = typer.Typer(no_args_is_help=True, help="Who can sign in, with which role.")

Person = Annotated[str, _argument("PERSON", "Handle or full name of someone on the roster.")]
RoleOption = Annotated[str | None, _option("--role", "ROLE", f"One of: {', '.join(r.value for r in Role)}.")]
Password = Annotated[str | None, _option("--password", "TEXT", "The password to sign in with (at least 8 "
                                         "characters); `-` reads it from standard input.")]
Label = Annotated[str, _option("--label", "TEXT", "What the token is for, shown by `refuge token list`.")]
TokenId = Annotated[int, _argument("ID", "The token's number, from `refuge token list`.")]
Sessions = Annotated[bool, typer.Option("--sessions", help="Also list browser sessions.")]


@token_app.command("create")
def create(ctx: typer.Context, person: Person, role: RoleOption = None, label: Label = "") -> None:
    """Make an API token for PERSON, with their role and clearance; it is printed this once only."""
    from refuge.services.access import create_token

    issued = create_token(ready(ctx), person, role, label)
    who = issued.principal
    typer.echo(f"token {issued.id} for {who.handle} ({who.role.value}, clearance {who.clearance}); "
               "keep it secret, it is not shown again:", err=True)
    say(issued.token)


@token_app.command("list")
def list_tokens(ctx: typer.Context, sessions: Sessions = False, as_json: Json = False) -> None:
    """Every API token (never the token itself): whose, when made and last used, whether revoked."""
    from refuge.services.access import tokens

    found = tokens(ready(ctx), include_sessions=sessions)
    if as_json:
        return print_json({"tokens": [_shaped(t) for t in found]})
    show(table(None, ["#", "handle", "role", "kind", "label", "created", "last used", "state"],
               [[t.id, t.handle, t.role, t.kind, t.label, t.created_at, t.last_used_at, _state(t)] for t in found]))


@token_app.command("revoke")
def revoke(ctx: typer.Context, token_id: TokenId) -> None:
    """Revoke token ID: from now on it signs nobody in."""
    from refuge.services.access import revoke_token

    found = revoke_token(ready(ctx), token_id)
    say(f"token {found.id} of {found.handle} revoked at {found.revoked_at:%Y-%m-%d %H:%M} UTC")


@account_app.command("set")
def set_account(ctx: typer.Context, person: Person, role: RoleOption = None, password: Password = None) -> None:
    """Give PERSON a sign-in, or change its role or password."""
    from refuge.services.access import set_account as set_sign_in

    if password == "-":
        password = sys.stdin.readline().rstrip("\n")
    account = set_sign_in(ready(ctx), person, role, password)
    say(f"{account.handle} signs in as {account.role.value} (clearance {account.clearance}); "
        f"password {'set' if account.has_password else 'not set: API tokens only'}")


@account_app.command("list")
def list_accounts(ctx: typer.Context, as_json: Json = False) -> None:
    """Everyone who can sign in: role, clearance, whether a password is set."""
    from refuge.services.access import accounts

    found = accounts(ready(ctx))
    if as_json:
        return print_json({"accounts": [{"handle": a.handle, "name": a.name, "role": a.role.value,
                                         "clearance": a.clearance, "password": a.has_password} for a in found]})
    show(table(None, ["handle", "name", "role", "clearance", "password"],
               [[a.handle, a.name, a.role.value, a.clearance, a.has_password] for a in found]))


def _state(token, now: datetime | None = None) -> str:  # type: ignore[no-untyped-def]
    now = now or utc_now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def _shaped(token) -> dict[str, object]:  # type: ignore[no-untyped-def]
    def moment(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {"id": token.id, "handle": token.handle, "role": token.role, "kind": token.kind, "label": token.label,
            "created_at": moment(token.created_at), "last_used_at": moment(token.last_used_at),
            "expires_at": moment(token.expires_at), "revoked_at": moment(token.revoked_at), "state": _state(token)}
