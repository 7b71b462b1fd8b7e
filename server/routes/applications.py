"""Application tracking: applications and their history, contacts, interviews,
stages, reminders, the funnel, calendars, import and export.

Free tracks up to ``FREE_ACTIVE_APPLICATIONS`` active applications; creating
or reactivating past that needs ``tracking.unlimited``. Reminders and the
funnel need ``tracking.reminders``. Nothing already tracked is ever hidden
when a license lapses: lists, edits, history, calendars and exports stay open.
"""

from typing import Annotated, Any, Awaitable, Callable, Literal, TypeVar

import msgspec
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from ..clock import now, now_ms
from ..deps import AppSettings, Db, Gate
from ..entitlements import FREE_ACTIVE_APPLICATIONS
from ..errors import ApiError
from ..tracking import calendar as ics
from ..tracking import contacts, interviews, store
from ..tracking.changes import read_changes
from ..tracking.funnel import Funnel, funnel
from ..tracking.models import (Application, ApplicationDetail, ApplicationUpdate, ChangesPage, Contact,
                               ContactUpdate, Event, Interview, InterviewUpdate, NewApplication, NewContact,
                               NewEvent, NewInterview, StageList)
from ..tracking.reminders import Reminders, reminders
from ..tracking.stages import load_stages, replace_stages
from ..tracking.transfer import ImportRequest, ImportResult, Preview, PreviewRequest, export, run_import, preview

__all__ = ["ApplicationController", "TrackingController"]

T = TypeVar("T")
AppId = FromPath[int]
ClientIdQuery = Annotated[str | None, QueryParameter(name="clientId", min_length=8, max_length=64,
                                                     pattern=r"^[A-Za-z0-9_\-]+$")]


async def within_limit(gate: Any, attempt: Callable[[int | None], Awaitable[T]]) -> T:
    """Run ``attempt`` with Free's active limit, unless ``tracking.unlimited`` is on.

    The count is checked inside the write transaction; past the limit the gate
    answers (a 402 naming the entitlement and the reason)."""
    limit = None if gate.check("tracking.unlimited").on else FREE_ACTIVE_APPLICATIONS
    try:
        return await attempt(limit)
    except store.ActiveLimit as refused:
        gate.require("tracking.unlimited", refused.message or f"Free tracks up to {FREE_ACTIVE_APPLICATIONS} "
                     "active applications. Close one (rejected, withdrawn, ...) or upgrade to JobDeck Pro.",
                     limit=FREE_ACTIVE_APPLICATIONS, **refused.facts)
        return await attempt(None)


class Usage(msgspec.Struct, rename="camel"):
    active: int
    limit: int  # Free's limit on active applications
    unlimited: bool  # tracking.unlimited is on: the limit does not apply
    reason: str  # the gate's reason code (why it is on or off)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()][:30]


def _made(detail: Any, created: bool) -> Response:
    return Response(detail, status_code=201 if created else 200)


