"""``jobdeck-license``: keys, migrate, issue, list, revoke, org, serve."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sqlalchemy import select

from license.keys import generate_key, is_valid_key
from license.service.cli import _config, _parser, _with_session, main
from license.service.issuing import admin_token_hash
from license.service.models import AdminToken
from license.service.signing import KeyRing

from tests.server_process import free_port

from .harness import binding, fresh_sqlite_url, request_body


@pytest.fixture(params=["sqlite", "postgresql"])
def cli_env(request, tmp_path, monkeypatch, capsys) -> Path:
    url = fresh_sqlite_url(tmp_path) if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    secrets_file = tmp_path / "secrets.json"
    assert main(["keys", "create", str(secrets_file)]) == 0
    monkeypatch.setenv("JOBDECK_LICENSE_DATABASE_URL", url)
    monkeypatch.setenv("JOBDECK_LICENSE_SECRETS_FILE", str(secrets_file))
    assert main(["migrate"]) == 0
    capsys.readouterr()
    return secrets_file


def test_keys_create_rotate_show(tmp_path, capsys):
    path = tmp_path / "secrets.json"
    assert main(["keys", "create", str(path)]) == 0
    assert path.stat().st_mode & 0o777 == 0o600
    created = json.loads(capsys.readouterr().out)
    assert main(["keys", "create", str(path)]) == 1  # never overwritten
    capsys.readouterr()
    assert main(["keys", "rotate", str(path)]) == 0
    rotated = json.loads(capsys.readouterr().out)
    assert rotated["current"] == created["next"] and rotated["next"] not in created["keys"]
    assert KeyRing.load(path).key_secret == KeyRing.load(path).key_secret
    assert main(["keys", "show", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == rotated


def test_issue_list_revoke_and_org(cli_env, capsys):
    assert main(["issue", "--plan", "pro", "--email", "a@example.com", "--expires", "2031-01-01"]) == 0
    out = capsys.readouterr().out
    key = out.split("key: ")[1].split()[0]
    license_id = out.split()[1]
    assert is_valid_key(key)
    assert main(["list", "--json"]) == 0
    listed = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed[license_id]["status"] == "active" and listed[license_id]["keyPrefix"] == key[:9]
    assert key not in json.dumps(listed)
    assert main(["revoke", license_id]) == 0
    assert capsys.readouterr().out.strip() == f"revoked {license_id}"
    assert main(["list", "--json", "--status", "revoked"]) == 0
    assert license_id in {item["id"] for item in json.loads(capsys.readouterr().out)}
    assert main(["revoke", "lic_missing"]) == 1
    assert main(["org", "create", "Acme"]) == 0
    assert "admin token: jdla_" in capsys.readouterr().out


def test_org_token_and_revoke_token(cli_env, capsys):
    assert main(["org", "create", "Acme"]) == 0
    org_id = capsys.readouterr().out.split()[1]
    assert main(["org", "token", org_id, "--name", "recovery"]) == 0
    token = capsys.readouterr().out.split("admin token: ")[1].split()[0]
    assert main(["org", "token", "org_missing"]) == 1

    config = _config(_parser().parse_args(["migrate"]))
    secret = KeyRing.load(cli_env).key_secret

    async def tokens(session):
        return (await session.execute(select(AdminToken).where(AdminToken.org_id == org_id))).scalars().all()

    rows = {t.name: t for t in asyncio.run(_with_session(config, tokens))}
    assert set(rows) == {"owner", "recovery"}
    assert rows["recovery"].token_hash == admin_token_hash(secret, token)  # stored as a hash only
    # The operator may revoke even the last live token.
    for name in ("recovery", "owner"):
        assert main(["org", "revoke-token", rows[name].id]) == 0
        assert capsys.readouterr().out.strip() == f"revoked {rows[name].id}"
    assert all(t.revoked_at for t in asyncio.run(_with_session(config, tokens)))
    assert main(["org", "revoke-token", rows["owner"].id]) == 0
    assert "already revoked" in capsys.readouterr().out
    assert main(["org", "revoke-token", "tok_missing"]) == 1


def test_commands_explain_a_missing_secrets_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JOBDECK_LICENSE_DATABASE_URL", fresh_sqlite_url(tmp_path))
    monkeypatch.delenv("JOBDECK_LICENSE_SECRETS_FILE", raising=False)
    assert main(["issue", "--plan", "pro"]) == 2
    assert "keys create" in capsys.readouterr().err


def test_serve_runs_the_service(tmp_path):
    """The real console script in a subprocess: migrates, serves, answers signed."""
    secrets_file = tmp_path / "secrets.json"
    assert main(["keys", "create", str(secrets_file)]) == 0
    port = free_port()
    script = Path(sys.executable).with_name("jobdeck-license")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "license.service.cli"]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--secrets-file", str(secrets_file),
         "--database-url", fresh_sqlite_url(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy())
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):  # wait for it to listen (not a timing assertion)
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the service did not start")
        keys = httpx.get(f"{base}/v1/keys").json()
        assert keys["current"] == KeyRing.load(secrets_file).current
        answer = httpx.post(f"{base}/v1/validate", json=request_body(generate_key(), binding(1)))
        assert answer.status_code == 404 and answer.json()["token"].startswith("v1.")
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
    assert "JobDeck license service on" in output


def test_a_database_not_migrated_yet_is_explained_not_a_traceback(tmp_path, capsys):
    secrets_file = tmp_path / "secrets.json"
    assert main(["keys", "create", str(secrets_file)]) == 0
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    assert main(["issue", "--secrets-file", str(secrets_file), "--database-url", url, "--plan", "pro"]) == 2
    assert "jobdeck-license migrate" in capsys.readouterr().err
