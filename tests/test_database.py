"""The Database object: connections, transactions, migrations, refusals, permissions."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from server.db import Database, DatabaseCorrupt, DatabaseError, DatabaseTooNew
from server.db.jobs import ingest
from server.db.migrations import LATEST_VERSION, Migration
from server.home import prepare_home
from server.scrape.normalize import normalise


INSERT_SEARCH = "INSERT INTO searches (name, params, created_at, updated_at) VALUES (?, '{}', 0, 0)"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "jobdeck.sqlite3"


@pytest.fixture
async def db(path: Path):
    database = Database(path)
    await database.open()
    yield database
    await database.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, *statements: str) -> list[tuple]:
    """Run statements on a plain connection, as another program would; the last one's rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return [conn.execute(sql).fetchall() for sql in statements][-1]
    finally:
        conn.close()


async def create(path: Path, migrations: list[Migration] | None = None) -> None:
    database = Database(path, migrations=migrations)
    await database.open()
    await database.close()


# -- opening and closing ------------------------------------------------------

async def test_open_applies_every_migration_and_close_is_safe_twice(path):
    database = Database(path)
    assert not database.is_open
    await database.open()
    assert database.is_open and database.schema_version == LATEST_VERSION
    assert (await database.fetch_one("SELECT count(*) FROM jobs"))[0] == 0
    await database.close()
    await database.close()
    assert not database.is_open
    with pytest.raises(DatabaseError, match="closed"):
        await database.fetch_all("SELECT 1")
    with pytest.raises(DatabaseError, match="closed"):
        async with database.write():
            pass


def assert_nothing_left(fds: set[str], threads: set[threading.Thread]) -> None:
    deadline = time.monotonic() + 5  # a worker thread may still be returning from its last task
    for thread in set(threading.enumerate()) - threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert [t for t in threading.enumerate() if t not in threads] == []
    assert open_fds() - fds == set()


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


async def test_fifty_open_close_cycles_leak_no_file_descriptors_or_threads(path):
    # One cycle first, so imports and the migration files are out of the count.
    await create(path)
    fds, threads = open_fds(), set(threading.enumerate())
    for _ in range(50):
        database = Database(path, readers=3)
        await database.open()
        await database.fetch_all("SELECT * FROM jobs")
        async with database.write() as conn:
            await conn.execute(INSERT_SEARCH, ("s",))
        await database.close()
    assert_nothing_left(fds, threads)


async def test_failed_opens_leak_nothing_either(tmp_path):
    newer = tmp_path / "newer.sqlite3"
    await create(newer)
    query(newer, "INSERT INTO schema_migrations VALUES (999, 'future', 0)")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xa5" * 8176)
    fds, threads = open_fds(), set(threading.enumerate())
    for _ in range(20):
        with pytest.raises(DatabaseTooNew):
            await Database(newer).open()
        with pytest.raises(DatabaseCorrupt):
            await Database(damaged).open()
    assert_nothing_left(fds, threads)


async def test_wal_foreign_keys_and_busy_timeout_on_every_connection(db):
    async with db.write() as conn:
        assert (await (await conn.execute("PRAGMA journal_mode")).fetchone())[0] == "wal"
        assert (await (await conn.execute("PRAGMA foreign_keys")).fetchone())[0] == 1
        assert (await (await conn.execute("PRAGMA busy_timeout")).fetchone())[0] > 0
    for _ in range(3):  # every reader in the pool, not just the first
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with db.write() as conn:
            await conn.execute("INSERT INTO application_events (application_id, kind, at) VALUES (4242, 'x', 0)")


# -- writing and reading ------------------------------------------------------

async def test_write_commits_or_rolls_back_as_a_whole(db):
    async with db.write() as conn:
        await conn.execute(INSERT_SEARCH, ("kept",))
    with pytest.raises(RuntimeError, match="boom"):
        async with db.write() as conn:
            await conn.execute(INSERT_SEARCH, ("lost",))
            raise RuntimeError("boom")
    rows = await db.fetch_all("SELECT name FROM searches")
    assert [r["name"] for r in rows] == ["kept"]
    async with db.write() as conn:  # the writer is usable again after a rollback
        await conn.execute(INSERT_SEARCH, ("after",))
    assert (await db.fetch_one("SELECT count(*) FROM searches"))[0] == 2


