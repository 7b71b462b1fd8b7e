"""How long jobs stay visible, and reposts, from the sightings each run records.

A job (cluster) is *seen* whenever a search run lists any of its postings.
Its visible span is the time from its first to its last sighting. A *repost*
is the job seen again after ``gap_days`` or more without a sighting; a job
the store holds without sightings (imported) has its first/last-seen times as
its span and no detectable reposts.

At the default gap (``REPOST_GAP_DAYS``) each job's span and reposts are kept
in ``cluster_seen`` (migration 0011), so a question about whole jobs chosen by
a condition on ``clusters`` reads one row per job (``kept_spans``). Filters on
postings (boards, title words) or another gap need the sightings themselves
(``cluster_spans``).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, NamedTuple

__all__ = ["Span", "cluster_spans", "kept_spans", "DAY", "REPOST_GAP_DAYS"]

DAY = 86400
REPOST_GAP_DAYS = 14  # the gap cluster_seen keeps reposts at (its migration says 14 days too)


class Span(NamedTuple):
    first: int
    last: int
    sightings: int   # 0: no run saw it (imported); the span is first/last seen
    reposts: int

    @property
    def days(self) -> float:
        return (self.last - self.first) / DAY


def cluster_spans(conn: sqlite3.Connection, clauses: list[str], params: dict[str, Any],
                  gap_days: int) -> dict[int, Span]:
    """Per cluster, the span and reposts from the sightings of its postings matching ``clauses`` (jobs ``j``)."""
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    params = {**params, "gap": gap_days * DAY}
    # One pass over the postings and their sightings. Each sighting knows the gap since its
    # posting's previous one (migration 0008), so a job seen through one posting is plain
    # aggregates. The few jobs seen through several postings have their sightings merged
    # from a second, small query (gathering every job's times in the first costs a third of it).
    cursor = conn.cursor()
    cursor.row_factory = None
    spans: dict[int, Span] = {}
    several: list[int] = []
    for cid, first, last, seen_first, seen_last, sightings, reposts, merged in cursor.execute(
            f"SELECT j.cluster_id, min(j.first_seen), max(j.last_seen), min(s.seen_at), max(s.seen_at), "
            f"count(s.seen_at), coalesce(sum(s.gap >= :gap), 0), min(j.id) < max(j.id) "
            f"FROM jobs j LEFT JOIN sightings s ON s.job_id = j.id{where} GROUP BY j.cluster_id", params):
        if not sightings:
            spans[cid] = Span(first, last, 0, 0)
        elif merged:
            several.append(cid)
        else:
            spans[cid] = Span(seen_first, seen_last, sightings, reposts)
    if several:
        times: dict[int, list[int]] = {cid: [] for cid in several}
        only = " AND ".join([*clauses, "j.cluster_id IN (SELECT value FROM json_each(:several))"])
        for cid, seen_at in cursor.execute(f"SELECT j.cluster_id, s.seen_at FROM jobs j JOIN sightings s "
                                           f"ON s.job_id = j.id WHERE {only}",
                                           {**params, "several": json.dumps(several)}):
            times[cid].append(seen_at)
        gap = params["gap"]
        for cid, seen in times.items():
            seen.sort()
            spans[cid] = Span(seen[0], seen[-1], len(seen), sum(b - a >= gap for a, b in zip(seen, seen[1:])))
    cursor.close()
    return spans


def kept_spans(conn: sqlite3.Connection, cluster_where: str, params: dict[str, Any]) -> dict[int, Span]:
    """Per job chosen by ``cluster_where`` (over clusters ``c``), its span and reposts at
    ``REPOST_GAP_DAYS``: what ``cluster_spans`` gives without posting filters, from the kept rows."""
    cursor = conn.cursor()
    cursor.row_factory = None
    spans: dict[int, Span] = {}
    unseen: list[int] = []
    for cid, sightings, first, last, reposts in cursor.execute(
            f"SELECT c.id, k.sightings, k.first_seen, k.last_seen, k.reposts FROM clusters c "
            f"LEFT JOIN cluster_seen k ON k.cluster_id = c.id WHERE {cluster_where}", params):
        if sightings:
            spans[cid] = Span(first, last, sightings, reposts)
        else:
            unseen.append(cid)
    if unseen:  # imported jobs: their postings' first and last seen stand in (a job without postings has none)
        for cid, first, last in cursor.execute(
                "SELECT cluster_id, min(first_seen), max(last_seen) FROM jobs "
                "WHERE cluster_id IN (SELECT value FROM json_each(?)) GROUP BY cluster_id", (json.dumps(unseen),)):
            spans[cid] = Span(first, last, 0, 0)
    cursor.close()
    return spans
