"""The funnel: what the history says about the search as a whole.

Every rate and duration carries the number of applications (or stage visits)
behind it, and a figure from fewer than ``MIN_SAMPLE`` is not given at all:
``{"value": null, "n": 3, "tooFew": true}``. Three applications with one
answer are not "a 33 % response rate". Weekly counts are plain counts (they
are observations, not estimates) and are always given.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from msgspec import Struct

from .models import Stage
from .stages import load_stages

__all__ = ["Funnel", "funnel", "MIN_SAMPLE"]

MIN_SAMPLE = 5
MAX_WEEKS = 520


class Figure(Struct, rename="camel"):
    value: float | None
    n: int
    too_few: bool


class Week(Struct, rename="camel"):
    week: str  # ISO week, e.g. 2026-W05
    starts: str  # its Monday
    applications: int  # applications sent that week


class Conversion(Struct, rename="camel"):
    from_stage: str
    to_stage: str
    rate: Figure  # share of those that reached from_stage that went on to to_stage (or later)


class GroupRate(Struct, rename="camel"):
    key: str
    response_rate: Figure  # share of sent applications that got any answer


class StageTime(Struct, rename="camel"):
    stage: str
    median_days: Figure  # over the times the stage was left (n = stage visits)


class Funnel(Struct, rename="camel"):
    applications: int
    submitted: int
    min_sample: int
    per_week: list[Week]
    conversion: list[Conversion]
    response_by_board: list[GroupRate]
    response_by_source: list[GroupRate]
    time_in_stage: list[StageTime]


def figure(value: float, n: int) -> Figure:
    if n < MIN_SAMPLE:
        return Figure(None, n, True)
    return Figure(round(value, 3), n, False)


def _rate(hits: int, n: int) -> Figure:
    return figure(hits / n if n else 0.0, n)


def _weeks(sent: list[int]) -> list[Week]:
    if not sent:
        return []
    days = [datetime.fromtimestamp(t, timezone.utc).date() for t in sent]
    counts: dict[date, int] = defaultdict(int)
    for day in days:
        counts[day - timedelta(days=day.weekday())] += 1
    first, last = min(counts), max(counts)
    first = max(first, last - timedelta(weeks=MAX_WEEKS - 1))
    out, monday = [], first
    while monday <= last:
        year, week, _ = monday.isocalendar()
        out.append(Week(f"{year}-W{week:02d}", monday.isoformat(), counts.get(monday, 0)))
        monday += timedelta(weeks=1)
    return out


def funnel(conn: sqlite3.Connection) -> Funnel:
    stages = load_stages(conn)
    order = {key: i for i, key in enumerate(stages)}
    open_stages = [s for s in stages.values() if not s.terminal]
    apps = conn.execute("SELECT a.id, a.source, coalesce(j.site, a.board) AS board FROM applications a "
                        "LEFT JOIN clusters c ON c.id = a.cluster_id LEFT JOIN jobs j ON j.id = c.job_id").fetchall()
    history: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in conn.execute("SELECT application_id, stage, at FROM application_events WHERE kind = 'stage' "
                            "ORDER BY application_id, at, id"):
        if row["stage"] in stages:
            history[row["application_id"]].append((row["at"], row["stage"]))

    sent_at: list[int] = []
    by_board: dict[str, list[bool]] = defaultdict(list)
    by_source: dict[str, list[bool]] = defaultdict(list)
    reached: dict[str, int] = defaultdict(int)
    durations: dict[str, list[float]] = defaultdict(list)
    for app in apps:
        steps = history.get(app["id"], [])
        seen: list[Stage] = [stages[s] for _, s in steps]
        sent = [at for at, s in steps if stages[s].submitted]
        if sent:
            sent_at.append(sent[0])
            answered = any(s.response for s in seen)
            by_board[app["board"] or "manual"].append(answered)
            by_source[(app["source"] or "").strip() or "unknown"].append(answered)
        furthest = max((order[s.key] for s in seen if not s.terminal), default=-1)
        for stage in open_stages:
            if order[stage.key] <= furthest:
                reached[stage.key] += 1
        for (at, key), (next_at, next_key) in zip(steps, steps[1:]):
            if key != next_key and not stages[key].terminal:
                durations[key].append((next_at - at) / 86_400)

    conversion = [Conversion(a.key, b.key, _rate(reached[b.key], reached[a.key]))
                  for a, b in zip(open_stages, open_stages[1:])]

    def groups(data: dict[str, list[bool]]) -> list[GroupRate]:
        return [GroupRate(key, _rate(sum(v), len(v))) for key, v in sorted(data.items(), key=lambda kv: -len(kv[1]))]

    times = [StageTime(s.key, figure(statistics.median(durations[s.key]) if durations[s.key] else 0.0,
                                     len(durations[s.key]))) for s in open_stages]
    return Funnel(applications=len(apps), submitted=len(sent_at), min_sample=MIN_SAMPLE, per_week=_weeks(sent_at),
                  conversion=conversion, response_by_board=groups(by_board), response_by_source=groups(by_source),
                  time_in_stage=times)
