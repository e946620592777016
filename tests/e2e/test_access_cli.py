"""`refuge token` and `refuge account` end to end: a token is shown once, listed without itself, revoked for good."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner, Result

from refuge.cli.main import app
from refuge.services.access import accounts, tokens
from refuge.store.database import Database
from tests.e2e.clients import anonymous

runner = CliRunner()


def refuge(db: Database, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, ["--db", str(db.engine.url.database), *args], input=stdin)


def test_a_token_is_printed_once_signs_its_person_in_and_stops_when_revoked(sqlite_db: Database) -> None:
    made = refuge(sqlite_db, "token", "create", "Kakashi Hatake", "--role", "field", "--label", "field tablet")
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert token.startswith("rfg_") and "token 1 for kakashi (field, clearance 4)" in made.stderr
    client = anonymous(sqlite_db)
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.get("/api/me").json()["handle"] == "kakashi"
    listed = refuge(sqlite_db, "token", "list", "--json")
    assert listed.exit_code == 0 and token not in listed.stdout
    [row] = json.loads(listed.stdout)["tokens"]
    assert (row["id"], row["handle"], row["role"], row["label"], row["state"]) == (1, "kakashi", "field", "field tablet",
                                                                                 "active")
    assert row["last_used_at"] is not None and "kakashi" in refuge(sqlite_db, "token", "list").stdout
    revoked = refuge(sqlite_db, "token", "revoke", "1")
    assert revoked.exit_code == 0 and "token 1 of kakashi revoked" in revoked.stdout
    assert client.get("/api/me").status_code == 401
    assert json.loads(refuge(sqlite_db, "token", "list", "--json").stdout)["tokens"][0]["state"] == "revoked"


def test_an_account_gets_a_role_and_a_password_read_from_standard_input(sqlite_db: Database) -> None:
    set_role = refuge(sqlite_db, "account", "set", "iruka", "--role", "volunteer")
    assert set_role.exit_code == 0 and "iruka signs in as volunteer (clearance 2); password not set" in set_role.stdout
    with_password = refuge(sqlite_db, "account", "set", "iruka", "--password", "-", stdin="summer-break\n")
    assert with_password.exit_code == 0 and "password set" in with_password.stdout
    signed = anonymous(sqlite_db).post("/api/session", json={"handle": "iruka", "password": "summer-break"})
    assert signed.status_code == 200 and signed.json()["role"] == "volunteer"
    assert json.loads(refuge(sqlite_db, "account", "list", "--json").stdout)["accounts"] == [
        {"handle": "iruka", "name": "Iruka Umino", "role": "volunteer", "clearance": 2, "password": True}]
    assert "volunteer" in refuge(sqlite_db, "account", "list").stdout


@pytest.mark.parametrize(("args", "message"), [
    (["token", "create", "orochimaru", "--role", "admin"], "unknown person 'orochimaru'"),
    (["token", "create", "iruka", "--role", "hokage"], "role 'hokage' is not one of"),
    (["token", "create", "iruka"], "iruka has no sign-in yet"),
    (["token", "revoke", "7"], "unknown token 7"),
    (["token", "revoke", "seven"], "Invalid value for 'ID'"),
    (["account", "set", "iruka"], "iruka has no sign-in yet"),
    (["account", "set", "iruka", "--role", "ninja"], "role 'ninja' is not one of"),
    (["account", "set", "iruka", "--role", "field", "--password", "short"], "at least 8 characters"),
    (["account", "set", "nobody", "--role", "field"], "unknown person 'nobody'"),
])
def test_bad_token_and_account_commands_exit_2_and_write_nothing(sqlite_db: Database, args: list[str],
                                                                  message: str) -> None:
    result = refuge(sqlite_db, *args)
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and message in result.stderr, result.output
    assert "Traceback" not in result.output
    assert accounts(sqlite_db) == [] and tokens(sqlite_db, include_sessions=True) == []


def test_serve_prints_the_demo_sign_ins_that_still_work(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("uvicorn.run", lambda api, host, port: None)
    assert "Demo sign-ins" not in refuge(sqlite_db, "serve").stdout
    refuge(sqlite_db, "account", "set", "tsunade", "--role", "admin", "--password", "tsunade-demo")
    refuge(sqlite_db, "account", "set", "iruka", "--role", "volunteer", "--password", "a-real-secret")
    said = refuge(sqlite_db, "serve").stdout
    assert "Demo sign-ins (handle / password):" in said and "admin      tsunade  / tsunade-demo" in said
    assert "iruka" not in said and "a-real-secret" not in said
