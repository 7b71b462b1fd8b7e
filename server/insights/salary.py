"""Salary insights: annualised pay distributions, kept apart by currency.

What counts (one definition for every figure here):

- A posting's pay is its annualised figures (``annual_min``/``annual_max``,
  same currency as posted; hourly × 2080, daily × 260, weekly × 52, monthly
  × 12). Its *midpoint* is ``(annual_min + annual_max) / 2`` for a range and
  the one figure otherwise. A *range* has both ends and they differ; a
  *single* figure is a fixed rate, "from …" or "up to …".
- Kinds of pay, from jobspy's ``salary_source`` and the board: ``posted``
  (the board's own pay data, "direct_data"), ``text`` (jobspy read it out of
  the description, "description"; LinkedIn in the US) and ``estimate``
  (Glassdoor: jobspy returns the p10–p90 of Glassdoor's pay estimate and does
  not say when the employer gave the figures). Estimates are reported apart
  and never mixed into the distribution. Indeed falls back to its own
  estimate when an employer gives no pay and jobspy does not mark which, so
  Indeed's figures count as posted.
- The distribution counts each job once per currency: a job on three boards
  gives its most recently seen posting's pay. ``byBoard`` counts every
  board's posting, so its counts can add up to more.
- Currencies are never converted: every figure lives inside its currency.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any, Iterable

import msgspec

from .cache import cached
from .query import InsightFilter, posted_day, run, where
from .stats import (MIN_HISTOGRAM, MIN_PEERS, Bin, Figure, figure, histogram, median_figure,
                    percentile_figures, percentile_rank)

__all__ = ["salary_insights", "compare_job", "SalaryInsights", "Comparison", "pay_kind", "midpoint",
           "title_words", "ESTIMATE_BOARDS"]

ESTIMATE_BOARDS = frozenset({"glassdoor"})
TOP_GROUPS = 10
# Words that say how senior or where, not what the job is.
_NOT_ROLE = frozenset("""a an and the of for with in at to on or by from i ii iii iv v sr jr senior junior lead
    principal staff mid level entry remote hybrid onsite contract temporary part full time fulltime parttime
    new job role position team""".split())


class Group(msgspec.Struct, rename="camel"):
    key: str
    n: int
    median: Figure


class Histogram(msgspec.Struct, rename="camel"):
    n: int
    too_few: bool
    bins: list[Bin]


class Shape(msgspec.Struct, rename="camel"):
    range: int
    single: int


class Estimates(msgspec.Struct, rename="camel"):
    n: int
    percentiles: dict[str, Figure]
    by_board: list[Group]


class CurrencyInsights(msgspec.Struct, rename="camel"):
    currency: str
    n: int
    percentiles: dict[str, Figure]
    histogram: Histogram
    shape: Shape
    by_board: list[Group]
    by_location: list[Group]
    by_month: list[Group]
    estimates: Estimates


class Kinds(msgspec.Struct, rename="camel"):
    posted: int
    text: int
    estimate: int
    no_currency: int


class SalaryInsights(msgspec.Struct, rename="camel"):
    postings: int            # postings with pay under the filter, every kind and currency
    kinds: Kinds
    currencies: list[CurrencyInsights]


def pay_kind(site: str, salary_source: str | None) -> str:
    if site in ESTIMATE_BOARDS:
        return "estimate"
    return "text" if salary_source == "description" else "posted"


def midpoint(annual_min: float | None, annual_max: float | None) -> float:
    return annual_max if annual_min is None else (annual_min + annual_max) / 2


def _latest_per_cluster(rows: Iterable[Any]) -> list[Any]:
    best: dict[int, Any] = {}
    for row in rows:
        held = best.get(row["cluster_id"])
        if held is None or (row["last_seen"], row["id"]) > (held["last_seen"], held["id"]):
            best[row["cluster_id"]] = row
    return list(best.values())


_ESTIMATES = ", ".join(f"'{board}'" for board in sorted(ESTIMATE_BOARDS))
# kind and mid are pay_kind() and midpoint() in SQL: no per-row Python on large stores.
_COLUMNS = (f"j.id, j.cluster_id, j.site, coalesce(j.city, j.location) AS place, "
            f"substr({posted_day}, 1, 7) AS month, j.currency, j.annual_min, j.annual_max, "
            f"j.salary_source, j.last_seen, CASE WHEN j.site IN ({_ESTIMATES}) THEN 'estimate' "
            "WHEN j.salary_source = 'description' THEN 'text' ELSE 'posted' END AS kind, "
            "coalesce((j.annual_min + j.annual_max) / 2.0, j.annual_max) AS mid")


def _rows(conn: sqlite3.Connection, f: InsightFilter) -> list[Any]:
    clauses, params = where(f)
    sql = (f"SELECT {_COLUMNS} FROM jobs j WHERE j.annual_max IS NOT NULL"
           + "".join(f" AND {c}" for c in clauses))
    return run(conn, sql, params)


# The same figures as plain tuples (no row objects): what the whole-store distribution reads, per posting.
_PAY = (f"SELECT j.cluster_id, j.last_seen, j.id, j.currency, CASE WHEN j.site IN ({_ESTIMATES}) THEN 'estimate' "
        "WHEN j.salary_source = 'description' THEN 'text' ELSE 'posted' END, "
        "coalesce((j.annual_min + j.annual_max) / 2.0, j.annual_max), "
        "j.annual_min IS NOT NULL AND j.annual_min != j.annual_max, j.site, coalesce(j.city, j.location), "
        f"substr({posted_day}, 1, 7) FROM jobs j WHERE j.annual_max IS NOT NULL")
_CLUSTER, _SEEN, _ID, _CURRENCY, _KIND, _MID, _RANGED, _SITE, _PLACE, _MONTH = range(10)


def _pay_rows(conn: sqlite3.Connection, f: InsightFilter) -> list[tuple]:
    clauses, params = where(f)
    return run(conn, _PAY + "".join(f" AND {c}" for c in clauses), params, plain=True)


def _median_groups(values: dict[Any, list[float]], *, top: int | None = TOP_GROUPS,
                   by_key: bool = False) -> list[Group]:
    groups = [Group(key=k, n=len(v), median=median_figure(v)) for k, v in values.items() if k]
    groups.sort(key=(lambda g: g.key) if by_key else (lambda g: (-g.n, g.key)))
    return groups if top is None else groups[:top]


class _Currency:
    """One currency's postings as they stream by: the latest per job, and every posting's midpoint per board."""
    __slots__ = ("paid", "estimated", "paid_boards", "estimate_boards")

    def __init__(self) -> None:
        self.paid: dict[int, tuple] = {}
        self.estimated: dict[int, tuple] = {}
        self.paid_boards: dict[str, list[float]] = {}
        self.estimate_boards: dict[str, list[float]] = {}

    def add(self, row: tuple) -> None:
        if row[_KIND] == "estimate":
            latest, boards = self.estimated, self.estimate_boards
        else:
            latest, boards = self.paid, self.paid_boards
        held = latest.get(row[_CLUSTER])
        if held is None or (row[_SEEN], row[_ID]) > (held[_SEEN], held[_ID]):
            latest[row[_CLUSTER]] = row
        mids = boards.get(row[_SITE])
        if mids is None:
            boards[row[_SITE]] = [row[_MID]]
        else:
            mids.append(row[_MID])

    def insights(self, currency: str) -> CurrencyInsights:
        sample = self.paid.values()
        mids = sorted(r[_MID] for r in sample)
        ranged = sum(1 for r in sample if r[_RANGED])
        places: dict[str, list[float]] = {}
        months: dict[str, list[float]] = {}
        for r in sample:
            places.setdefault(r[_PLACE], []).append(r[_MID])
            months.setdefault(r[_MONTH], []).append(r[_MID])
        enough = len(mids) >= MIN_HISTOGRAM
        return CurrencyInsights(
            currency=currency, n=len(sample), percentiles=percentile_figures(mids),
            histogram=Histogram(n=len(mids), too_few=not enough, bins=histogram(mids) if enough else []),
            shape=Shape(range=ranged, single=len(sample) - ranged),
            by_board=_median_groups(self.paid_boards, top=None),
            by_location=_median_groups(places),
            by_month=_median_groups(months, top=None, by_key=True),
            estimates=Estimates(n=len(self.estimated),
                                percentiles=percentile_figures(sorted(r[_MID] for r in self.estimated.values())),
                                by_board=_median_groups(self.estimate_boards, top=None)))


@cached
def salary_insights(conn: sqlite3.Connection, f: InsightFilter) -> SalaryInsights:
    rows = _pay_rows(conn, f)
    by_currency: dict[str, _Currency] = {}
    kinds = {"posted": 0, "text": 0, "estimate": 0}
    no_currency = 0
    for row in rows:
        kinds[row[_KIND]] += 1
        currency = row[_CURRENCY]
        if not currency:
            no_currency += 1
            continue
        group = by_currency.get(currency)
        if group is None:
            group = by_currency[currency] = _Currency()
        group.add(row)
    currencies = [group.insights(c) for c, group in by_currency.items()]
    currencies.sort(key=lambda c: (-(c.n + c.estimates.n), c.currency))
    return SalaryInsights(postings=len(rows), kinds=Kinds(**kinds, no_currency=no_currency), currencies=currencies)


# -- "compare this job" --------------------------------------------------------

class Posting(msgspec.Struct, rename="camel"):
    posting_id: int
    site: str
    title: str
    currency: str
    interval: str | None
    min_amount: float | None
    max_amount: float | None
    annual_min: float | None
    annual_max: float | None
    midpoint: float
    kind: str


class Comparison(msgspec.Struct, rename="camel"):
    job_id: int
    posting: Posting | None       # None: no posting of this job has pay in a known currency
    peer_words: list[str]         # title words every peer shares with this job
    peers: int                    # jobs with posted pay in the same currency and those words
    percentiles: dict[str, Figure]
    rank_of_min: Figure           # percentile ranks (0..100) among the peers' midpoints
    rank_of_midpoint: Figure
    rank_of_max: Figure


def title_words(title: str, limit: int = 4) -> list[str]:
    """The words that say what a job is, in title order: no levels, numbers or filler."""
    words = [w for w in re.findall(r"[^\W\d_]+", title.lower()) if len(w) > 1 and w not in _NOT_ROLE]
    return list(dict.fromkeys(words))[:limit]


def _pick(rows: list[Any]) -> Any:
    """The posting a job is judged by: posted pay before an estimate, then the latest."""
    return max(rows, key=lambda r: (r["kind"] != "estimate", r["last_seen"], r["id"]))


def compare_job(conn: sqlite3.Connection, job_id: int, posting_id: int | None = None,
                blocked: tuple[str, ...] = ()) -> Comparison | None:
    """Where a job's pay sits among peers' (None: no such job or posting); ``blocked``
    companies' jobs are no one's peers."""
    if conn.execute("SELECT 1 FROM clusters WHERE id = ?", (job_id,)).fetchone() is None:
        return None
    rows = conn.execute(f"SELECT {_COLUMNS}, j.title, j.salary_interval, j.min_amount, j.max_amount "
                        "FROM jobs j WHERE j.cluster_id = ?", (job_id,)).fetchall()
    if posting_id is not None:
        rows = [r for r in rows if r["id"] == posting_id]
        if not rows:
            return None
    paid = [r for r in rows if r["annual_max"] is not None and r["currency"]]
    empty = Figure(value=None, n=0, too_few=True)
    if not paid:
        return Comparison(job_id=job_id, posting=None, peer_words=[], peers=0, percentiles=percentile_figures([]),
                          rank_of_min=empty, rank_of_midpoint=empty, rank_of_max=empty)
    own = _pick(paid)
    words = title_words(own["title"])
    mids: list[float] = []
    used: list[str] = []
    for k in range(len(words), 0, -1):  # fewer words until there are enough peers
        used = words[:k]
        peers = _rows(conn, InsightFilter(q=" ".join(f'"{w}"' for w in used), blocked=blocked))
        sample = _latest_per_cluster(r for r in peers if r["kind"] != "estimate"
                                     and r["currency"] == own["currency"] and r["cluster_id"] != job_id)
        mids = sorted(r["mid"] for r in sample)
        if len(mids) >= MIN_PEERS:
            break

    def rank(value: float | None) -> Figure:
        if value is None:
            return Figure(value=None, n=len(mids), too_few=len(mids) < MIN_PEERS)
        return figure(percentile_rank(mids, value) if mids else None, len(mids), MIN_PEERS)

    posting = Posting(posting_id=own["id"], site=own["site"], title=own["title"], currency=own["currency"],
                      interval=own["salary_interval"], min_amount=own["min_amount"], max_amount=own["max_amount"],
                      annual_min=own["annual_min"], annual_max=own["annual_max"], midpoint=round(own["mid"], 2),
                      kind=own["kind"])
    return Comparison(job_id=job_id, posting=posting, peer_words=used, peers=len(mids),
                      percentiles=percentile_figures(mids), rank_of_min=rank(own["annual_min"]),
                      rank_of_midpoint=rank(own["mid"]), rank_of_max=rank(own["annual_max"]))
