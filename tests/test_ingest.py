"""ingest(): upsert by board id, clusters across boards, sightings, summaries."""

import sqlite3
from pathlib import Path

import pytest

from server.db.database import _configure
from server.db.jobs import ingest
from server.db.migrations import MIGRATIONS, migrate
from server.scrape.normalize import normalise


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "store.sqlite3", isolation_level=None)
    _configure(conn, readonly=False)
    migrate(conn, MIGRATIONS, tmp_path)
    conn.execute("INSERT INTO search_runs (id, params, created_at) VALUES (1, '{}', 0), (2, '{}', 0)")
    return conn


def job(board_id, site="indeed", **values):
    return normalise({"id": board_id, "site": site, "title": "Chef", "company": "Bistro",
                      "location": "Taipei, Taiwan", **values})


def store(conn, records, now, run_id=None):
    conn.execute("BEGIN IMMEDIATE")
    result = ingest(conn, records, now, run_id)
    conn.execute("COMMIT")
    return result


def test_same_board_id_updates_changed_fields_and_last_seen(conn):
    assert store(conn, [job("in-1", description="v1")], 100).new == 1
    unchanged = store(conn, [job("in-1", description="v1")], 200)
    assert (unchanged.new, unchanged.updated) == (0, 0)
    changed = store(conn, [job("in-1", description="v2")], 300)
    assert (changed.new, changed.updated) == (0, 1)
    row = conn.execute("SELECT description, first_seen, last_seen FROM jobs").fetchone()
    assert tuple(row) == ("v2", 100, 300)


def test_a_posting_listed_twice_in_one_batch_is_stored_once(conn):
    result = store(conn, [job("in-1", description="first"), job("in-1", description="second")], 100)
    assert (result.found, result.new) == (2, 1)
    assert conn.execute("SELECT count(*), max(description) FROM jobs").fetchone()[:] == (1, "second")


def test_boards_cluster_by_direct_url_or_title_company_city(conn):
    store(conn, [job("in-1", job_url_direct="https://jobs.bistro.example/7")], 100)
    store(conn, [job("li-1", site="linkedin", title="Head Chef",
                     job_url_direct="https://www.jobs.bistro.example/7/?utm_source=li"),
                 job("go-1", site="google", title="CHEF", company="Bistro Ltd.", location="Taipei"),
                 job("zr-1", site="zip_recruiter", location="Kaohsiung, Taiwan")], 200)
    clusters = conn.execute("SELECT cluster_id, group_concat(site) FROM jobs GROUP BY cluster_id "
                            "ORDER BY cluster_id").fetchall()
    assert [sorted(sites.split(",")) for _, sites in clusters] == [
        ["google", "indeed", "linkedin"], ["zip_recruiter"]]
    summary = conn.execute("SELECT boards, postings, board_mask != 0 FROM clusters ORDER BY id").fetchall()
    assert [tuple(r) for r in summary] == [("google,indeed,linkedin", 3, 1), ("zip_recruiter", 1, 1)]


def test_cluster_summary_takes_the_best_salary_and_any_remote(conn):
    store(conn, [job("in-1", interval="yearly", min_amount=50000, max_amount=60000, currency="USD"),
                 job("li-1", site="linkedin", is_remote=True)], 100)
    row = conn.execute("SELECT annual_max, currency, is_remote, postings FROM clusters").fetchone()
    assert tuple(row) == (60000, "USD", 1, 2)


def test_every_run_records_a_sighting(conn):
    store(conn, [job("in-1"), job("in-2", title="Baker")], 100, run_id=1)
    store(conn, [job("in-1")], 200, run_id=2)
    assert conn.execute("SELECT count(*) FROM sightings").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM sightings WHERE run_id = 2").fetchone()[0] == 1


def test_a_failed_batch_leaves_nothing_behind(conn):
    store(conn, [job("in-1")], 100)
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.IntegrityError):
        ingest(conn, [job("in-2")], 200, run_id=99)  # no such run: the sighting's key fails
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM jobs").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM clusters").fetchone()[0] == 1
