"""Stored jobs: search and list (one row per cluster), detail, status and notes."""

import json
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, get, patch
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from ..clock import iso, now
from ..db.job_search import JobQuery, QueryError, facet_counts, filter_options, search_jobs
from ..db.jobs import JOB_COLUMNS
from ..db.preferences import effective_blocklist
from ..deps import AppSettings, Db, Gate
from ..entitlements import Access
from ..errors import ApiError, NotFound

Status = Literal["new", "seen", "saved", "hidden", "applied"]
Sort = Literal["relevance", "newest", "salary"]
_LIST_FIELDS = ("job_types", "emails", "skills")


class Salary(msgspec.Struct, rename="camel"):
    interval: str | None
    min_amount: float | None
    max_amount: float | None
    currency: str | None
    annual_min: float | None
    annual_max: float | None


class JobSummary(msgspec.Struct, rename="camel"):
    id: int
    status: str
    title: str
    company: str | None
    location: str | None
    is_remote: bool | None
    date_posted: str | None
    job_types: list[str]
    salary: Salary | None
    company_logo: str | None
    boards: list[str]
    postings: int
    note: str | None
    last_seen: str | None


class JobPage(msgspec.Struct, rename="camel"):
    items: list[JobSummary]
    next_cursor: str | None
    facets: dict[str, dict[str, int]] | None = None


class FilterOption(msgspec.Struct):
    value: str
    jobs: int


class FilterOptions(msgspec.Struct, rename="camel"):
    """What the advanced filters can choose from, with the jobs behind each,
    and whether they are on (Free sees the counts as what Pro would add)."""
    levels: list[FilterOption]
    industries: list[FilterOption]
    rated: int
    direct_apply: int
    access: Access
    # When a paid state ends without any answer from the license service:
    # the PWA keeps this answer and trusts its "on" offline until then.
    valid_until: str | None = None


class JobDetail(msgspec.Struct, rename="camel"):
    id: int
    status: str
    note: str | None
    first_seen: str
    last_seen: str
    sources: list[dict[str, Any]]  # every stored field of each board's posting


class JobUpdate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    status: Status | None = None
    note: Annotated[str, msgspec.Meta(max_length=20_000)] | None = None


def _salary(row: Any) -> Salary | None:
    if row["annual_max"] is None and row["min_amount"] is None:
        return None
    return Salary(row["salary_interval"], row["min_amount"], row["max_amount"], row["currency"],
                  row["annual_min"], row["annual_max"])


def job_summary(row: Any) -> JobSummary:
    """A clusters row as the list shows it (shared with the sync feed)."""
    return JobSummary(
        id=row["id"], status=row["status"], title=row["title"], company=row["company"],
        location=row["location"], is_remote=bool(row["is_remote"]),
        date_posted=row["date_posted"] or None, job_types=json.loads(row["job_types"] or "[]"),
        salary=_salary(row), company_logo=row["company_logo"],
        boards=(row["boards"] or "").split(",") if row["boards"] else [], postings=row["postings"],
        note=row["note"], last_seen=iso(row["last_seen"]))


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()][:50]


def _values(repeated: list[str] | None) -> list[str]:
    """A repeated parameter's values (industries hold commas, so no comma lists)."""
    return [v.strip() for v in repeated or [] if v.strip()][:50]


def _source(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"jobId": row["id"]}
    for column in ("site", "board_id", *JOB_COLUMNS, "first_seen", "last_seen"):
        value = row[column] if column in row.keys() else None
        if column in _LIST_FIELDS or column == "extra":
            value = json.loads(value) if value else None
        elif column == "is_remote" and value is not None:
            value = bool(value)
        elif column in ("first_seen", "last_seen"):
            value = iso(value)
        parts = column.split("_")
        out[parts[0] + "".join(p.title() for p in parts[1:])] = value
    return out


