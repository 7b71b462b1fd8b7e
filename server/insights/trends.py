"""Market trends from the store's own history: what is new each week, how long
jobs stay visible, reposts and likely ghost postings, remote share, and the
skills and title words rising and falling.

Weeks start on Monday (UTC). The window is ``weeks`` weeks ending with the
week of ``end`` (default: the day of the store's latest sighting). A job is
*new* in the week JobDeck first saw it (``clusters.first_seen``); a board's
posting is new in the week its row was first stored.

- Days visible: first to last sighting (``visibility.py``). The median is over
  jobs that *ended*: not seen for ``gap_days`` before the end of the window;
  jobs still visible are counted apart, since their span is not over.
- Repost: a job seen again after ``gap_days`` or more without a sighting.
- Likely ghost: visible for ``GHOST_DAYS`` days or more and reposted at least
  ``GHOST_REPOSTS`` times.
- Terms: the share of new jobs in the last ``term_weeks`` weeks whose text
  has a vocabulary skill (or whose title has a word), against the
  ``term_weeks`` weeks before. A term needs ``min_count`` jobs in one of the
  two periods; both periods need ``MIN_PERIOD`` jobs, or no terms are ranked.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import NamedTuple

import msgspec

from ..clock import iso
from .cache import cached
from .query import InsightFilter, narrowing, not_blocked, run
from .skills import words as content_words
from .stats import MIN_DURATION, Figure, median_figure, share_figure
from .teaser import WEEK, week_index
from .terms import labels, posting_skills
from .visibility import DAY, REPOST_GAP_DAYS, cluster_spans, kept_spans

__all__ = ["Trends", "TrendOptions", "trends", "GHOST_DAYS", "GHOST_REPOSTS", "MIN_PERIOD"]

GHOST_DAYS = 60
GHOST_REPOSTS = 2
MIN_PERIOD = 20
TOP_TERMS = 15
TOP_PLACES = 5


@dataclass
class TrendOptions:
    weeks: int = 12
    end: str | None = None
    gap_days: int = REPOST_GAP_DAYS
    term_weeks: int = 4
    min_count: int = 5


class Week(msgspec.Struct, rename="camel"):
    week: str                      # its Monday, ISO date
    new_jobs: int
    new_postings_by_board: dict[str, int]
    remote_share: Figure           # of the jobs new that week


class PlaceWeeks(msgspec.Struct, rename="camel"):
    key: str
    n: int
    per_week: list[int]            # in the order of ``weeks``


class Ghost(msgspec.Struct, rename="camel"):
    job_id: int
    title: str | None
    company: str | None
    days_visible: float
    reposts: int
    first_seen: str | None
    last_seen: str | None


class Visible(msgspec.Struct, rename="camel"):
    median_days: Figure            # jobs that ended
    ended: int
    still_visible: int
    without_sightings: int         # imported jobs: first/last seen stand in for sightings


class Reposts(msgspec.Struct, rename="camel"):
    gap_days: int
    reposted: int
    share: Figure                  # of jobs some run saw
    ghosts: list[Ghost]            # likely ghost postings, longest visible first
    ghost_count: int


class TermChange(msgspec.Struct, rename="camel"):
    term: str
    kind: str                      # "skill" or "title"
    recent: int                    # jobs with it in the recent period
    before: int
    recent_share: float
    before_share: float
    change: float                  # recent_share - before_share (fraction points)


class Terms(msgspec.Struct, rename="camel"):
    recent_from: str
    before_from: str
    recent_jobs: int
    before_jobs: int
    too_few: bool
    min_count: int
    rising: list[TermChange]
    falling: list[TermChange]


class _NewJob(NamedTuple):
    """A job new in the window, as its first posting read shows it."""
    id: int                        # that posting (for its skills)
    updated_at: int                # that posting's (the key its skills are kept by)
    first_seen: int                # the job's
    week: int
    is_remote: int
    place: str | None
    title: str | None
    company: str | None


class Trends(msgspec.Struct, rename="camel"):
    start: str
    end: str                       # last day of the window
    jobs: int                      # jobs new in the window
    weeks: list[Week]
    by_location: list[PlaceWeeks]
    visible: Visible
    reposts: Reposts
    terms: Terms


def _day(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).date().isoformat()


def _epoch(day: str) -> int:
    return int(datetime.combine(date.fromisoformat(day), datetime.min.time(), timezone.utc).timestamp())


@cached
def trends(conn: sqlite3.Connection, f: InsightFilter, options: TrendOptions) -> Trends:
    end_day = options.end
    if end_day is None:
        latest = conn.execute("SELECT max(last_seen) FROM jobs").fetchone()[0]
        end_day = _day(latest) if latest else datetime.now(timezone.utc).date().isoformat()
    last_week = week_index(_epoch(end_day))
    first_week = last_week - options.weeks + 1
    start = first_week * WEEK - 3 * DAY          # Monday 00:00 UTC of the first week
    stop = (last_week + 1) * WEEK - 3 * DAY      # the Monday after the window
    clauses, params = narrowing(f)
    whole_jobs = not clauses  # nothing narrows the jobs' postings
    clauses += not_blocked(f, "j.cluster_id", params)
    params = {**params, "start": start, "stop": stop}
    rows = run(conn, "SELECT j.id, j.updated_at, j.cluster_id, j.site, j.first_seen, c.first_seen, c.is_remote, "
                     "coalesce(c.location, j.location), c.title, c.company "
                     "FROM jobs j JOIN clusters c ON c.id = j.cluster_id "
                     "WHERE c.first_seen >= :start AND c.first_seen < :stop"
                     + "".join(f" AND {c}" for c in clauses), params, plain=True)
    week_keys = list(range(first_week, last_week + 1))
    new_jobs: dict[int, _NewJob] = {}
    boards: dict[int, Counter] = {w: Counter() for w in week_keys}
    for job_id, updated_at, cluster_id, site, posting_seen, cluster_seen, is_remote, place, title, company in rows:
        if start <= posting_seen < stop:
            boards[week_index(posting_seen)][site] += 1
        held = new_jobs.get(cluster_id)
        if held is None or job_id < held.id:  # the job as its first stored posting shows it
            new_jobs[cluster_id] = _NewJob(job_id, updated_at, cluster_seen, week_index(cluster_seen), is_remote,
                                           place, title, company)
    per_week = Counter(j.week for j in new_jobs.values())
    remote_per_week = Counter(j.week for j in new_jobs.values() if j.is_remote)
    weeks = [Week(week=_day(w * WEEK - 3 * DAY), new_jobs=per_week[w], new_postings_by_board=dict(boards[w]),
                  remote_share=share_figure(remote_per_week[w], per_week[w]))
             for w in week_keys]
    places = Counter(j.place for j in new_jobs.values() if j.place)
    top_places = sorted(places.items(), key=lambda item: (-item[1], item[0]))[:TOP_PLACES]
    top = {place for place, _ in top_places}
    place_weeks = Counter((j.place, j.week) for j in new_jobs.values() if j.place in top)
    by_location = [PlaceWeeks(key=place, n=n, per_week=[place_weeks[place, w] for w in week_keys])
                   for place, n in top_places]

    if whole_jobs and options.gap_days == REPOST_GAP_DAYS:  # their kept spans answer
        spans = kept_spans(conn, " AND ".join(["c.first_seen >= :start AND c.first_seen < :stop",
                                                *not_blocked(f, "c.id", params)]), params)
    else:
        span_clauses = [*clauses, "j.cluster_id IN (SELECT id FROM clusters WHERE first_seen >= :start "
                                  "AND first_seen < :stop)"]
        spans = cluster_spans(conn, span_clauses, params, options.gap_days)
    horizon = min(stop, _epoch(end_day) + DAY) - options.gap_days * DAY
    seen = {cid: s for cid, s in spans.items() if s.sightings}
    ended = [s.days for s in spans.values() if s.last < horizon]
    visible = Visible(median_days=median_figure(ended, MIN_DURATION), ended=len(ended),
                      still_visible=len(spans) - len(ended),
                      without_sightings=len(spans) - len(seen))
    ghosts = sorted(((cid, s) for cid, s in seen.items()
                     if s.days >= GHOST_DAYS and s.reposts >= GHOST_REPOSTS),
                    key=lambda item: (-item[1].days, item[0]))
    reposts = Reposts(gap_days=options.gap_days, reposted=sum(1 for s in seen.values() if s.reposts),
                      share=share_figure(sum(1 for s in seen.values() if s.reposts), len(seen)),
                      ghosts=[_ghost(new_jobs.get(cid), cid, s) for cid, s in ghosts[:20]],
                      ghost_count=len(ghosts))
    terms = _terms(conn, new_jobs, last_week, options)
    return Trends(start=_day(start), end=_day(stop - DAY), jobs=len(new_jobs), weeks=weeks,
                  by_location=by_location, visible=visible, reposts=reposts, terms=terms)


def _ghost(job: _NewJob | None, cid: int, span) -> Ghost:  # noqa: ANN001 - a visibility.Span
    return Ghost(job_id=cid, title=job.title if job else None, company=job.company if job else None,
                 days_visible=round(span.days, 1), reposts=span.reposts, first_seen=iso(span.first),
                 last_seen=iso(span.last))


_TITLE_WORDS: dict[str, frozenset[str]] = {}
_TITLE_WORDS_LIMIT = 200_000


def _title_words(title: str) -> frozenset[str]:
    """A title's distinct content words, kept: many jobs share titles, and runs see them again."""
    found = _TITLE_WORDS.get(title)
    if found is None:
        if len(_TITLE_WORDS) >= _TITLE_WORDS_LIMIT:
            _TITLE_WORDS.clear()
        found = _TITLE_WORDS[title] = frozenset(content_words(title))
    return found


