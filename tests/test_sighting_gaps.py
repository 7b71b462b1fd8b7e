"""The gap each sighting keeps (migration 0008) and the span each job keeps
(migration 0011) always equal what the raw sightings give: visible spans and
reposts read through either equal the window-function computation over every
sighting."""

import sqlite3
from pathlib import Path

import pytest

from server.db.database import _configure
from server.db.jobs import ingest
from server.db.migrations import MIGRATIONS, migrate
from server.insights.visibility import DAY, REPOST_GAP_DAYS, Span, cluster_spans, kept_spans
from server.scrape.normalize import normalise


def _open(path: Path, migrations=MIGRATIONS) -> sqlite3.Connection:
    conn = sqlite3.connect(path / "store.sqlite3", isolation_level=None)
    _configure(conn, readonly=False)
    migrate(conn, migrations, path)
    return conn


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return _open(tmp_path)


def job(board_id, site="indeed", title="Chef", **values):
    return normalise({"id": board_id, "site": site, "title": title, "company": "Bistro",
                      "location": "Taipei, Taiwan", **values})


def run(conn, at):
    return conn.execute("INSERT INTO search_runs (params, created_at) VALUES ('{}', ?)", (at,)).lastrowid


def store(conn, records, at, run_id=None):
    conn.execute("BEGIN IMMEDIATE")
    ingest(conn, records, at, run(conn, at) if run_id is None else run_id)
    conn.execute("COMMIT")


def stored_gaps(conn):
    return {(j, r): g for j, r, g in conn.execute("SELECT job_id, run_id, gap FROM sightings")}


def recomputed_gaps(conn):
    return {(j, r): g for j, r, g in conn.execute(
        "SELECT job_id, run_id, seen_at - lag(seen_at) OVER (PARTITION BY job_id ORDER BY seen_at, run_id) "
        "FROM sightings")}


def reference_spans(conn, clauses, params, gap_days):
    """Every sighting of each cluster's matching postings, gaps by a window function (no stored gaps)."""
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    params = {**params, "gap": gap_days * DAY}
    spans = {row[0]: Span._make(row[1:]) for row in conn.execute(
        f"SELECT cid, min(seen_at), max(seen_at), count(*), coalesce(sum(gap >= :gap), 0) FROM ("
        f" SELECT j.cluster_id AS cid, s.seen_at,"
        f"  s.seen_at - lag(s.seen_at) OVER (PARTITION BY j.cluster_id ORDER BY s.seen_at) AS gap"
        f" FROM jobs j JOIN sightings s ON s.job_id = j.id{where}) GROUP BY cid", params)}
    for cid, first, last in conn.execute(
            f"SELECT j.cluster_id, min(j.first_seen), max(j.last_seen) FROM jobs j{where} GROUP BY j.cluster_id",
            params):
        spans.setdefault(cid, Span(first, last, 0, 0))
    return spans


def assert_consistent(conn):
    assert stored_gaps(conn) == recomputed_gaps(conn)
    for clauses, params in (([], {}), (["j.site = :site"], {"site": "indeed"})):
        for gap_days in (1, 14, 30):
            assert cluster_spans(conn, clauses, params, gap_days) == reference_spans(conn, clauses, params, gap_days)
    assert kept_spans(conn, "1", {}) == reference_spans(conn, [], {}, REPOST_GAP_DAYS)


def test_gaps_follow_ingest_and_re_ingest(conn):
    store(conn, [job("in-1"), job("in-2", title="Cook")], 0)
    store(conn, [job("in-1")], 7 * DAY)
    store(conn, [job("in-1"), job("in-2", title="Cook")], 30 * DAY)
    again = conn.execute("SELECT max(id) FROM search_runs").fetchone()[0]
    store(conn, [job("in-1")], 30 * DAY, again)  # the same run listing it twice records nothing new
    gaps = conn.execute("SELECT s.gap FROM sightings s JOIN jobs j ON j.id = s.job_id WHERE j.board_id = 'in-1' "
                        "ORDER BY s.seen_at").fetchall()
    assert [g for (g,) in gaps] == [None, 7 * DAY, 23 * DAY]
    assert_consistent(conn)
    spans = cluster_spans(conn, [], {}, 14)
    assert sorted((s.sightings, s.reposts, s.days) for s in spans.values()) == [(2, 1, 30.0), (3, 1, 30.0)]


