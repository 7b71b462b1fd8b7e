"""Resumes and resume match.

Listing, reading and deleting resumes is always open (they are the user's
data); adding, changing and matching need ``resume.match`` (402 without it).
Uploads are multipart (field ``file``; optional ``name``): PDF, DOCX or UTF-8
text, of which only the text is kept.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

import anyio
import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter

from ..clock import now
from ..deps import Blocked, Db, Gate
from ..errors import ApiError, NotFound
from ..insights import resumes as store
from ..insights.match import Match, MatchPage, match_job, match_jobs
from ..insights.resumes import DocumentError, Resume, ResumeSummary, read_document
from .insights import OptionalText, Text, insight_filter, read_or_400

__all__ = ["ResumeController"]

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Body_ = Annotated[str, msgspec.Meta(min_length=1, max_length=store.MAX_TEXT)]
MAX_FILE = 5_000_000


class NewResume(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name
    text: Body_


class ResumePatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name | None = None
    text: Body_ | None = None


@dataclass
class ResumeUpload:
    file: UploadFile
    name: str | None = None


async def _resume(db: Db, resume_id: int) -> Resume:
    resume = await db.run_read(store.get_resume, resume_id)
    if resume is None:
        raise NotFound(f"No resume with id {resume_id}.")
    return resume


class ResumeController(Controller):
    path = "/api/v1/resumes"
    tags = ["resumes"]

    @get(summary="The stored resumes, most recently changed first (no text)")
    async def list_resumes(self, db: Db) -> list[ResumeSummary]:
        return await db.run_read(store.list_resumes)

    @post(summary="Pro: store a pasted resume")
    async def create_resume(self, db: Db, entitlements: Gate, data: JSONBody[NewResume]) -> Response[Resume]:
        entitlements.require("resume.match")
        text = data.text.strip()
        if not data.name.strip() or not text:
            raise ApiError(400, "invalid", "A resume needs a name and some text.")
        made = await db.run_write(store.create_resume, data.name.strip(), text, "text", None, now())
        return Response(made, status_code=201)

    @post("/upload", summary="Pro: store a resume read out of an uploaded PDF, DOCX or text file")
    async def upload_resume(
        self, db: Db, entitlements: Gate,
        data: Annotated[ResumeUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Resume]:
        entitlements.require("resume.match")
        upload = data.file
        if not isinstance(upload, UploadFile):
            raise ApiError(400, "invalid", "Send the resume as a file in the multipart field 'file'.")
        content = await upload.read(MAX_FILE + 1)
        if len(content) > MAX_FILE:
            raise ApiError(413, "body_too_large", f"The file is over {MAX_FILE // 1_000_000} MB.")
        try:
            text, source = await anyio.to_thread.run_sync(read_document, upload.filename, upload.content_type,
                                                          content)
        except DocumentError as exc:
            raise ApiError(400, "bad_file", str(exc)) from None
        name = (data.name if isinstance(data.name, str) else "").strip()[:200] or \
            (upload.filename or "Resume").rsplit(".", 1)[0][:200] or "Resume"
        made = await db.run_write(store.create_resume, name, text, source, (upload.filename or None), now())
        return Response(made, status_code=201)

    @get("/{resume_id:int}", summary="One resume with its text")
    async def get_resume(self, db: Db, resume_id: FromPath[int]) -> Resume:
        return await _resume(db, resume_id)

    @patch("/{resume_id:int}", summary="Pro: rename a resume or replace its text")
    async def update_resume(self, db: Db, entitlements: Gate, resume_id: FromPath[int],
                            data: JSONBody[ResumePatch]) -> Resume:
        entitlements.require("resume.match")
        fields = {k: v.strip() for k, v in (("name", data.name), ("text", data.text)) if v is not None}
        if any(not v for v in fields.values()):
            raise ApiError(400, "invalid", "A resume's name and text cannot be blank.")
        updated = await db.run_write(store.update_resume, resume_id, fields, now())
        if updated is None:
            raise NotFound(f"No resume with id {resume_id}.")
        return updated

    @delete("/{resume_id:int}", status_code=204, summary="Delete a resume")
    async def delete_resume(self, db: Db, resume_id: FromPath[int]) -> None:
        if not await db.run_write(store.delete_resume, resume_id):
            raise NotFound(f"No resume with id {resume_id}.")

    @get("/{resume_id:int}/match/{job_id:int}", summary="Pro: how well a resume matches one job, term by term")
    async def match_one(self, db: Db, entitlements: Gate, resume_id: FromPath[int], job_id: FromPath[int]) -> Match:
        entitlements.require("resume.match")
        resume = await _resume(db, resume_id)
        answer = await db.run_read(match_job, resume.text, resume_id, job_id)
        if answer is None:
            raise NotFound(f"No job with id {job_id}.")
        return answer

    @get("/{resume_id:int}/matches", summary="Pro: jobs scored against a resume, best match first")
    async def match_many(
        self, db: Db, blocked: Blocked, entitlements: Gate, resume_id: FromPath[int],
        q: Text = "", location: Text = "",
        boards: OptionalText = None, remote: FromQuery[bool | None] = None,
        since: FromQuery[date | None] = None, until: FromQuery[date | None] = None,
        sort: FromQuery[Literal["match", "recent"]] = "match",
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=10_000)] = 0,
    ) -> MatchPage:
        entitlements.require("resume.match")
        resume = await _resume(db, resume_id)
        f = insight_filter(q, location, boards, remote, since, until, blocked)
        return await read_or_400(db, match_jobs, resume.text, resume_id, f, sort, limit, offset)
