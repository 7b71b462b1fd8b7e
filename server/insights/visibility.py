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
    # One pass over the postings and their sightings. Each sighting knows the gap since its
    # posting's previous one (migration 0008), so a job seen through one posting is plain
    # aggregates; for the few seen through several, their sightings are merged here.
    sql = (f"SELECT j.cluster_id, min(j.first_seen), max(j.last_seen), min(s.seen_at), max(s.seen_at), "
           f"count(s.seen_at), coalesce(sum(s.gap >= :gap), 0), min(j.id) < max(j.id), group_concat(s.seen_at) "
           f"FROM jobs j LEFT JOIN sightings s ON s.job_id = j.id{where} GROUP BY j.cluster_id")
    gap = params["gap"]
    spans: dict[int, Span] = {}
    for cid, first, last, seen_first, seen_last, sightings, reposts, several, times in conn.execute(sql, params):
        if not sightings:
            spans[cid] = Span(first, last, 0, 0)
        elif several:
            seen = sorted(map(int, times.split(",")))
            spans[cid] = Span(seen[0], seen[-1], len(seen), sum(b - a >= gap for a, b in zip(seen, seen[1:])))
        else:
            spans[cid] = Span(seen_first, seen_last, sightings, reposts)
    return spans
