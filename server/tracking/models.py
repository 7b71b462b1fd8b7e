"""The JSON shapes of the tracking API (camelCase, UTC ISO 8601 times).

Inputs forbid unknown fields, so a typo is a 400 instead of a silent no-op.
Updates use ``msgspec.UNSET`` for "not sent", so ``null`` can clear a field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

__all__ = [
    "Application", "ApplicationDetail", "ApplicationUpdate", "ChangesPage", "ClientId", "Contact",
    "ContactUpdate", "Event", "Interview", "InterviewUpdate", "NewApplication", "NewContact",
    "NewEvent", "NewInterview", "StageKey", "Stage", "StageList",
]

ClientId = Annotated[str, Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$",
                               description="A client-made id (a UUID): sending it again returns "
                                           "what the first request made instead of a duplicate.")]
StageKey = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Short = Annotated[str, Meta(max_length=500)]
Long = Annotated[str, Meta(max_length=100_000)]
Url = Annotated[str, Meta(max_length=2_000)]
Title = Annotated[str, Meta(min_length=1, max_length=500)]
# No commas in a tag: a spreadsheet cell lists them comma-separated.
Tags = Annotated[list[Annotated[str, Meta(min_length=1, max_length=60, pattern=r"^[^,\r\n]+$")]],
                 Meta(max_length=50)]
Money = Annotated[float, Meta(ge=0, le=1e12)]
Currency = Annotated[str, Meta(pattern=r"^[A-Z]{3}$")]
Interval = Literal["yearly", "monthly", "weekly", "daily", "hourly"]
Excitement = Annotated[int, Meta(ge=1, le=5)]
Aware = Annotated[datetime, Meta(tz=True)]
Names = Annotated[list[Annotated[str, Meta(min_length=1, max_length=200)]], Meta(max_length=50)]


class Stage(Struct, rename="camel", forbid_unknown_fields=True):
    key: StageKey
    label: Annotated[str, Meta(min_length=1, max_length=60)]
    submitted: bool  # reaching it means the application was sent
    response: bool  # reaching it means the employer answered
    terminal: bool  # the application is over and no longer active


class StageList(Struct, rename="camel", forbid_unknown_fields=True):
    stages: Annotated[list[Stage], Meta(min_length=2, max_length=30)]


class ApplicationFields(Struct, rename="camel", kw_only=True):
    """What a person writes about an application: shared by a new one and an imported one."""

    company: Short | None = None
    location: Short | None = None
    url: Url | None = None
    description: Long | None = None
    excitement: Excitement | None = None
    salary_expectation: Money | None = None
    salary_offer: Money | None = None
    salary_currency: Currency | None = None
    salary_interval: Interval | None = None
    resume_version: Short | None = None
    source: Short | None = None
    tags: Tags = []
    notes: Long | None = None  # markdown
    follow_up_at: Aware | None = None


class NewApplication(ApplicationFields, rename="camel", forbid_unknown_fields=True, kw_only=True):
    client_id: ClientId | None = None
    job_id: int | None = None  # a stored job (cluster id from /api/v1/jobs); fills what is not given
    title: Title | None = None  # required without jobId
    stage: StageKey | None = None  # default: the first non-terminal stage ("saved")
    at: Aware | None = None  # when that stage was reached; default now


class ApplicationUpdate(Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """Fields left out stay; ``null`` clears. ``editedAt`` (an offline edit's own time) makes
    the edit lose to any newer write of the same field."""

    title: Title | UnsetType = UNSET
    company: Short | None | UnsetType = UNSET
    location: Short | None | UnsetType = UNSET
    url: Url | None | UnsetType = UNSET
    description: Long | None | UnsetType = UNSET
    excitement: Excitement | None | UnsetType = UNSET
    salary_expectation: Money | None | UnsetType = UNSET
    salary_offer: Money | None | UnsetType = UNSET
    salary_currency: Currency | None | UnsetType = UNSET
    salary_interval: Interval | None | UnsetType = UNSET
    resume_version: Short | None | UnsetType = UNSET
    source: Short | None | UnsetType = UNSET
    tags: Tags | UnsetType = UNSET
    notes: Long | None | UnsetType = UNSET
    follow_up_at: Aware | None | UnsetType = UNSET
    edited_at: Aware | None = None


class NewEvent(Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """A stage change (``stage``), a dated note (``note`` alone), or both."""

    client_id: ClientId | None = None
    stage: StageKey | None = None
    note: Annotated[str, Meta(max_length=20_000)] | None = None
    at: Aware | None = None  # when it happened; default now; a future time counts as now


class Event(Struct, rename="camel"):
    id: int
    client_id: str | None
    kind: str  # "stage" or "note"
    stage: str | None
    note: str | None
    at: str


class NewContact(Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    client_id: ClientId | None = None
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: Short | None = None
    email: Short | None = None
    phone: Annotated[str, Meta(max_length=60)] | None = None
    link: Url | None = None
    notes: Long | None = None


class ContactUpdate(Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    name: Annotated[str, Meta(min_length=1, max_length=200)] | UnsetType = UNSET
    role: Short | None | UnsetType = UNSET
    email: Short | None | UnsetType = UNSET
    phone: Annotated[str, Meta(max_length=60)] | None | UnsetType = UNSET
    link: Url | None | UnsetType = UNSET
    notes: Long | None | UnsetType = UNSET
    edited_at: Aware | None = None  # an offline edit's own time: it loses to any newer write of a field
    client_id: ClientId | None = None  # the contact it was made to: a 404 if the id now names another


class Contact(Struct, rename="camel"):
    id: int
    client_id: str | None
    name: str
    role: str | None
    email: str | None
    phone: str | None
    link: str | None
    notes: str | None
    created_at: str
    updated_at: str


class NewInterview(Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """``startsAt`` without an offset is a wall-clock time in ``timeZone`` (an IANA name)."""

    client_id: ClientId | None = None
    starts_at: datetime
    time_zone: Annotated[str, Meta(min_length=1, max_length=64)] = "UTC"
    duration_minutes: Annotated[int, Meta(ge=1, le=1440)] = 60
    kind: Annotated[str, Meta(max_length=60)] | None = None  # phone, video, onsite, technical, ...
    location: Short | None = None
    meeting_url: Url | None = None
    participants: Names = []
    notes: Long | None = None


class InterviewUpdate(Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """Changing ``timeZone`` alone keeps the wall-clock time (14:00 stays 14:00, in the new zone)."""

    starts_at: datetime | UnsetType = UNSET
    time_zone: Annotated[str, Meta(min_length=1, max_length=64)] | UnsetType = UNSET
    duration_minutes: Annotated[int, Meta(ge=1, le=1440)] | UnsetType = UNSET
    kind: Annotated[str, Meta(max_length=60)] | None | UnsetType = UNSET
    location: Short | None | UnsetType = UNSET
    meeting_url: Url | None | UnsetType = UNSET
    participants: Names | UnsetType = UNSET
    notes: Long | None | UnsetType = UNSET
    edited_at: Aware | None = None  # an offline edit's own time: it loses to any newer write of a field
    client_id: ClientId | None = None  # the interview it was made to: a 404 if the id now names another


class Interview(Struct, rename="camel"):
    id: int
    application_id: int
    client_id: str | None
    starts_at: str  # UTC
    ends_at: str
    time_zone: str
    local_start: str  # the wall-clock time in time_zone, without offset
    duration_minutes: int
    kind: str | None
    location: str | None
    meeting_url: str | None
    participants: list[str]
    notes: str | None
    created_at: str
    updated_at: str


class Application(Struct, rename="camel"):
    id: int
    client_id: str | None
    job_id: int | None  # the stored job it came from, if any
    title: str
    company: str | None
    location: str | None
    url: str | None
    board: str | None  # the board of that stored job
    stage: str
    stage_at: str
    active: bool  # the stage is not terminal: counts toward Free's limit
    excitement: int | None
    salary_expectation: float | None
    salary_offer: float | None
    salary_currency: str | None
    salary_interval: str | None
    resume_version: str | None
    source: str | None
    tags: list[str]
    notes: str | None
    follow_up_at: str | None
    created_at: str
    updated_at: str
    last_activity_at: str
    change_seq: int


class ApplicationDetail(Application):
    description: str | None
    events: list[Event]  # oldest first
    contacts: list[Contact]
    interviews: list[Interview]  # soonest first


class ChangesPage(Struct, rename="camel"):
    changes: list[ApplicationDetail]
    cursor: str
    more: bool
    reset: bool  # true: drop the replica's applications first