def _terms(conn: sqlite3.Connection, new_jobs: dict[int, _NewJob], last_week: int, options: TrendOptions) -> Terms:
    split = (last_week - options.term_weeks + 1) * WEEK - 3 * DAY
    early = split - options.term_weeks * WEEK
    recent = [j for j in new_jobs.values() if j.first_seen >= split]
    before = [j for j in new_jobs.values() if early <= j.first_seen < split]
    too_few = len(recent) < MIN_PERIOD or len(before) < MIN_PERIOD
    rising: list[TermChange] = []
    falling: list[TermChange] = []
    if not too_few:
        db_id = conn.execute("SELECT db_id FROM sync_state WHERE id = 1").fetchone()[0]
        masks = posting_skills(conn, db_id, {j.id: j.updated_at for j in (*recent, *before)})

        def count(jobs: list[_NewJob]) -> tuple[Counter, Counter]:
            # Many jobs share a skill set or a title: count those first, expand each distinct one once.
            skills: Counter = Counter()
            for mask, n in Counter(masks.get(job.id, 0) for job in jobs).items():
                for skill in labels(mask):
                    skills[skill] += n
            words: Counter = Counter()
            for title, n in Counter(job.title or "" for job in jobs).items():
                for word in _title_words(title):
                    words[word] += n
            return skills, words

        (skills_now, words_now), (skills_then, words_then) = count(recent), count(before)
        changes = []
        for kind, now, then in (("skill", skills_now, skills_then), ("title", words_now, words_then)):
            for term in now.keys() | then.keys():
                a, b = now.get(term, 0), then.get(term, 0)
                if max(a, b) < options.min_count:
                    continue
                ra, rb = a / len(recent), b / len(before)
                changes.append(TermChange(term=term, kind=kind, recent=a, before=b, recent_share=round(ra, 4),
                                          before_share=round(rb, 4), change=round(ra - rb, 4)))
        rising = sorted((c for c in changes if c.change > 0), key=lambda c: (-c.change, c.term))[:TOP_TERMS]
        falling = sorted((c for c in changes if c.change < 0), key=lambda c: (c.change, c.term))[:TOP_TERMS]
    return Terms(recent_from=_day(split), before_from=_day(early), recent_jobs=len(recent),
                 before_jobs=len(before), too_few=too_few, min_count=options.min_count,
                 rising=rising, falling=falling)