class JobController(Controller):
    path = "/api/v1/jobs"
    tags = ["jobs"]

    @get(summary="Search stored jobs: full text, filters, sort, cursor pages, facet counts")
    async def list_jobs(
        self, db: Db, settings: AppSettings, entitlements: Gate,
        q: Annotated[str, QueryParameter(max_length=500)] = "",
        boards: FromQuery[str | None] = None,
        remote: FromQuery[bool | None] = None,
        job_types: FromQuery[str | None] = None,
        salary_min: FromQuery[float | None] = None,
        salary_max: FromQuery[float | None] = None,
        currency: Annotated[str | None, QueryParameter(pattern=r"^[A-Za-z]{3}$")] = None,
        has_salary: FromQuery[bool | None] = None,
        posted_since: FromQuery[date | None] = None,
        location: Annotated[str, QueryParameter(max_length=200)] = "",
        companies: FromQuery[str | None] = None,
        exclude_companies: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        sort: FromQuery[Sort] = "relevance",
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
        facets: FromQuery[bool] = False,
        title_only: FromQuery[bool] = False,
        exclude: Annotated[str, QueryParameter(max_length=500)] = "",
        level: FromQuery[list[Annotated[str, msgspec.Meta(max_length=200)]] | None] = None,
        industry: FromQuery[list[Annotated[str, msgspec.Meta(max_length=200)]] | None] = None,
        min_rating: Annotated[float | None, QueryParameter(ge=0, le=5)] = None,
        direct_apply: FromQuery[bool] = False,
    ) -> JobPage:
        statuses = _split(status)
        bad = [s for s in statuses if s not in Status.__args__]  # type: ignore[attr-defined]
        if bad:
            raise ApiError(400, "invalid", f"status must be one of new, seen, saved, hidden, applied; got {bad[0]!r}.")
        query = JobQuery(
            q=q, boards=_split(boards), remote=remote, job_types=_split(job_types),
            salary_min=salary_min, salary_max=salary_max, currency=currency, has_salary=has_salary,
            posted_since=posted_since.isoformat() if posted_since else None, location=location.strip(),
            companies=_split(companies), exclude_companies=_split(exclude_companies),
            statuses=statuses, sort=sort, limit=limit, cursor=cursor,
            title_only=title_only, exclude=_split(exclude), levels=_values(level), industries=_values(industry),
            min_rating=min_rating, direct_apply=direct_apply,
            blocklist=await db.run_read(effective_blocklist, settings.company_blocklist))
        if query.advanced():
            entitlements.require("filters.advanced", "Advanced filters (title only, excluded words, seniority, "
                                 f"industry, rating, direct apply) are part of JobDeck Pro; used: {', '.join(query.advanced())}.")
        try:
            rows, next_cursor = await db.run_read(search_jobs, query)
            counts = await db.run_read(facet_counts, query) if facets and not cursor else None
        except QueryError as exc:
            raise ApiError(400, "bad_query", str(exc)) from None
        return JobPage(items=[job_summary(r) for r in rows], next_cursor=next_cursor, facets=counts)

    @get("/filter-options", summary="What the advanced filters can choose from: levels, industries, counts")
    async def get_filter_options(self, db: Db, entitlements: Gate) -> FilterOptions:
        options = await db.run_read(filter_options)
        access = entitlements.access("filters.advanced")
        valid_until = iso(entitlements.status().valid_until) if access.on else None
        return msgspec.convert({**options, "access": access, "validUntil": valid_until}, FilterOptions)

    @get("/{job_id:int}", summary="One job with every field of every board's posting")
    async def get_job(self, db: Db, job_id: FromPath[int]) -> JobDetail:
        return await _detail(db, job_id)

    @patch("/{job_id:int}", summary="Mark a job new, seen, saved, hidden or applied; set its note")
    async def update_job(self, db: Db, job_id: FromPath[int], data: JSONBody[JobUpdate]) -> JobDetail:
        fields = {k: v for k, v in (("status", data.status), ("note", data.note)) if v is not None}
        if fields:
            async with db.write() as conn:
                sets = ", ".join(f"{k} = :{k}" for k in fields)
                cursor = await conn.execute(f"UPDATE clusters SET {sets}, updated_at = :now WHERE id = :id",
                                            {**fields, "now": now(), "id": job_id})
                if cursor.rowcount == 0:
                    raise NotFound(f"No job with id {job_id}.")
        return await _detail(db, job_id)


async def _detail(db: Any, job_id: int) -> JobDetail:
    cluster = await db.fetch_one("SELECT * FROM clusters WHERE id = ?", (job_id,))
    if cluster is None:
        raise NotFound(f"No job with id {job_id}.")
    jobs = await db.fetch_all("SELECT * FROM jobs WHERE cluster_id = ? ORDER BY last_seen DESC, id", (job_id,))
    return JobDetail(id=cluster["id"], status=cluster["status"], note=cluster["note"],
                     first_seen=iso(cluster["first_seen"]), last_seen=iso(cluster["last_seen"]),
                     sources=[_source(row) for row in jobs])
