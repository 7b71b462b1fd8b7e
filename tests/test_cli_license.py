"""``jobdeck license``: in-process, and through a running server's API."""

from __future__ import annotations

import sqlite3

from tests.server_process import ServerProcess
from tests.test_cli import env, home, jobdeck  # noqa: F401  (fixtures)


def test_status_of_a_new_install_is_free_with_the_upgrade_link(env):
    result = jobdeck(env, "license", "status")
    assert result.returncode == 0, result.stderr
    assert "unlicensed (free)" in result.stdout and "Features on: none" in result.stdout
    assert "pricing" in result.stdout


def test_a_mistyped_key_is_explained_and_exits_1_without_any_network(env):
    result = jobdeck(env, "license", "activate", "JDK-12345")
    assert result.returncode == 1
    assert "25 characters" in result.stderr and "Traceback" not in result.stderr


def test_with_a_server_running_it_asks_the_server_and_leaves_no_token_behind(env, home):
    server = ServerProcess(home, env={"JOBDECK_CONFIG": env["JOBDECK_CONFIG"]}).start()
    try:
        result = jobdeck(env, "license", "status")
        assert result.returncode == 0, result.stderr
        assert "unlicensed (free)" in result.stdout
        with sqlite3.connect(home / "jobdeck.sqlite3") as db:
            tokens = db.execute("SELECT name, revoked_at FROM api_tokens").fetchall()
        assert tokens and all(revoked is not None for _, revoked in tokens)  # it did go through the API
    finally:
        server.stop()
