"""Alerts raised by saved-search alert runs: list, open (with the new jobs), mark read.

Reading alerts is never gated: a lapsed license stops new alert runs, it
does not hide what earlier ones found.
"""

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, QueryParameter

from ..alerts import Alert, to_alert
from ..clock import now
from ..db import alerts as alert_rows
from ..deps import Blocked, Db
from ..errors import NotFound
from .jobs import JobSummary, job_summary


class AlertPage(msgspec.Struct, rename="camel"):
    items: list[Alert]
    unread: int
    next_before: int | None  # pass as ``before`` for the next, older page


class AlertDetail(msgspec.Struct, rename="camel"):
    alert: Alert
    jobs: list[JobSummary]  # the new jobs of that run still stored, newest posting first


class Unread(msgspec.Struct, rename="camel"):
    unread: int


class AlertController(Controller):
    path = "/api/v1/alerts"
    tags = ["alerts"]

    @get(summary="Alerts, newest first, with the count not yet read")
    async def list_alerts(self, db: Db, blocked: Blocked,
                          limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
                          before: Annotated[int | None, QueryParameter(ge=1)] = None,
                          unread_only: FromQuery[bool] = False) -> AlertPage:
        rows = await db.run_read(alert_rows.list_alerts, limit + 1, before, unread_only, blocked)
        items = [to_alert(row) for row in rows[:limit]]
        return AlertPage(items=items, unread=await db.run_read(alert_rows.unread_count),
                         next_before=items[-1].id if len(rows) > limit else None)

    @get("/{alert_id:int}", summary="One alert with the new jobs its run found")
    async def get_alert(self, db: Db, blocked: Blocked, alert_id: FromPath[int]) -> AlertDetail:
        row = await db.run_read(alert_rows.get_alert, alert_id, blocked)
        if row is None:
            raise NotFound(f"No alert with id {alert_id}.")
        jobs = await db.run_read(alert_rows.alert_jobs, alert_id, blocked)
        return AlertDetail(alert=to_alert(row), jobs=[job_summary(job) for job in jobs])

    @post("/{alert_id:int}/read", status_code=200, summary="Mark one alert read")
    async def mark_read(self, db: Db, alert_id: FromPath[int]) -> Unread:
        if not await db.run_write(alert_rows.mark_read, alert_id, now()):
            raise NotFound(f"No alert with id {alert_id}.")
        return Unread(unread=await db.run_read(alert_rows.unread_count))

    @post("/read", status_code=200, summary="Mark every alert read")
    async def mark_all_read(self, db: Db) -> Unread:
        await db.run_write(alert_rows.mark_all_read, now())
        return Unread(unread=0)
