"""Accounts, tokens and sessions in the database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from refuge.domain.access import Principal, Role, UnknownToken
from refuge.domain.errors import InvalidInput, Unauthenticated, UnknownPerson
from refuge.services import access
from refuge.store.database import Database
from refuge.store.tables import AccountRow, TokenRow

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
PASSWORD = "summer-break"


def stored_text(db: Database) -> str:
    """Everything kept about sign-ins, as one string."""
    with db.reading() as session:
        rows = [*session.scalars(select(AccountRow)), *session.scalars(select(TokenRow))]
        return repr([{c.name: getattr(row, c.name) for c in row.__table__.columns} for row in rows])


def test_a_sign_in_keeps_neither_the_password_nor_the_token_in_clear(db: Database) -> None:
    access.set_account(db, "iruka", "volunteer", PASSWORD)
    session = access.sign_in(db, "iruka", PASSWORD)
    api = access.create_token(db, "iruka")
    kept = stored_text(db)
    assert PASSWORD not in kept and session.token not in kept and api.token not in kept
    assert "scrypt$" in kept


def test_a_token_signs_in_its_person_with_their_role_and_clearance_as_they_are_now(db: Database) -> None:
    issued = access.create_token(db, "Iruka Umino", "volunteer", label="run sheets")
    assert access.authenticate(db, issued.token) == Principal("iruka", "Iruka Umino", Role.VOLUNTEER, 2)
    access.set_account(db, "iruka", "logistics")
    assert access.authenticate(db, issued.token).role is Role.LOGISTICS
    [listed] = access.tokens(db)
    assert (listed.id, listed.handle, listed.kind, listed.label) == (issued.id, "iruka", "api", "run sheets")
    assert listed.last_used_at is not None and listed.revoked_at is None


def test_a_revoked_token_signs_nobody_in_and_revoking_it_again_changes_nothing(db: Database) -> None:
    issued = access.create_token(db, "kakashi", "field")
    first = access.revoke_token(db, issued.id, now=NOW)
    with pytest.raises(Unauthenticated, match="not valid"):
        access.authenticate(db, issued.token)
    assert access.revoke_token(db, issued.id).revoked_at == first.revoked_at == NOW
    with pytest.raises(UnknownToken, match="unknown token 999"):
        access.revoke_token(db, 999)


def test_a_session_opens_with_the_right_password_ends_on_sign_out_and_expires(db: Database) -> None:
    access.set_account(db, "tsunade", "admin", PASSWORD)
    opened = access.sign_in(db, "TSUNADE", PASSWORD, hours=2, now=NOW)
    assert opened.principal.role is Role.ADMIN and opened.expires_at == NOW + timedelta(hours=2)
    assert access.authenticate(db, opened.token, now=NOW + timedelta(hours=1)).handle == "tsunade"
    with pytest.raises(Unauthenticated):
        access.authenticate(db, opened.token, now=NOW + timedelta(hours=2))
    later = access.sign_in(db, "tsunade", PASSWORD)
    assert access.sign_out(db, later.token) and not access.sign_out(db, later.token)
    with pytest.raises(Unauthenticated):
        access.authenticate(db, later.token)


@pytest.mark.parametrize(("handle", "password"), [("iruka", "wrong-password"), ("nobody", PASSWORD),
                                                  ("kakashi", PASSWORD), ("", PASSWORD)])
def test_a_wrong_handle_or_password_or_a_sign_in_without_one_is_refused_alike(db: Database, handle: str,
                                                                              password: str) -> None:
    access.set_account(db, "iruka", "volunteer", PASSWORD)
    access.create_token(db, "kakashi", "field")  # an account with no password: tokens only
    with pytest.raises(Unauthenticated) as refused:
        access.sign_in(db, handle, password)
    assert refused.value.message == access.SIGN_IN_REFUSED
    assert [t.kind for t in access.tokens(db, include_sessions=True)] == ["api"]


def test_refused_account_and_token_changes_write_nothing(db: Database) -> None:
    with pytest.raises(InvalidInput, match="has no sign-in yet"):
        access.create_token(db, "iruka")
    with pytest.raises(InvalidInput, match="not one of"):
        access.set_account(db, "iruka", "hokage", PASSWORD)
    with pytest.raises(InvalidInput, match="at least 8"):
        access.set_account(db, "iruka", "field", "short")
    with pytest.raises(UnknownPerson):
        access.create_token(db, "orochimaru", "admin")
    access.set_account(db, "iruka", "volunteer")
    with pytest.raises(InvalidInput, match="signs in as volunteer, not admin"):
        access.create_token(db, "iruka", "admin")
    assert [(a.handle, a.role, a.has_password) for a in access.accounts(db)] == [("iruka", Role.VOLUNTEER, False)]
    assert access.tokens(db, include_sessions=True) == []
