"""``cityevents token create|list|revoke``: the token is printed once, only its hash is kept."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from cityevents.catalog import open_catalog
from cityevents.catalog.moderation import Moderation
from cityevents.catalog.schema import api_tokens
from cityevents.commands.tokens import app


def test_create_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "catalog.db")
    runner = CliRunner()
    created = runner.invoke(app, ["create", "--name", "alice", "--role", "moderator"], env={"CITYEVENTS_DB": db})
    assert created.exit_code == 0, created.output
    plain = created.stdout.strip().splitlines()[-1]
    with open_catalog(db) as catalog, catalog.engine.connect() as conn:
        stored = conn.execute(sa.select(api_tokens.c.token_hash)).scalar_one()
        assert stored == hashlib.sha256(plain.encode()).hexdigest()
        assert Moderation(catalog).verify_token(plain) is not None

    listed = runner.invoke(app, ["list", "--db", db])
    assert listed.exit_code == 0 and "alice" in listed.stdout and "moderator" in listed.stdout
    assert plain not in listed.stdout

    assert runner.invoke(app, ["revoke", "alice", "--db", db]).exit_code == 0
    again = runner.invoke(app, ["revoke", "alice", "--db", db])
    assert again.exit_code == 1 and "no live token" in again.output
    with open_catalog(db) as catalog:
        assert Moderation(catalog).verify_token(plain) is None


def test_unknown_role_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["create", "--name", "x", "--role", "root", "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2
