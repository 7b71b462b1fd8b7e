"""Stored resumes: rows of ``resumes`` and the text read out of uploaded files.

PDF and DOCX are read by pypdf and python-docx, imported only when a file
arrives (never at server start). Only the text is kept.
"""

from __future__ import annotations

import io
import sqlite3

import msgspec

from ..clock import iso

__all__ = ["Resume", "ResumeSummary", "DocumentError", "read_document", "MAX_TEXT",
           "list_resumes", "get_resume", "create_resume", "update_resume", "delete_resume"]

MAX_TEXT = 200_000


class DocumentError(ValueError):
    """A file that gives no usable text; the message says what to do."""


class ResumeSummary(msgspec.Struct, rename="camel"):
    id: int
    name: str
    source: str              # "text", "pdf" or "docx"
    filename: str | None
    chars: int
    created_at: str
    updated_at: str


class Resume(ResumeSummary):
    text: str


def _summary(row: sqlite3.Row) -> ResumeSummary:
    return ResumeSummary(id=row["id"], name=row["name"], source=row["source"], filename=row["filename"],
                         chars=row["chars"], created_at=iso(row["created_at"]), updated_at=iso(row["updated_at"]))


def _full(row: sqlite3.Row) -> Resume:
    return Resume(**msgspec.structs.asdict(_summary(row)), text=row["text"])


_SELECT = "SELECT id, name, source, filename, length(text) AS chars, created_at, updated_at"


def list_resumes(conn: sqlite3.Connection) -> list[ResumeSummary]:
    return [_summary(r) for r in conn.execute(f"{_SELECT} FROM resumes ORDER BY updated_at DESC, id DESC")]


def get_resume(conn: sqlite3.Connection, resume_id: int) -> Resume | None:
    row = conn.execute(f"{_SELECT}, text FROM resumes WHERE id = ?", (resume_id,)).fetchone()
    return None if row is None else _full(row)


def create_resume(conn: sqlite3.Connection, name: str, text: str, source: str, filename: str | None,
                  now: int) -> Resume:
    cursor = conn.execute("INSERT INTO resumes (name, text, source, filename, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?)", (name, text, source, filename, now, now))
    return get_resume(conn, cursor.lastrowid)  # type: ignore[return-value]


def update_resume(conn: sqlite3.Connection, resume_id: int, fields: dict[str, str], now: int) -> Resume | None:
    if fields:
        sets = ", ".join(f"{k} = :{k}" for k in fields)
        conn.execute(f"UPDATE resumes SET {sets}, updated_at = :now WHERE id = :id",
                     {**fields, "now": now, "id": resume_id})
    return get_resume(conn, resume_id)


def delete_resume(conn: sqlite3.Connection, resume_id: int) -> bool:
    return conn.execute("DELETE FROM resumes WHERE id = ?", (resume_id,)).rowcount == 1


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\x00", "").splitlines()]
    return "\n".join(line for line in lines if line).strip()[:MAX_TEXT]


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("The PDF is password-protected. Remove the password, or paste the text.")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to parse an untrusted file is the file's fault
        raise DocumentError(f"The PDF could not be read ({type(exc).__name__}). Paste the text instead.") from None


def _docx(data: bytes) -> str:
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append(" | ".join(cell.text for cell in row.cells))
    except Exception as exc:  # noqa: BLE001 - any failure to parse an untrusted file is the file's fault
        raise DocumentError(f"The DOCX could not be read ({type(exc).__name__}). Paste the text instead.") from None
    return "\n".join(parts)


def read_document(filename: str, content_type: str | None, data: bytes) -> tuple[str, str]:
    """(text, source) from an uploaded file: PDF, DOCX, or plain text."""
    name = (filename or "").lower()
    if data.startswith(b"%PDF") or name.endswith(".pdf"):
        text, source = _pdf(data), "pdf"
    elif data.startswith(b"PK") or name.endswith(".docx"):
        text, source = _docx(data), "docx"
    elif name.endswith((".txt", ".md")) or (content_type or "").startswith("text/"):
        try:
            text, source = data.decode("utf-8-sig"), "text"
        except UnicodeDecodeError:
            raise DocumentError("The text file is not UTF-8.") from None
    else:
        raise DocumentError("Upload a PDF, a DOCX or a UTF-8 text file, or paste the text.")
    text = _clean(text)
    if not text:
        raise DocumentError("No text was found in the file (a scanned image?). Paste the text instead.")
    return text, source