def test_a_sighting_recorded_out_of_order_and_ties(conn):
    store(conn, [job("in-1")], 0)
    store(conn, [job("in-1")], 20 * DAY)
    late = run(conn, 10 * DAY)
    conn.execute("INSERT INTO sightings (job_id, run_id, seen_at) VALUES (1, ?, ?)", (late, 10 * DAY))
    tie = run(conn, 10 * DAY)
    conn.execute("INSERT INTO sightings (job_id, run_id, seen_at) VALUES (1, ?, ?)", (tie, 10 * DAY))
    assert sorted(g for g in stored_gaps(conn).values() if g is not None) == [0, 10 * DAY, 10 * DAY]
    assert_consistent(conn)


def test_gaps_follow_deletes_of_runs_and_postings(conn):
    for day in (0, 7, 21, 28, 60):
        store(conn, [job("in-1"), job("li-1", site="linkedin", title="Cook")], day * DAY)
    conn.execute("DELETE FROM search_runs WHERE created_at = ?", (21 * DAY,))  # cascades to its sightings
    assert_consistent(conn)
    conn.execute("DELETE FROM sightings WHERE seen_at = ? AND job_id = 1", (60 * DAY,))
    assert_consistent(conn)
    conn.execute("DELETE FROM jobs WHERE board_id = 'li-1'")
    assert_consistent(conn)


def test_a_posting_moved_to_another_job_as_import_does(conn):
    # Two boards list one job under different titles: two clusters, until an import groups them.
    store(conn, [job("in-1"), job("li-1", site="linkedin", title="Cook")], 0)
    store(conn, [job("in-1")], 7 * DAY)
    store(conn, [job("li-1", site="linkedin", title="Cook")], 30 * DAY)
    store(conn, [job("in-1")], 50 * DAY)
    assert_consistent(conn)
    conn.execute("UPDATE jobs SET cluster_id = (SELECT cluster_id FROM jobs WHERE board_id = 'in-1') "
                 "WHERE board_id = 'li-1'")
    assert_consistent(conn)
    (span,) = cluster_spans(conn, [], {}, 14).values()
    assert (span.sightings, span.reposts, span.days) == (5, 2, 50.0)  # 0 0 7 | 30 | 50: two gaps of 14+ days
    conn.execute("UPDATE sightings SET seen_at = seen_at + ? WHERE seen_at = ?", (DAY, 7 * DAY))
    assert_consistent(conn)


def test_the_migration_fills_gaps_for_sightings_already_stored(tmp_path):
    before = tuple(m for m in MIGRATIONS if m.version < 8)
    conn = _open(tmp_path, before)
    runs = [run(conn, day * DAY) for day in (0, 7, 30)]
    conn.execute("BEGIN IMMEDIATE")
    for run_id, day in zip(runs, (0, 7, 30)):
        ingest(conn, [job("in-1"), job("in-2", title="Cook")], day * DAY, run_id)
    conn.execute("COMMIT")
    conn.close()
    conn = _open(tmp_path)
    assert stored_gaps(conn) == recomputed_gaps(conn)
    assert sorted(g for g in stored_gaps(conn).values() if g is not None) == [7 * DAY, 7 * DAY, 23 * DAY, 23 * DAY]
    assert_consistent(conn)


def test_jobs_no_run_saw_keep_their_postings_first_and_last_seen(conn):
    conn.execute("BEGIN IMMEDIATE")
    ingest(conn, [job("in-1"), job("in-2", title="Cook")], 5 * DAY)  # imported: no run
    conn.execute("COMMIT")
    store(conn, [job("in-2", title="Cook")], 9 * DAY)
    assert conn.execute("SELECT count(*) FROM cluster_seen").fetchone()[0] == 1
    assert sorted(kept_spans(conn, "1", {}).values()) == [Span(5 * DAY, 5 * DAY, 0, 0), Span(9 * DAY, 9 * DAY, 1, 0)]
    assert_consistent(conn)


def test_the_migration_keeps_spans_for_sightings_already_stored(tmp_path):
    before = tuple(m for m in MIGRATIONS if m.version < 11)
    conn = _open(tmp_path, before)
    for day in (0, 7, 30, 31):
        store(conn, [job("in-1"), job("li-1", site="linkedin", title="Cook")], day * DAY)
    conn.execute("UPDATE jobs SET cluster_id = 1")  # one job seen through both postings
    conn.close()
    conn = _open(tmp_path)
    (span,) = kept_spans(conn, "1", {}).values()
    assert span == Span(0, 31 * DAY, 8, 1)
    assert_consistent(conn)