async def test_run_write_is_one_transaction_on_the_writer_thread(db):
    def add(conn: sqlite3.Connection, names: list[str], *, fail: bool = False) -> int:
        assert isinstance(conn, sqlite3.Connection) and conn.in_transaction
        conn.executemany(INSERT_SEARCH, [(n,) for n in names])
        if fail:
            raise ValueError("half-way")
        return len(names)

    assert await db.run_write(add, ["a", "b"]) == 2
    with pytest.raises(ValueError, match="half-way"):
        await db.run_write(add, ["c", "d"], fail=True)
    rows = await db.fetch_all("SELECT name FROM searches ORDER BY name")
    assert [r["name"] for r in rows] == ["a", "b"]


async def test_readers_cannot_write(db):
    async with db.read() as conn:
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            await conn.execute(INSERT_SEARCH, ("sneaky",))
    with pytest.raises(sqlite3.OperationalError):
        await db.run_read(lambda conn: conn.execute("DELETE FROM schema_migrations"))
    assert (await db.fetch_one("SELECT count(*) FROM searches"))[0] == 0
    assert (await db.fetch_one("SELECT count(*) FROM schema_migrations"))[0] == LATEST_VERSION


async def test_concurrent_writes_from_many_tasks_queue_instead_of_failing(db):
    inside: list[int] = []  # the context writers holding the writer now
    overlaps: list[int] = []

    async def by_context(i: int) -> None:
        async with db.write() as conn:
            inside.append(i)
            overlaps.append(len(inside))
            await conn.execute(INSERT_SEARCH, (f"ctx-{i}",))
            await asyncio.sleep(0)  # let every other task try to write meanwhile
            await conn.execute("UPDATE searches SET updated_at = updated_at + 1")
            inside.remove(i)

    def by_batch(conn: sqlite3.Connection, i: int) -> None:
        conn.execute(INSERT_SEARCH, (f"batch-{i}",))

    tasks = [by_context(i) for i in range(40)] + [db.run_write(by_batch, i) for i in range(40)]
    tasks += [db.fetch_all("SELECT id FROM searches") for _ in range(20)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert max(overlaps) == 1  # one write transaction at a time
    assert (await db.fetch_one("SELECT count(DISTINCT name) FROM searches"))[0] == 80


# -- migrations ---------------------------------------------------------------

async def test_migrations_are_recorded_and_reopening_applies_nothing_again(path):
    await create(path)
    first = query(path, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
    assert [row[0] for row in first] == list(range(1, LATEST_VERSION + 1))
    assert first[0][1] == "core"

    again = Database(path)
    await again.open()
    assert again.schema_version == LATEST_VERSION
    await again.close()
    assert query(path, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version") == first
    assert query(path, "PRAGMA user_version") == [(LATEST_VERSION,)]


async def test_each_migration_is_its_own_transaction(path):
    good = Migration(1, "good", "CREATE TABLE kept (x INTEGER);\nINSERT INTO kept VALUES (1);\n")
    bad = Migration(2, "bad", "CREATE TABLE half (y INTEGER);\nINSERT INTO half VALUES (2);\n"
                              "INSERT INTO no_such_table VALUES (3);\n")
    with pytest.raises(DatabaseError, match="no_such_table"):
        await Database(path, migrations=[good, bad]).open()
    tables = {row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "kept" in tables and "half" not in tables
    assert query(path, "SELECT version, name FROM schema_migrations") == [(1, "good")]
    assert query(path, "SELECT x FROM kept") == [(1,)]

    fixed = Migration(2, "bad", "CREATE TABLE half (y INTEGER);\n")
    database = Database(path, migrations=[good, fixed])
    await database.open()
    assert database.schema_version == 2
    await database.close()


@pytest.mark.parametrize("journal", ["wal", "delete"])
async def test_a_database_from_a_newer_jobdeck_is_refused_and_left_untouched(path, journal):
    await create(path)
    query(path, f"PRAGMA journal_mode = {journal}",
          f"INSERT INTO schema_migrations VALUES ({LATEST_VERSION + 5}, 'from_the_future', 0)")
    before = digest(path)
    with pytest.raises(DatabaseTooNew) as caught:
        await Database(path).open()
    message = str(caught.value)
    assert str(path) in message and "newer" in message and "Upgrade" in message
    assert str(LATEST_VERSION + 5) in message
    assert digest(path) == before


@pytest.mark.parametrize("content", [
    b"name,title\nacme,chef\n" * 200,  # somebody's CSV
    b"\x00" * 4096,
    b"SQLite format 3\x00" + b"\xff" * 4080,  # the right magic, a damaged header
], ids=["text", "zeros", "damaged-header"])
async def test_a_file_that_is_not_a_good_sqlite_database_is_reported_never_overwritten(path, content):
    path.write_bytes(content)
    with pytest.raises(DatabaseCorrupt) as caught:
        await Database(path).open()
    assert str(path) in str(caught.value) and "untouched" in str(caught.value)
    assert path.read_bytes() == content
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


# -- the core schema ----------------------------------------------------------

async def test_application_history_is_append_only(db):
    async with db.write() as conn:
        await conn.execute("INSERT INTO applications (id, title, created_at, updated_at) VALUES (1, 'Chef', 0, 0)")
        await conn.execute("INSERT INTO application_events (application_id, kind, stage, at) "
                           "VALUES (1, 'stage', 'applied', 10)")
    for sql in ("UPDATE application_events SET stage = 'offer'", "DELETE FROM application_events"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            async with db.write() as conn:
                await conn.execute(sql)
    rows = await db.fetch_all("SELECT stage FROM application_events")
    assert [r["stage"] for r in rows] == ["applied"]


def posting(board_id: str, title: str, description: str = "") -> object:
    return normalise({"id": board_id, "site": "indeed", "title": title, "company": "Bistro",
                      "location": "Taipei, Taiwan", "description": description})


async def test_the_full_text_index_follows_inserts_updates_and_deletes(db):
    async def hits(term: str) -> list[int]:
        rows = await db.fetch_all("SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ? ORDER BY rowid", (term,))
        return [r[0] for r in rows]

    async def consistent() -> None:  # raises if the index and the jobs table disagree
        async with db.write() as conn:
            await conn.execute("INSERT INTO jobs_fts (jobs_fts, rank) VALUES ('integrity-check', 1)")

    await db.run_write(ingest, [posting("in-1", "Pastry Chef", "croissants"),
                                posting("in-2", "Sous Chef", "sauces")], 100)
    await consistent()
    assert len(await hits("chef")) == 2 and len(await hits("croissants")) == 1

    await db.run_write(ingest, [posting("in-1", "Pastry Chef", "macarons")], 200)  # changed by a re-scrape
    await consistent()
    assert await hits("croissants") == [] and len(await hits("macarons")) == 1

    async with db.write() as conn:
        await conn.execute("UPDATE jobs SET title = 'Baker' WHERE board_id = 'in-2'")
    await consistent()
    assert len(await hits("chef")) == 1 and len(await hits("baker")) == 1

    async with db.write() as conn:
        await conn.execute("DELETE FROM jobs WHERE board_id = 'in-1'")
    await consistent()
    assert await hits("macarons") == [] and len(await hits("baker")) == 1


# -- data at rest -------------------------------------------------------------

async def test_home_is_0700_and_database_files_are_0600_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        home = prepare_home(tmp_path / "a" / "home")
        database = Database(home / "jobdeck.sqlite3")
        await database.open()
        async with database.write() as conn:
            await conn.execute(INSERT_SEARCH, ("x",))
        files = sorted(home.glob("jobdeck.sqlite3*"))
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
        await database.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert {"jobdeck.sqlite3", "jobdeck.sqlite3-wal", "jobdeck.sqlite3-shm"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes


async def test_release_memory_empties_every_connections_cache_and_returns_the_readers(db, monkeypatch):
    import server.db.database as database_module

    shrunk: list[int] = []
    shrink = database_module._shrink_memory
    monkeypatch.setattr(database_module, "_shrink_memory",
                        lambda conn: (shrunk.append(threading.get_ident()), shrink(conn)))

    async def read_many() -> list[int]:
        return [len(await db.fetch_all("SELECT 1")) for _ in range(20)]

    reads = asyncio.ensure_future(read_many())
    await db.release_memory()
    assert await reads == [1] * 20  # reads around it carry on
    assert len(shrunk) == 3 and len(set(shrunk)) == 3  # the writer and both readers, each on its own thread
    assert await db.fetch_one("SELECT 2") is not None  # every reader is back in the pool
    await db.close()
    await db.release_memory()  # closed: nothing to do
