"""How long jobs stay visible, and reposts, from the sightings each run records.

A job (cluster) is *seen* whenever a search run lists any of its postings.
Its visible span is the time from its first to its last sighting. A *repost*
is the job seen again after ``gap_days`` or more without a sighting; a job
the store holds without sightings (imported) has its first/last-seen times as
its span and no detectable reposts.
"""

from __future__ import annotations

import json
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
    # One pass over the postings and their sightings. Each sighting knows the gap since its
    # posting's previous one (migration 0008), so a job seen through one posting needs no
    # window function; the few seen through several are merged below.
    seen_by = "CASE WHEN s.seen_at IS NOT NULL THEN j.id END"
    sql = (f"SELECT j.cluster_id, min(j.first_seen), max(j.last_seen), min(s.seen_at), max(s.seen_at), "
           f"count(s.seen_at), coalesce(sum(s.gap >= :gap), 0), min({seen_by}) < max({seen_by}) "
           f"FROM jobs j LEFT JOIN sightings s ON s.job_id = j.id{where} GROUP BY j.cluster_id")
    spans: dict[int, Span] = {}
    several: list[int] = []
    for cid, first, last, seen_first, seen_last, sightings, reposts, merged in conn.execute(sql, params):
        if merged:
            several.append(cid)
        elif sightings:
            spans[cid] = Span(seen_first, seen_last, sightings, reposts)
        else:
            spans[cid] = Span(first, last, 0, 0)
    if several:
        # Sightings of all the matching postings of each such cluster, consecutive gaps by a window function.
        # CROSS JOIN: read from the listed clusters, not from every cluster the clauses allow.
        merge = (f"SELECT cid, min(seen_at), max(seen_at), count(*), coalesce(sum(gap >= :gap), 0) FROM ("
                 f"  SELECT j.cluster_id AS cid, s.seen_at,"
                 f"         s.seen_at - lag(s.seen_at) OVER (PARTITION BY j.cluster_id ORDER BY s.seen_at) AS gap"
                 f"  FROM json_each(:several) AS listed CROSS JOIN jobs j ON j.cluster_id = listed.value"
                 f"  JOIN sightings s ON s.job_id = j.id{where}"
                 f") GROUP BY cid")
        for row in conn.execute(merge, {**params, "several": json.dumps(several)}):
            spans[row[0]] = Span._make(row[1:])
    return spans
