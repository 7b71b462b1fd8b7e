"""The ``jobdeck`` command, run as a user runs it: the installed script, in a subprocess."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from server import __version__
from server.db.migrations import LATEST_VERSION

JOBDECK = Path(sys.executable).parent / "jobdeck"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def env(home: Path, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "JOBDECK_HOME": str(home), "JOBDECK_CONFIG": str(tmp_path / "absent.toml")}


def jobdeck(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(JOBDECK), *args], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version(env, home):
    done = jobdeck(env, "version")
    assert (done.returncode, done.stdout) == (0, f"jobdeck {__version__}\n")
    assert not home.exists()  # printing the version touches nothing


def test_get_health_exits_0_and_prints_json(env):
    done = jobdeck(env, "--get", "/api/v1/health")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["status"] == "ok" and body["version"] == __version__
    assert body["schemaVersion"] == LATEST_VERSION


def test_get_is_signed_in_as_the_cli(env):
    done = jobdeck(env, "--get", "api/v1/tokens")  # the leading slash is optional
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_get_of_a_missing_route_exits_non_zero(env):
    done = jobdeck(env, "--get", "/api/v1/nope")
    assert done.returncode != 0
    assert "404" in done.stderr
    assert json.loads(done.stdout)["error"]["code"] == "not_found"


def row(output: str, name: str) -> str:
    match = re.search(rf"^{re.escape(name)} {{2,}}(.+)$", output, re.MULTILINE)
    assert match, f"doctor printed no {name!r} line:\n{output}"
    return match.group(1).strip()


def test_doctor_says_where_everything_is_and_what_works(env, home):
    done = jobdeck(env, "doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert row(out, "Home") == str(home)
    assert row(out, "Database") == str(home / "jobdeck.sqlite3")
    assert row(out, "Schema version") == str(LATEST_VERSION)
    assert row(out, "SQLite") == sqlite3.sqlite_version
    assert row(out, "FTS5 full-text search") == "yes"
    assert row(out, "python-jobspy") == importlib.metadata.version("python-jobspy")
    assert row(out, "JobDeck") == __version__
    assert row(out, "Server") == "not running"
    assert re.fullmatch(r"\d+(\.\d)? (B|KB|MB|GB)", row(out, "Database size"))


def test_doctor_reports_a_damaged_database_and_leaves_it(env, home):
    home.mkdir(mode=0o700)
    database = home / "jobdeck.sqlite3"
    database.write_bytes(b"not a database\n" * 100)
    done = jobdeck(env, "doctor")
    assert done.returncode == 1
    assert "PROBLEM" in row(done.stdout, "Schema version") and "not a JobDeck database" in done.stdout
    assert database.read_bytes() == b"not a database\n" * 100


def test_tokens_are_created_shown_once_listed_by_prefix_and_revoked(env, anon):
    created = jobdeck(env, "token", "create", "backup script")
    assert created.returncode == 0, created.stderr
    [secret] = re.findall(r"^jdk_[A-Za-z0-9_-]{40,}$", created.stdout, re.MULTILINE)
    assert "not be shown again" in created.stdout

    read_only = jobdeck(env, "token", "create", "reader", "--read-only")
    assert read_only.returncode == 0 and "(reader, read)" in read_only.stdout

    listed = jobdeck(env, "token", "list")
    assert listed.returncode == 0
    assert secret not in listed.stdout
    assert f"{secret[:10]}…" in listed.stdout
    line = next(line for line in listed.stdout.splitlines() if "backup script" in line)
    assert line.split()[0] == "1" and "active" in line and "read,write" in line

    # The token works against the app on the same home until it is revoked.
    bearer = {"Authorization": f"Bearer {secret}"}
    assert anon.get("/api/v1/tokens", headers=bearer).status_code == 200

    revoked = jobdeck(env, "token", "revoke", "1")
    assert (revoked.returncode, revoked.stdout.strip()) == (0, "Revoked token 1.")
    assert anon.get("/api/v1/tokens", headers=bearer).status_code == 401
    line = next(line for line in jobdeck(env, "token", "list").stdout.splitlines() if "backup script" in line)
    assert "revoked" in line
    assert jobdeck(env, "token", "revoke", "1").returncode == 1
    assert jobdeck(env, "token", "revoke", "99").returncode == 1


def test_no_tokens_yet_says_how_to_make_one(env):
    done = jobdeck(env, "token", "list")
    assert done.returncode == 0 and "jobdeck token create" in done.stdout


def test_a_busy_port_is_a_clear_message_and_exit_2(env, home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = jobdeck(env, "--no-browser", "--port", str(port))
    assert done.returncode == 2
    assert f"port {port}" in done.stderr and "already in use" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (home / "server.json").exists()


def newer_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_migrations VALUES (9999, 'future', 0)")
    conn.close()


@pytest.mark.parametrize("kind, expected", [
    ("text", "not a JobDeck database"),
    ("damaged", "damaged"),
    ("newer", "newer JobDeck"),
])
def test_a_bad_database_is_a_clear_message_exit_2_and_left_untouched(env, home, kind, expected):
    home.mkdir(mode=0o700)
    database = home / "jobdeck.sqlite3"
    if kind == "text":
        database.write_text("company,title\nacme,chef\n" * 100)
    elif kind == "damaged":
        database.write_bytes(b"SQLite format 3\x00" + b"\xa5" * 8176)
    else:
        newer_database(database)
    before = digest(database)
    done = jobdeck(env, "--no-browser", "--port", "0")
    assert done.returncode == 2, done.stdout + done.stderr
    assert expected in done.stderr and str(database) in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert digest(database) == before
    assert not (home / "server.json").exists()


def test_a_locked_database_is_a_clear_message_and_exit_2(env, home):
    assert jobdeck(env, "token", "list").returncode == 0  # creates the database
    holder = sqlite3.connect(home / "jobdeck.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        done = jobdeck(env, "token", "list")
    finally:
        holder.close()
    assert done.returncode == 2
    assert "locked" in done.stderr and "Traceback" not in done.stderr


def test_an_unwritable_home_is_a_clear_message_and_exit_2(env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    done = jobdeck({**env, "JOBDECK_HOME": str(blocker / "home")}, "doctor")
    assert done.returncode == 2
    assert "cannot write to its home folder" in done.stderr and "--home" in done.stderr


def test_a_bad_setting_is_a_clear_message_and_exit_2(env):
    done = jobdeck({**env, "JOBDECK_PORT": "eighty"}, "doctor")
    assert done.returncode == 2 and "JOBDECK_PORT" in done.stderr and "Traceback" not in done.stderr


def test_the_server_announces_itself_serves_and_stops_cleanly_on_sigterm(env, home):
    process = subprocess.Popen([str(JOBDECK), "--no-browser", "--port", "0"], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        info = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                info = json.loads((home / "server.json").read_text())
                break
            except (OSError, ValueError):
                time.sleep(0.05)
        assert info is not None, f"no server.json; jobdeck exited {process.poll()}"
        assert info["pid"] == process.pid and info["port"] > 0
        assert info["url"] == f"http://127.0.0.1:{info['port']}"
        assert stat.S_IMODE((home / "server.json").stat().st_mode) == 0o600
        with urllib.request.urlopen(f"{info['url']}/api/v1/health", timeout=10) as response:
            assert response.status == 200 and json.load(response)["status"] == "ok"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
            raise
        output = process.stdout.read()
        process.stdout.close()
    # A clean stop: 0, or the shell's convention for "stopped by SIGTERM" after cleanup ran.
    assert code in (0, 128 + signal.SIGTERM), output
    assert "Application shutdown complete" in output
    assert f"JobDeck is running at {info['url']}" in output
    assert not (home / "server.json").exists()
    assert "Traceback" not in output
