"""Persistence: the migration, the SQLite store, and what a record reveals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from license.state import Record, State
from license.storage import SqliteStore, load_record, save_record
from server.db.migrations import MIGRATIONS, migrate

from .conftest import KEY


@pytest.fixture
def conn(tmp_path: Path):
    path = tmp_path / "jobdeck.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)  # the runner issues BEGIN itself
    migrate(connection, MIGRATIONS, path)
    yield connection
    connection.close()


def test_the_migration_is_0003_and_its_columns_match_the_record(conn) -> None:
    assert [m for m in MIGRATIONS if m.name == "license"][0].version == 3
    columns = {row[1] for row in conn.execute("PRAGMA table_info(license_state)")}
    expected = {"license_key" if f == "key" else f for f in Record.__struct_fields__}
    assert columns == expected | {"id", "updated_at"}


def test_a_record_round_trips_and_stays_one_row(conn) -> None:
    assert load_record(conn) is None
    record = Record(key=KEY, lease="v1.a.b", license_id="lic_1", revision=3, high_water=10,
                    skew=-5, checked_at=9, attempted_at=9, outcome="ok", refusal="NO_MACHINE")
    save_record(conn, record)
    assert load_record(conn) == record
    record.revision, record.key = 4, None
    save_record(conn, record)
    assert load_record(conn) == record
    assert conn.execute("SELECT count(*) FROM license_state").fetchone()[0] == 1


async def test_the_client_persists_through_sqlite(conn, make_client) -> None:
    client = make_client(store=SqliteStore(conn))
    await client.start()
    assert (await client.activate(KEY)).ok
    again = make_client(store=SqliteStore(conn), online=lambda: False)
    assert (await again.start()).state is State.ACTIVE
    assert again.key_prefix() == KEY[:9]


def test_a_record_never_shows_its_key_or_lease() -> None:
    shown = repr(Record(key=KEY, lease="v1.secret-lease.sig", revision=2))
    assert KEY not in shown and KEY[4:9] not in shown and "secret-lease" not in shown
    assert "revision=2" in shown and "key=<set>" in shown
