"""Queries on sign-ins: accounts (a person's role and password hash) and their tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from refuge.store.tables import AccountRow, PersonRow, TokenRow


@dataclass(frozen=True)
class TokenHolder:
    """What a token leads to: the token's row, and its account's person and role."""

    token_id: int
    kind: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    handle: str
    name: str
    role: str
    clearance: int


@dataclass(frozen=True)
class TokenListing:
    id: int
    handle: str
    role: str
    kind: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


def account_row(session: Session, person_id: int) -> AccountRow | None:
    return session.scalars(select(AccountRow).where(AccountRow.person_id == person_id)).one_or_none()


def add_account(session: Session, person_id: int, role: str, password_hash: str | None, now: datetime) -> AccountRow:
    row = AccountRow(person_id=person_id, role=role, password_hash=password_hash, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row


def accounts(session: Session) -> list[tuple[AccountRow, PersonRow]]:
    """Every account with its person, by handle."""
    query = select(AccountRow, PersonRow).join(PersonRow, PersonRow.id == AccountRow.person_id)
    return [(a, p) for a, p in session.execute(query.order_by(PersonRow.handle))]


def add_token(session: Session, account_id: int, kind: str, digest: str, label: str, now: datetime,
              expires_at: datetime | None) -> int:
    row = TokenRow(account_id=account_id, kind=kind, digest=digest, label=label, created_at=now,
                   expires_at=expires_at)
    session.add(row)
    session.flush()
    return row.id


def holder(session: Session, digest: str) -> TokenHolder | None:
    """The token with this digest and whom it signs in, or None for a digest nobody holds."""
    query = (select(TokenRow.id, TokenRow.kind, TokenRow.expires_at, TokenRow.revoked_at, TokenRow.last_used_at,
                    PersonRow.handle, PersonRow.name, AccountRow.role, PersonRow.clearance)
             .join(AccountRow, AccountRow.id == TokenRow.account_id)
             .join(PersonRow, PersonRow.id == AccountRow.person_id)
             .where(TokenRow.digest == digest))
    row = session.execute(query).one_or_none()
    return TokenHolder(*row) if row is not None else None


def touch(session: Session, token_id: int, now: datetime) -> None:
    session.execute(update(TokenRow).where(TokenRow.id == token_id).values(last_used_at=now))


def token_row(session: Session, token_id: int) -> TokenRow | None:
    return session.get(TokenRow, token_id)


def revoke_digest(session: Session, digest: str, now: datetime) -> bool:
    """Revoke the token with this digest; False if there is none or it was revoked already."""
    done = session.execute(update(TokenRow).where(TokenRow.digest == digest, TokenRow.revoked_at.is_(None))
                           .values(revoked_at=now))
    return bool(done.rowcount)


def tokens(session: Session, include_sessions: bool = False) -> list[TokenListing]:
    """Every token (API tokens only, unless told), oldest first; never the token itself."""
    query = (select(TokenRow.id, PersonRow.handle, AccountRow.role, TokenRow.kind, TokenRow.label, TokenRow.created_at,
                    TokenRow.last_used_at, TokenRow.expires_at, TokenRow.revoked_at)
             .join(AccountRow, AccountRow.id == TokenRow.account_id)
             .join(PersonRow, PersonRow.id == AccountRow.person_id)
             .order_by(TokenRow.id))
    if not include_sessions:
        query = query.where(TokenRow.kind == "api")
    return [TokenListing(*row) for row in session.execute(query)]
