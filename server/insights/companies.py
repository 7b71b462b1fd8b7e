"""Company insights: one company across boards, names merged.

A company is its normalised name (``normalise_company``: lower case, no legal
suffix, no punctuation), the key the clusters table keeps, so "Acme Inc.",
"ACME" and "Acme, Inc." are one company. Counts are of jobs (clusters) unless
named postings (board rows).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

import msgspec

from ..clock import iso
from ..db.job_search import blocked_param
from ..db.jobs import BOARD_BITS
from ..scrape.normalize import normalise_company
from .cache import cached
from .salary import _latest_per_cluster, midpoint, pay_kind
from .stats import Figure, MIN_DURATION, median_figure, share_figure
from .visibility import REPOST_GAP_DAYS, cluster_spans, kept_spans

__all__ = ["CompanyPage", "CompanyInsights", "list_companies", "company_insights", "REPOST_GAP_DAYS"]

TOP = 10


class CompanySummary(msgspec.Struct, rename="camel"):
    key: str
    name: str
    jobs: int
    postings: int
    boards: list[str]
    last_seen: str | None


class CompanyPage(msgspec.Struct, rename="camel"):
    items: list[CompanySummary]
    total: int
    next_offset: int | None


class Count(msgspec.Struct, rename="camel"):
    key: str
    n: int


class Fact(msgspec.Struct, rename="camel"):
    value: str | float | int
    board: str
    seen_at: str | None


class CompanySalary(msgspec.Struct, rename="camel"):
    currency: str
    n: int                 # jobs with posted pay in this currency
    lowest: float          # lowest annual figure
    highest: float
    median: Figure         # of the jobs' midpoints
    estimates: int         # board estimates in this currency, not counted above


class Visibility(msgspec.Struct, rename="camel"):
    median_days: Figure    # first to last sighting
    with_sightings: int    # jobs some search run saw
    reposted: int          # jobs seen again after gap_days without a sighting
    reposts: int           # such returns, in all
    gap_days: int


class ApplicationOutcome(msgspec.Struct, rename="camel"):
    application_id: int
    job_id: int | None
    title: str
    stage: str | None      # the latest stage event's stage; None: no stage recorded
    stage_at: str | None
    created_at: str | None


class History(msgspec.Struct, rename="camel"):
    n: int
    by_stage: list[Count]
    applications: list[ApplicationOutcome]


class CompanyInsights(msgspec.Struct, rename="camel"):
    key: str
    name: str
    names: list[Count]     # every spelling the boards used, postings each
    jobs: int
    postings: int
    first_seen: str | None
    last_seen: str | None
    per_month: list[Count]  # postings per month of their posted day
    boards: list[Count]     # postings per board
    locations: list[Count]  # jobs per location, top 10
    titles: list[Count]     # jobs per title, top 10
    remote: Figure          # share of jobs marked remote
    salary: list[CompanySalary]
    facts: dict[str, Fact]  # industry, size, revenue, rating, reviews, description, logo, website, headquarters
    ratings: list[Fact]     # each board's latest rating (scales and samples differ by board)
    visibility: Visibility
    history: History


@cached
def list_companies(conn: sqlite3.Connection, q: str, limit: int, offset: int,
                   blocked: tuple[str, ...] = ()) -> CompanyPage:
    """Companies in the store, but for the ``blocked`` (company keys)."""
    params: dict[str, Any] = {"limit": limit, "offset": offset, "blocked": blocked_param(blocked)}
    where = "company_key IS NOT NULL AND company_key NOT IN (SELECT value FROM json_each(:blocked))"
    folded = normalise_company(q) if q else None
    if folded:
        where += " AND company_key LIKE :q ESCAPE '\\'"
        params["q"] = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    total = conn.execute(f"SELECT count(DISTINCT company_key) FROM clusters WHERE {where}", params).fetchone()[0]
    # Boards from the summary's bit mask: one max() per board, all inside the covering index.
    board_columns = ", ".join(f"max(board_mask & {bit} != 0)" for bit in BOARD_BITS.values())
    rows = conn.execute(
        f"SELECT company_key, count(*) AS jobs, sum(postings) AS postings, max(last_seen) AS last_seen, "
        f"{board_columns} FROM clusters WHERE {where} GROUP BY company_key "
        f"ORDER BY jobs DESC, company_key LIMIT :limit OFFSET :offset", params).fetchall()
    names = _display_names(conn, [r["company_key"] for r in rows])
    items = [CompanySummary(key=r["company_key"], name=names.get(r["company_key"], r["company_key"]),
                            jobs=r["jobs"], postings=r["postings"],
                            boards=sorted(b for b, on in zip(BOARD_BITS, tuple(r)[4:]) if on),
                            last_seen=iso(r["last_seen"])) for r in rows]
    more = offset + len(items) < total
    return CompanyPage(items=items, total=total, next_offset=offset + len(items) if more else None)


def _display_names(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """The spelling most jobs use (ties: the shortest, then alphabetical)."""
    if not keys:
        return {}
    marks = ", ".join("?" * len(keys))
    counts: dict[str, Counter] = {}
    for key, name, n in conn.execute(f"SELECT company_key, company, count(*) FROM clusters "
                                     f"WHERE company_key IN ({marks}) GROUP BY company_key, company", keys):
        counts.setdefault(key, Counter())[name] += n
    return {key: min(c.items(), key=lambda item: (-item[1], len(item[0] or ""), item[0] or ""))[0]
            for key, c in counts.items()}


_FACTS = {"industry": "company_industry", "size": "company_num_employees", "revenue": "company_revenue",
          "rating": "company_rating", "reviews": "company_reviews_count", "description": "company_description",
          "logo": "company_logo", "website": "company_url_direct", "headquarters": "company_addresses"}


def _facts(rows: list[Any]) -> tuple[dict[str, Fact], list[Fact]]:
    """Each fact from the most recently seen posting that has it."""
    latest = sorted(rows, key=lambda r: (r["last_seen"], r["id"]), reverse=True)
    facts: dict[str, Fact] = {}
    for name, column in _FACTS.items():
        row = next((r for r in latest if r[column] not in (None, "")), None)
        if row is not None:
            facts[name] = Fact(value=row[column], board=row["site"], seen_at=iso(row["last_seen"]))
    ratings: dict[str, Fact] = {}
    for row in latest:
        if row["company_rating"] is not None and row["site"] not in ratings:
            ratings[row["site"]] = Fact(value=row["company_rating"], board=row["site"], seen_at=iso(row["last_seen"]))
    return facts, sorted(ratings.values(), key=lambda f: f.board)


def _salary(rows: list[Any]) -> list[CompanySalary]:
    paid = [dict(zip(r.keys(), r), kind=pay_kind(r["site"], r["salary_source"]),
                 mid=midpoint(r["annual_min"], r["annual_max"]))
            for r in rows if r["annual_max"] is not None and r["currency"]]  # one company: few rows
    out = []
    for currency in sorted({r["currency"] for r in paid}):
        mine = [r for r in paid if r["currency"] == currency]
        sample = _latest_per_cluster(r for r in mine if r["kind"] != "estimate")
        estimates = len({r["cluster_id"] for r in mine if r["kind"] == "estimate"})
        if not sample:
            out.append(CompanySalary(currency=currency, n=0, lowest=0, highest=0,
                                     median=Figure(value=None, n=0, too_few=True), estimates=estimates))
            continue
        lows = [r["annual_min"] if r["annual_min"] is not None else r["annual_max"] for r in sample]
        out.append(CompanySalary(currency=currency, n=len(sample), lowest=min(lows),
                                 highest=max(r["annual_max"] for r in sample),
                                 median=median_figure([r["mid"] for r in sample]), estimates=estimates))
    return out


def _history(conn: sqlite3.Connection, key: str, cluster_ids: set[int]) -> History:
    """The user's applications to this company: by job, or by the name typed in."""
    apps = [a for a in conn.execute("SELECT id, cluster_id, title, company, created_at FROM applications")
            if a["cluster_id"] in cluster_ids or normalise_company(a["company"]) == key]
    latest: dict[int, tuple[str, int]] = {}
    if apps:
        marks = ", ".join("?" * len(apps))
        for app_id, stage, at in conn.execute(
                f"SELECT application_id, stage, at FROM application_events WHERE kind = 'stage' "
                f"AND application_id IN ({marks}) ORDER BY at, id", [a["id"] for a in apps]):
            latest[app_id] = (stage, at)  # ordered by time, then id: the last one wins
    outcomes = [ApplicationOutcome(application_id=a["id"], job_id=a["cluster_id"], title=a["title"],
                                   stage=latest.get(a["id"], (None, None))[0],
                                   stage_at=iso(latest.get(a["id"], (None, None))[1]),
                                   created_at=iso(a["created_at"])) for a in apps]
    outcomes.sort(key=lambda o: (o.created_at or "", o.application_id), reverse=True)
    stages = Counter(o.stage or "none" for o in outcomes)
    return History(n=len(outcomes), by_stage=[Count(key=k, n=n) for k, n in sorted(stages.items())],
                   applications=outcomes)


