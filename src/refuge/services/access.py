"""Use cases of signing in: accounts, API tokens, browser sessions, and who a token signs in.

The command line is trusted (it opens the database itself) and manages accounts and API tokens; the
web app and the JSON API sign people in with a password and know them by a token on every request.
Role and clearance are read afresh on every request, so a change takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from refuge.domain.access import Principal, Role, TokenKind, UnknownToken, parse_role
from refuge.domain.credentials import check_password, hash_password, new_token, token_digest, verify_password
from refuge.domain.errors import InvalidInput, NotFound, Unauthenticated
from refuge.domain.values import utc_now
from refuge.store import access as store
from refuge.store import register
from refuge.store.access import TokenListing
from refuge.store.database import Database

#: A browser session lasts this long unless told otherwise (REFUGE_SESSION_HOURS).
SESSION_HOURS = 12.0
#: Last use is written at most this often per token, so reading does not mean writing on every request.
TOUCH_EVERY = timedelta(minutes=1)
SIGN_IN_REFUSED = "the handle or the password is not right"
NOT_SIGNED_IN = "the token is not valid (unknown, revoked or expired); sign in again or ask for a new token"


@dataclass(frozen=True)
class Account:
    handle: str
    name: str
    role: Role
    clearance: int
    has_password: bool


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: `token` is shown this once and kept nowhere."""

    id: int
    token: str
    principal: Principal
    expires_at: datetime | None = None


def set_account(db: Database, person: str, role: str | None = None, password: str | None = None,
                now: datetime | None = None) -> Account:
    """Give a person a sign-in, or change its role or password. A new sign-in needs a role."""
    now = now or utc_now()
    wanted = parse_role(role) if role is not None else None
    hashed = hash_password(check_password(password)) if password is not None else None
    with db.writing() as session:
        row = register.person_row(session, person)
        account = store.account_row(session, row.id)
        if account is None:
            if wanted is None:
                raise InvalidInput(f"{row.handle} has no sign-in yet: give it a role (one of: "
                                   f"{', '.join(r.value for r in Role)})")
            account = store.add_account(session, row.id, wanted.value, hashed, now)
        else:
            account.role = wanted.value if wanted else account.role
            account.password_hash = hashed or account.password_hash
            account.updated_at = now
        return Account(row.handle, row.name, Role(account.role), row.clearance, account.password_hash is not None)


def accounts(db: Database) -> list[Account]:
    """Everyone who can sign in, by handle."""
    with db.reading() as session:
        return [Account(p.handle, p.name, Role(a.role), p.clearance, a.password_hash is not None)
                for a, p in store.accounts(session)]


def create_token(db: Database, person: str, role: str | None = None, label: str = "",
                 now: datetime | None = None) -> IssuedToken:
    """A new API token for a person, with their role and clearance. With `role`, a person without a
    sign-in gets one; a person who has one keeps its role (change it with `refuge account set`)."""
    now = now or utc_now()
    wanted = parse_role(role) if role is not None else None
    with db.writing() as session:
        row = register.person_row(session, person)
        account = store.account_row(session, row.id)
        if account is None and wanted is None:
            raise InvalidInput(f"{row.handle} has no sign-in yet: give the token a role with --role "
                               f"(one of: {', '.join(r.value for r in Role)})")
        if account is not None and wanted is not None and account.role != wanted.value:
            raise InvalidInput(f"{row.handle} signs in as {account.role}, not {wanted.value}; change it with "
                               f"`refuge account set {row.handle} --role {wanted.value}` first")
        account = account or store.add_account(session, row.id, wanted.value, None, now)  # type: ignore[union-attr]
        token, digest = new_token()
        token_id = store.add_token(session, account.id, TokenKind.API.value, digest, label.strip(), now, None)
        return IssuedToken(token_id, token, Principal(row.handle, row.name, Role(account.role), row.clearance))


def tokens(db: Database, include_sessions: bool = False) -> list[TokenListing]:
    """Every API token (and browser session, if asked), oldest first: never the token itself."""
    with db.reading() as session:
        return store.tokens(session, include_sessions)


def revoke_token(db: Database, token_id: int, now: datetime | None = None) -> TokenListing:
    """Revoke a token by its number: from now on it signs nobody in. Revoking it again changes nothing."""
    now = now or utc_now()
    with db.writing() as session:
        row = store.token_row(session, token_id)
        if row is None:
            raise UnknownToken(token_id)
        row.revoked_at = row.revoked_at or now
    return next(t for t in tokens(db, include_sessions=True) if t.id == token_id)


def sign_in(db: Database, handle: str, password: str, hours: float = SESSION_HOURS,
            now: datetime | None = None) -> IssuedToken:
    """Check a handle and password and open a session; its token goes in the browser's cookie.
    A wrong handle, a wrong password and a sign-in without a password are refused alike."""
    now = now or utc_now()
    with db.writing() as session:
        try:
            person = register.person_row(session, handle) if handle.strip() else None
        except NotFound:  # an unknown handle is told apart from a wrong password by nothing
            person = None
        account = store.account_row(session, person.id) if person is not None else None
        if not verify_password(password, account.password_hash if account else None) or account is None:
            raise Unauthenticated(SIGN_IN_REFUSED)
        assert person is not None
        token, digest = new_token()
        expires = now + timedelta(hours=hours)
        token_id = store.add_token(session, account.id, TokenKind.SESSION.value, digest, "", now, expires)
        return IssuedToken(token_id, token, Principal(person.handle, person.name, Role(account.role), person.clearance),
                           expires)


def sign_out(db: Database, token: str, now: datetime | None = None) -> bool:
    """End the session (or revoke the token) that `token` is; False if it signed nobody in anyway."""
    with db.writing() as session:
        return store.revoke_digest(session, token_digest(token), now or utc_now())


def authenticate(db: Database, token: str, now: datetime | None = None) -> Principal:
    """Who a token signs in: their handle, name, role and clearance as they are now."""
    now = now or utc_now()
    digest = token_digest(token)
    with db.reading() as session:
        found = store.holder(session, digest)
    if found is None or found.revoked_at is not None or (found.expires_at is not None and found.expires_at <= now):
        raise Unauthenticated(NOT_SIGNED_IN)
    if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
        with db.writing() as session:
            store.touch(session, found.token_id, now)
    return Principal(found.handle, found.name, Role(found.role), found.clearance)
