"""How long jobs stay visible, and reposts, from the sightings each run records.

A job (cluster) is *seen* whenever a search run lists any of its postings.
Its visible span is the time from its first to its last sighting. A *repost*
is the job seen again after ``gap_days`` or more without a sighting; a job
the store holds without sightings (imported) has its first/last-seen times as
its span and no detectable reposts.
"""

from __future__ import annotations

import sqlite3
from typing import Any, NamedTuple

__all__ = ["Span", "cluster_spans", "DAY"]

DAY = 86400


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
    # Sightings of every posting of each matching cluster, consecutive gaps by a window function.
    sql = (f"SELECT cid, min(seen_at), max(seen_at), count(*), coalesce(sum(gap >= :gap), 0) FROM ("
           f"  SELECT j.cluster_id AS cid, s.seen_at,"
           f"         s.seen_at - lag(s.seen_at) OVER (PARTITION BY j.cluster_id ORDER BY s.seen_at) AS gap"
           f"  FROM jobs j JOIN sightings s ON s.job_id = j.id{where}) GROUP BY cid")
    spans = {row[0]: Span._make(tuple(row)[1:]) for row in conn.execute(sql, params)}
    unseen = (f"SELECT j.cluster_id, min(j.first_seen), max(j.last_seen) FROM jobs j{where} "
              f"GROUP BY j.cluster_id")
    for cid, first, last in conn.execute(unseen, params):
        if cid not in spans:
            spans[cid] = Span(first, last, 0, 0)
    return spans