def _counts(values: list[str | None], top: int | None = TOP) -> list[Count]:
    counts = Counter(v for v in values if v)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Count(key=k, n=n) for k, n in (ordered if top is None else ordered[:top])]


_COLUMNS = ("j.id, j.cluster_id, j.site, j.title, j.company, coalesce(j.city, j.location) AS place, j.is_remote, "
            "substr(coalesce(j.date_posted, date(j.first_seen, 'unixepoch')), 1, 7) AS month, j.currency, "
            "j.annual_min, j.annual_max, j.salary_source, j.first_seen, j.last_seen, "
            + ", ".join(f"j.{column}" for column in _FACTS.values()))


@cached
def company_insights(conn: sqlite3.Connection, key: str, gap_days: int = REPOST_GAP_DAYS) -> CompanyInsights | None:
    candidates = [k for k in dict.fromkeys((key.strip(), normalise_company(key))) if k]
    rows: list[Any] = []
    for candidate in candidates:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM clusters c JOIN jobs j ON j.cluster_id = c.id "
                            f"WHERE c.company_key = ?", (candidate,)).fetchall()
        if rows:
            key = candidate
            break
    else:
        key = candidates[-1] if candidates else ""
    cluster_ids = {r["cluster_id"] for r in rows}
    history = _history(conn, key, cluster_ids) if key else History(n=0, by_stage=[], applications=[])
    if not rows and not history.n:
        return None
    per_cluster: dict[int, list[Any]] = {}
    for row in rows:
        per_cluster.setdefault(row["cluster_id"], []).append(row)
    latest = [max(group, key=lambda r: (r["last_seen"], r["id"])) for group in per_cluster.values()]
    remote = sum(1 for group in per_cluster.values() if any(r["is_remote"] for r in group))
    facts, ratings = _facts(rows)
    if not rows:
        spans = {}
    elif gap_days == REPOST_GAP_DAYS:
        spans = kept_spans(conn, "c.company_key = :key", {"key": key})
    else:
        spans = cluster_spans(conn, ["j.cluster_id IN (SELECT id FROM clusters WHERE company_key = :key)"],
                              {"key": key}, gap_days)
    seen = [s for s in spans.values() if s.sightings]
    names = _counts([r["company"] for r in rows], top=None)
    return CompanyInsights(
        key=key, name=names[0].key if names else key,
        names=names, jobs=len(per_cluster), postings=len(rows),
        first_seen=iso(min(r["first_seen"] for r in rows)) if rows else None,
        last_seen=iso(max(r["last_seen"] for r in rows)) if rows else None,
        per_month=sorted(_counts([r["month"] for r in rows], top=None), key=lambda c: c.key),
        boards=_counts([r["site"] for r in rows], top=None),
        locations=_counts([r["place"] for r in latest]), titles=_counts([r["title"] for r in latest]),
        remote=share_figure(remote, len(per_cluster)), salary=_salary(rows), facts=facts, ratings=ratings,
        visibility=Visibility(median_days=median_figure([round(s.days, 2) for s in spans.values()], MIN_DURATION),
                              with_sightings=len(seen), reposted=sum(1 for s in seen if s.reposts),
                              reposts=sum(s.reposts for s in seen), gap_days=gap_days),
        history=history)