class ApplicationController(Controller):
    path = "/api/v1/applications"
    tags = ["applications"]

    @get(summary="Tracked applications, most recently changed first (a plain list)")
    async def list_applications(
        self, db: Db,
        stage: Annotated[str | None, QueryParameter(max_length=500)] = None,
        active: FromQuery[bool | None] = None,
        q: Annotated[str, QueryParameter(max_length=200)] = "",
        tag: Annotated[str | None, QueryParameter(max_length=60)] = None,
    ) -> list[Application]:
        return await db.run_read(store.list_applications, stages=_split(stage), active=active,
                                 q=q.strip(), tag=tag)

    @post(summary="Track a stored job (jobId) or one entered by hand; 200 with the first result "
                  "when the clientId was seen before")
    async def create_application(self, db: Db, entitlements: Gate,
                                 data: JSONBody[NewApplication]) -> Response[ApplicationDetail]:
        stamp = now()

        async def attempt(limit: int | None) -> tuple[int, bool]:
            return await db.run_write(store.create, data, stamp, limit)

        app_id, created = await within_limit(entitlements, attempt)
        return _made(await db.run_read(store.load, app_id), created)

    @get("/changes", summary="Applications changed since a sync cursor, whole, for an offline replica")
    async def changes(self, db: Db, since: FromQuery[str | None] = None,
                      limit: FromQuery[int] = 200) -> ChangesPage:
        if not 1 <= limit <= 1000:
            raise ApiError(400, "invalid", "limit must be between 1 and 1000.")
        if since is not None and len(since) > 100:
            raise ApiError(400, "bad_cursor", "That sync cursor is not valid; sync again without one.")
        return await db.run_read(read_changes, since, limit)

    @get("/{app_id:int}", summary="One application with its history, contacts and interviews")
    async def get_application(self, db: Db, app_id: AppId) -> ApplicationDetail:
        return await db.run_read(store.load, app_id)

    @patch("/{app_id:int}", summary="Edit an application's fields (null clears); editedAt: last writer wins")
    async def update_application(self, db: Db, app_id: AppId,
                                 data: JSONBody[ApplicationUpdate]) -> ApplicationDetail:
        await db.run_write(store.update, app_id, data, now_ms())
        return await db.run_read(store.load, app_id)

    @get("/{app_id:int}/events", summary="The application's history, oldest first")
    async def list_events(self, db: Db, app_id: AppId) -> list[Event]:
        return (await db.run_read(store.load, app_id)).events

    @post("/{app_id:int}/events", summary="Move to a stage and/or add a dated note (appended, never rewritten)")
    async def add_event(self, db: Db, entitlements: Gate, app_id: AppId,
                        data: JSONBody[NewEvent]) -> Response[ApplicationDetail]:
        stamp = now()

        async def attempt(limit: int | None) -> bool:
            return await db.run_write(store.add_event, app_id, data, stamp, limit)

        created = await within_limit(entitlements, attempt)
        return _made(await db.run_read(store.load, app_id), created)

    @get("/{app_id:int}/contacts", summary="People at the company for this application")
    async def list_contacts(self, db: Db, app_id: AppId) -> list[Contact]:
        return (await db.run_read(store.load, app_id)).contacts

    @post("/{app_id:int}/contacts", summary="Add a contact (idempotent by clientId)")
    async def add_contact(self, db: Db, app_id: AppId, data: JSONBody[NewContact]) -> Response[Contact]:
        contact, created = await db.run_write(contacts.add_contact, app_id, data, now())
        return _made(contact, created)

    @patch("/{app_id:int}/contacts/{contact_id:int}", summary="Edit a contact; editedAt: last writer wins per field")
    async def update_contact(self, db: Db, app_id: AppId, contact_id: FromPath[int],
                             data: JSONBody[ContactUpdate]) -> Contact:
        return await db.run_write(contacts.update_contact, app_id, contact_id, data, now_ms())

    @delete("/{app_id:int}/contacts/{contact_id:int}",
            summary="Remove a contact (clientId: only if the id still names that contact)")
    async def delete_contact(self, db: Db, app_id: AppId, contact_id: FromPath[int],
                             client_id: ClientIdQuery = None) -> None:
        await db.run_write(contacts.delete_contact, app_id, contact_id, client_id)

    @get("/{app_id:int}/interviews", summary="The application's interviews, soonest first")
    async def list_interviews(self, db: Db, app_id: AppId) -> list[Interview]:
        return (await db.run_read(store.load, app_id)).interviews

    @post("/{app_id:int}/interviews", summary="Add an interview (idempotent by clientId)")
    async def add_interview(self, db: Db, app_id: AppId, data: JSONBody[NewInterview]) -> Response[Interview]:
        interview, created = await db.run_write(interviews.add_interview, app_id, data, now())
        return _made(interview, created)

    @patch("/{app_id:int}/interviews/{interview_id:int}",
           summary="Edit an interview; editedAt: last writer wins per field")
    async def update_interview(self, db: Db, app_id: AppId, interview_id: FromPath[int],
                               data: JSONBody[InterviewUpdate]) -> Interview:
        return await db.run_write(interviews.update_interview, app_id, interview_id, data, now_ms())

    @delete("/{app_id:int}/interviews/{interview_id:int}",
            summary="Remove an interview (clientId: only if the id still names that interview)")
    async def delete_interview(self, db: Db, app_id: AppId, interview_id: FromPath[int],
                               client_id: ClientIdQuery = None) -> None:
        await db.run_write(interviews.delete_interview, app_id, interview_id, client_id)

    @get("/{app_id:int}/interviews/{interview_id:int}/calendar.ics", media_type="text/calendar",
         summary="One interview as an iCalendar (.ics) file")
    async def interview_calendar(self, db: Db, app_id: AppId, interview_id: FromPath[int]) -> Response[str]:
        def build(conn: Any) -> str:
            rows = ics.one_interview(conn, app_id, interview_id)
            if not rows:
                interviews.load_interview(conn, app_id, interview_id)  # the 404, worded
            return ics.calendar(rows, now(), ics.origin(conn))

        return _calendar(await db.run_read(build), f"interview-{interview_id}.ics")


