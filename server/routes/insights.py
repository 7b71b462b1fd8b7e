"""Pro insights from the user's own data: salary, companies, market trends.

Each route asks the feature gate first (``insights.salary``,
``insights.company``, ``insights.trends``): without the entitlement it answers
402 naming it. ``/teaser`` is free and shows the user's own counts, so the
PWA can say what Pro would compute from them. Every figure carries the
number of postings it stands on (``n``); one from too few is ``value: null,
tooFew: true`` (thresholds: ``server/insights/stats.py``).
"""

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter

from ..deps import Blocked, Db, Gate
from ..entitlements import Access
from ..errors import ApiError, NotFound
from ..insights.companies import CompanyInsights, CompanyPage, company_insights, list_companies
from ..insights.query import InsightFilter, QueryError
from ..insights.salary import Comparison, SalaryInsights, compare_job, salary_insights
from ..insights.teaser import Teaser, teaser
from ..insights.trends import Trends, TrendOptions, trends
from ..insights.visibility import REPOST_GAP_DAYS

__all__ = ["InsightController"]

# Limits on query parameters go in QueryParameter: a msgspec.Meta inside
# FromQuery[...] is not enforced.
Text = Annotated[str, QueryParameter(max_length=200)]
OptionalText = Annotated[str | None, QueryParameter(max_length=200)]
GATED = ("insights.salary", "insights.company", "insights.trends", "resume.match")


class TeaserAnswer(msgspec.Struct, rename="camel"):
    counts: Teaser
    access: dict[str, Access]   # entitlement -> whether it is on now, and why


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()][:20]


def insight_filter(q: str, location: str, boards: str | None, remote: bool | None,
                   since: date | None, until: date | None, blocked: tuple[str, ...]) -> InsightFilter:
    if since and until and since > until:
        raise ApiError(400, "invalid", "since must be on or before until.")
    return InsightFilter(q=q.strip(), location=location.strip(), boards=_split(boards), remote=remote,
                         since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                         blocked=blocked)


async def read_or_400(db: Db, fn, *args):  # noqa: ANN001, ANN202 - a thin wrapper over run_read
    try:
        return await db.run_read(fn, *args)
    except QueryError as exc:
        raise ApiError(400, "bad_query", str(exc)) from None


class InsightController(Controller):
    path = "/api/v1/insights"
    tags = ["insights"]

    @get("/teaser", summary="Free: the user's own counts behind each Pro insight, and which are on")
    async def get_teaser(self, db: Db, entitlements: Gate) -> TeaserAnswer:
        counts = await db.run_read(teaser)
        return TeaserAnswer(counts=counts, access={name: entitlements.access(name) for name in GATED})

    @get("/salary", summary="Pro: annualised pay percentiles, histogram and splits, per currency")
    async def get_salary(
        self, db: Db, blocked: Blocked, entitlements: Gate,
        q: Text = "", location: Text = "",
        boards: OptionalText = None, remote: FromQuery[bool | None] = None,
        since: FromQuery[date | None] = None, until: FromQuery[date | None] = None,
    ) -> SalaryInsights:
        entitlements.require("insights.salary")
        f = insight_filter(q, location, boards, remote, since, until, blocked)
        return await read_or_400(db, salary_insights, f)

    @get("/salary/compare/{job_id:int}", summary="Pro: where one job's pay sits among peers with its title words")
    async def compare_salary(self, db: Db, blocked: Blocked, entitlements: Gate, job_id: FromPath[int],
                             posting: FromQuery[int | None] = None) -> Comparison:
        entitlements.require("insights.salary")
        answer = await read_or_400(db, compare_job, job_id, posting, blocked)
        if answer is None:
            raise NotFound(f"No job with id {job_id}" + (f" and posting {posting}." if posting else "."))
        return answer

    @get("/companies", summary="Pro: companies in the store (names merged), most postings first")
    async def get_companies(
        self, db: Db, blocked: Blocked, entitlements: Gate, q: Text = "",
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> CompanyPage:
        entitlements.require("insights.company")
        return await read_or_400(db, list_companies, q.strip(), limit, offset, blocked)

    @get("/companies/{key:str}", summary="Pro: one company: postings over time, facts, pay, reposts, "
                                         "and the user's own applications")
    async def get_company(self, db: Db, entitlements: Gate,
                          key: Annotated[str, PathParameter(max_length=500)],
                          gap_days: Annotated[int, QueryParameter(ge=1, le=365)] = REPOST_GAP_DAYS) -> CompanyInsights:
        entitlements.require("insights.company")
        answer = await read_or_400(db, company_insights, key, gap_days)
        if answer is None:
            raise NotFound(f"No company {key!r} in the store.")
        return answer

    @get("/trends", summary="Pro: new postings per week, time visible, reposts, likely ghosts, "
                            "remote share, rising and falling terms")
    async def get_trends(
        self, db: Db, blocked: Blocked, entitlements: Gate,
        q: Text = "", location: Text = "",
        boards: OptionalText = None, remote: FromQuery[bool | None] = None,
        weeks: Annotated[int, QueryParameter(ge=1, le=104)] = 12,
        end: FromQuery[date | None] = None,
        gap_days: Annotated[int, QueryParameter(ge=1, le=365)] = REPOST_GAP_DAYS,
        term_weeks: Annotated[int, QueryParameter(ge=1, le=26)] = 4,
        min_count: Annotated[int, QueryParameter(ge=1, le=10_000)] = 5,
    ) -> Trends:
        entitlements.require("insights.trends")
        if term_weeks * 2 > weeks:
            raise ApiError(400, "invalid", "term_weeks compares two periods inside the window: "
                                           "it must be at most half of weeks.")
        options = TrendOptions(weeks=weeks, end=end.isoformat() if end else None, gap_days=gap_days,
                               term_weeks=term_weeks, min_count=min_count)
        f = insight_filter(q, location, boards, remote, None, None, blocked)
        return await read_or_400(db, trends, f, options)
