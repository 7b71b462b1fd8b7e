"""Backups: consistent copies (also while writes go on), private files, the newest
kept, downloads by strict name only, the data location, and ``jobdeck backup``
with ``--restore``."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from server import backup
from server.db.migrations import LATEST_VERSION
from tests.server_process import ServerProcess
from tests.test_jobs_api import load

JOBDECK = Path(sys.executable).parent / "jobdeck"
REPO = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^jobdeck-\d{8}-\d{6}(-\d+)?\.sqlite3$")


def query(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def test_backup_now_is_a_private_sound_copy_with_the_data(client, home):
    load(client)
    response = client.post("/api/v1/backups")
    assert response.status_code == 201, response.text
    made = response.json()
    assert NAME.match(made["name"]) and made["size"] > 0 and made["created"].endswith("Z")
    path = home / "backups" / made["name"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "backups").stat().st_mode) == 0o700
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    assert query(path, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert query(path, "SELECT count(*) FROM jobs") == [(6,)]
    assert query(path, "SELECT max(version) FROM schema_migrations") == [(LATEST_VERSION,)]
    assert not list((home / "backups").glob(".*"))  # no partial file left behind

    listed = client.get("/api/v1/backups").json()
    assert listed == [made]


def test_download_by_strict_name_only(client, home):
    made = client.post("/api/v1/backups").json()
    response = client.get(f"/api/v1/backups/{made['name']}")
    assert response.status_code == 200
    assert response.content == (home / "backups" / made["name"]).read_bytes()
    assert made["name"] in response.headers["content-disposition"]
    for bad in ["jobdeck.sqlite3", "..%2Fjobdeck.sqlite3", "%2e%2e%2fjobdeck.sqlite3", "jobdeck-1-2.sqlite3",
                f"{made['name']}.bak", "server.json", "jobdeck-20260101-000000.sqlite3%00"]:
        response = client.get(f"/api/v1/backups/{bad}")
        assert response.status_code in (400, 404), (bad, response.status_code)
        assert response.json()["error"]["message"]
    assert client.get("/api/v1/backups/jobdeck-20200101-000000.sqlite3").status_code == 404


def test_a_read_only_token_cannot_download_a_backup(client, anon):
    made = client.post("/api/v1/backups").json()
    secret = client.post("/api/v1/tokens", json={"name": "reader", "scopes": ["read"]}).json()["secret"]
    reader = {"Authorization": f"Bearer {secret}"}
    assert anon.get("/api/v1/backups", headers=reader).status_code == 200
    response = anon.get(f"/api/v1/backups/{made['name']}", headers=reader)
    assert response.status_code == 403 and "write" in response.json()["error"]["message"]


def test_storage_says_where_the_data_lives(client, home):
    body = client.get("/api/v1/storage").json()
    assert body["home"] == str(home) and body["database"] == str(home / "jobdeck.sqlite3")
    assert body["backups"] == str(home / "backups") and body["databaseBytes"] > 0


def _pairs_database(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE a (n INTEGER)")
        conn.execute("CREATE TABLE b (n INTEGER)")


def test_a_backup_taken_while_writes_happen_is_one_consistent_snapshot(tmp_path):
    database, home = tmp_path / "live.sqlite3", tmp_path / "home"
    home.mkdir()
    _pairs_database(database)
    stop = threading.Event()

    def write() -> None:
        # Every transaction adds one row to each table: a torn copy would show unequal counts.
        with closing(sqlite3.connect(database, isolation_level=None, timeout=10)) as conn:
            n = 0
            while not stop.is_set():
                n += 1
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO a VALUES (?)", (n,))
                conn.execute("INSERT INTO b VALUES (?)", (n,))
                conn.execute("COMMIT")

    writer = threading.Thread(target=write)
    writer.start()
    made = []
    try:
        with closing(sqlite3.connect(database, isolation_level=None, timeout=10)) as source:
            for second in range(5):
                made.append(backup.make_backup(source, home, clock=1_800_000_000 + second))
    finally:
        stop.set()
        writer.join()
    counts = []
    for item in made:
        path = home / "backups" / item.name
        assert query(path, "PRAGMA integrity_check") == [("ok",)]
        a, b = query(path, "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)")[0]
        assert a == b
        counts.append(a)
    assert counts == sorted(counts) and counts[-1] > 0


def test_the_newest_are_kept_and_two_in_one_second_both_stay(tmp_path):
    database, home = tmp_path / "live.sqlite3", tmp_path / "home"
    home.mkdir()
    _pairs_database(database)
    with closing(sqlite3.connect(database)) as source:
        names = [backup.make_backup(source, home, keep=3, clock=1_800_000_000 + i).name for i in range(5)]
        twin = backup.make_backup(source, home, keep=3, clock=1_800_000_004).name
    assert twin == names[-1].replace(".sqlite3", "-2.sqlite3")
    assert [b.name for b in backup.list_backups(home)] == [twin, names[4], names[3]]


def jobdeck(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JOBDECK_HOME": str(home), "JOBDECK_CONFIG": str(home / "absent.toml")}
    return subprocess.run([str(JOBDECK), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)


def _jobs(path: Path) -> int:
    return query(path, "SELECT count(*) FROM jobs")[0][0]


def test_cli_backup_list_and_restore(tmp_path):
    home = tmp_path / "home"
    assert jobdeck(home, "demo").returncode == 0
    done = jobdeck(home, "backup")
    assert done.returncode == 0, done.stderr
    first = backup.list_backups(home)[0]
    assert first.name in done.stdout
    sample_jobs = _jobs(home / "backups" / first.name)
    assert sample_jobs > 100

    listed = jobdeck(home, "backup", "--list")
    assert listed.returncode == 0 and first.name in listed.stdout

    # Change the data, then go back to the backup.
    with closing(sqlite3.connect(home / "jobdeck.sqlite3")) as conn, conn:
        conn.execute("DELETE FROM clusters")
    changed = _jobs(home / "jobdeck.sqlite3")
    done = jobdeck(home, "backup", "--restore", str(home / "backups" / first.name))
    assert done.returncode == 0, done.stderr
    assert _jobs(home / "jobdeck.sqlite3") == sample_jobs
    # The database as it was before the restore is kept as the newest backup.
    kept = backup.list_backups(home)[0]
    assert kept.name != first.name and kept.name in done.stdout
    assert _jobs(home / "backups" / kept.name) == changed
    assert stat.S_IMODE((home / "jobdeck.sqlite3").stat().st_mode) == 0o600
    assert jobdeck(home, "--get", "/api/v1/health").returncode == 0  # it opens


def test_restore_refuses_while_a_server_runs_and_refuses_what_is_not_a_backup(tmp_path):
    home = tmp_path / "home"
    server = ServerProcess(home).start()
    try:
        assert jobdeck(home, "backup").returncode == 0  # a backup is fine while it runs
        made = backup.list_backups(home)[0]
        done = jobdeck(home, "backup", "--restore", str(home / "backups" / made.name))
        assert done.returncode == 2 and "running" in done.stderr
    finally:
        server.stop()
    before = (home / "jobdeck.sqlite3").read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    done = jobdeck(home, "backup", "--restore", str(junk))
    assert done.returncode == 2 and "nothing was restored" in done.stderr
    with closing(sqlite3.connect(tmp_path / "future.sqlite3")) as conn, conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)")
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'future', 0)", (LATEST_VERSION + 1,))
    done = jobdeck(home, "backup", "--restore", str(tmp_path / "future.sqlite3"))
    assert done.returncode == 2 and "newer JobDeck" in done.stderr
    assert (home / "jobdeck.sqlite3").read_bytes() == before


@pytest.mark.parametrize("name, ok", [
    ("jobdeck-20261127-093000.sqlite3", True), ("jobdeck-20261127-093000-2.sqlite3", True),
    ("jobdeck-20261127-0930.sqlite3", False), ("../jobdeck-20261127-093000.sqlite3", False),
    ("jobdeck-20261127-093000.sqlite3/", False), ("jobdeck-20261127-093000.sqlite3\n", False),
])
def test_backup_names(name, ok):
    assert backup.backup_name_ok(name) is ok
