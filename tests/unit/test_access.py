"""Roles, permissions, the principal, and what is kept of passwords and tokens."""

from __future__ import annotations

import pytest

from refuge.domain.access import PERMISSIONS, Permission, Principal, Role, parse_role
from refuge.domain.credentials import hash_password, new_token, token_digest, verify_password
from refuge.domain.errors import Forbidden, InvalidInput

NARUTO = Principal("naruto", "Naruto Uzumaki", Role.FIELD, 1)


def test_the_office_may_do_everything_and_every_role_reads_the_shelters_and_navigates() -> None:
    assert PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    assert all({Permission.READ_SHELTERS, Permission.NAVIGATE} <= held for held in PERMISSIONS.values())
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize(("role", "may", "may_not"), [
    (Role.LOGISTICS, {Permission.PLAN, Permission.MANAGE_LEDGER, Permission.RECORD_STOCK}, {Permission.RUN_DESK}),
    (Role.VOLUNTEER, {Permission.RECORD_STOCK, Permission.WALK_RUNS}, {Permission.PLAN, Permission.READ_PEOPLE}),
    (Role.FIELD, {Permission.REPORT, Permission.READ_MISSIONS}, {Permission.RECORD_STOCK, Permission.RUN_DESK}),
    (Role.DESK, {Permission.RUN_DESK, Permission.READ_PEOPLE}, {Permission.PLAN, Permission.RECORD_STOCK}),
])
def test_each_role_holds_its_own_work_and_not_the_others(role: Role, may: set[Permission], may_not: set[Permission]) -> None:
    assert may <= PERMISSIONS[role] and not may_not & PERMISSIONS[role]


def test_a_role_is_read_from_its_name_and_an_unknown_one_lists_the_roles() -> None:
    assert parse_role(" Field ") is Role.FIELD
    with pytest.raises(InvalidInput, match="admin, logistics, volunteer, field, desk"):
        parse_role("hokage")


def test_work_outside_the_role_is_forbidden_with_a_sentence_naming_the_role() -> None:
    NARUTO.require(Permission.NAVIGATE)
    with pytest.raises(Forbidden, match="naruto signs in as field, which may not record movements"):
        NARUTO.require(Permission.RECORD_STOCK)


def test_asking_as_oneself_needs_nothing_and_as_someone_else_needs_the_roster() -> None:
    assert NARUTO.asking_as(None) == NARUTO.asking_as("Naruto Uzumaki") == NARUTO.asking_as("NARUTO") == "naruto"
    with pytest.raises(Forbidden):
        NARUTO.asking_as("tsunade")
    desk = Principal("shikaku", "Shikaku Nara", Role.DESK, 4)
    assert desk.asking_as("naruto") == "naruto"


def test_a_password_is_kept_only_as_a_salted_scrypt_hash() -> None:
    first, second = hash_password("hidden-leaf"), hash_password("hidden-leaf")
    assert first != second and first.startswith("scrypt$") and "hidden-leaf" not in first
    assert verify_password("hidden-leaf", first) and verify_password("hidden-leaf", second)
    assert not verify_password("hidden-leaf!", first)


@pytest.mark.parametrize("stored", [None, "", "plain-text", "md5$abc", "scrypt$16384$8$1$!!$??"])
def test_a_missing_or_malformed_hash_never_matches(stored: str | None) -> None:
    assert not verify_password("anything", stored)


def test_a_token_is_random_and_only_its_digest_is_kept() -> None:
    (one, kept), (two, _) = new_token(), new_token()
    assert one != two and one.startswith("rfg_") and len(one) > 40
    assert kept == token_digest(one) == token_digest(f" {one} ") and one not in kept and len(kept) == 64


def test_only_a_role_that_keeps_the_roster_records_someone_elses_work() -> None:
    assert NARUTO.acting_for(None) == NARUTO.acting_for(" ") == "naruto"
    assert NARUTO.acting_for("Naruto Uzumaki") == "naruto"
    with pytest.raises(Forbidden, match="only their own work"):
        NARUTO.acting_for("sakura")
    office = Principal("tsunade", "Tsunade", Role.ADMIN, 5)
    assert office.acting_for(None) is None and office.acting_for("sakura") == "sakura"