def _calendar(text: str, filename: str) -> Response[str]:
    return Response(text, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


class TrackingController(Controller):
    path = "/api/v1/tracking"
    tags = ["applications"]

    @get("/stages", summary="The stages, in board order")
    async def get_stages(self, db: Db) -> StageList:
        return StageList(stages=list((await db.run_read(load_stages)).values()))

    @put("/stages", summary="Replace the stages (a stage in any history cannot be removed; on Free, "
                            "reopening a closed stage cannot take the active applications past the limit)")
    async def put_stages(self, db: Db, entitlements: Gate, data: JSONBody[StageList]) -> StageList:
        async def attempt(limit: int | None) -> None:
            await db.run_write(replace_stages, data.stages, limit)

        await within_limit(entitlements, attempt)
        return StageList(stages=list((await db.run_read(load_stages)).values()))

    @get("/usage", summary="Active applications against the Free limit")
    async def usage(self, db: Db, entitlements: Gate) -> Usage:
        decision = entitlements.check("tracking.unlimited")
        return Usage(active=await db.run_read(store.active_count), limit=FREE_ACTIVE_APPLICATIONS,
                     unlimited=decision.on, reason=decision.reason)

    @get("/reminders", summary="Follow-ups due and coming, interviews coming, and applications "
                               "suggested as ghosted (Pro: tracking.reminders)")
    async def get_reminders(self, db: Db, entitlements: Gate, settings: AppSettings,
                            days: FromQuery[int] = 14) -> Reminders:
        entitlements.require("tracking.reminders")
        if not 1 <= days <= 366:
            raise ApiError(400, "invalid", "days must be between 1 and 366.")
        return await db.run_read(reminders, now(), days, settings.ghost_after_days)

    @get("/funnel", summary="Applications per week, stage conversion, response rates, time in stage "
                            "(Pro: tracking.reminders)")
    async def get_funnel(self, db: Db, entitlements: Gate) -> Funnel:
        entitlements.require("tracking.reminders")
        return await db.run_read(funnel)

    @get("/calendar.ics", media_type="text/calendar", summary="Every interview not yet over, as iCalendar")
    async def calendar(self, db: Db) -> Response[str]:
        def build(conn: Any) -> str:
            return ics.calendar(ics.upcoming_interviews(conn, now()), now(), ics.origin(conn))

        return _calendar(await db.run_read(build), "jobdeck-interviews.ics")

    @get("/export", summary="Every application with its full history, contacts and interviews, as CSV or JSON")
    async def export(self, db: Db, format: FromQuery[Literal["csv", "json"]] = "csv") -> Response[str]:
        text = await db.run_read(export, format)
        media = "text/csv; charset=utf-8" if format == "csv" else "application/json"
        return Response(text, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="jobdeck-applications.{format}"'})

    @post("/import/preview", status_code=200,
          summary="Read a file without storing it: headers, sample rows, the detected tool and a suggested mapping")
    async def import_preview(self, db: Db, data: JSONBody[PreviewRequest]) -> Preview:
        return await db.run_read(preview, data)

    @post("/import", status_code=200,
          summary="Import applications (a JobDeck export, or CSV with a column mapping): all or nothing; "
                  "on Free, overLimit=skip imports the active ones that fit and every closed one")
    async def import_applications(self, db: Db, entitlements: Gate, data: JSONBody[ImportRequest]) -> ImportResult:
        stamp = now()

        async def attempt(limit: int | None) -> ImportResult:
            return await db.run_write(run_import, data, stamp, limit)

        return await within_limit(entitlements, attempt)
