"""Export and import of applications, with their whole history.

Export: JSON (``{"format": "jobdeck-applications", "version": 1, "stages",
"applications"}``, each application as the API shows it) or CSV (one row per
application; a ``stage_<key>_at`` column per stage with the date it was first
reached, for spreadsheets, and ``history``, ``contacts`` and ``interviews``
cells holding JSON, so nothing is lost). Importing either into an empty home
gives the same applications back; importing into the same home again skips
every application whose ``clientId`` is already there.

Import of any other spreadsheet goes through a mapping (see ``mapping.py``):
preview first, then import with the mapping the user confirmed. A file is
checked whole before anything is written; the first problem is reported with
its line (CSV) or its position (JSON), and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from typing import Any, Literal

import msgspec
from msgspec import Struct

from .imported import ImportedApplication, TransferError, store_items
from .mapping import FIELDS, camel, detect_tool, is_blank, suggest_mapping, suggest_stage
from .rows import check_mapping, row_to_application
from .stages import load_stages
from .store import SELECT, load

__all__ = ["ImportRequest", "ImportResult", "Preview", "PreviewRequest", "export", "preview", "run_import"]

MAX_ROWS = 50_000
SAMPLE_ROWS = 5
# "board" came later: a file without it still imports, with no board.
BASE_COLUMNS = ("client_id", "job_id", "title", "company", "location", "url", "board", "description", "stage",
                "excitement",
                "salary_expectation", "salary_offer", "salary_currency", "salary_interval", "resume_version",
                "source", "tags", "notes", "follow_up_at", "created_at", "updated_at")
Mapping = dict[str, str | None]


class PreviewRequest(Struct, rename="camel", forbid_unknown_fields=True):
    content: str  # the file's text (CSV or JSON)
    format: Literal["csv", "json"] = "csv"


class ImportRequest(Struct, rename="camel", forbid_unknown_fields=True):
    content: str
    format: Literal["csv", "json"] = "csv"
    mapping: Mapping | None = None  # header -> field (or null to skip); default: the suggested one
    stage_map: dict[str, str] | None = None  # a stage cell's text -> stage key
    # Past Free's limit on active applications: refuse the file (a 402 saying how many fit), or
    # import the first active ones that fit with every closed one and leave the rest out.
    over_limit: Literal["refuse", "skip"] = "refuse"


class Preview(Struct, rename="camel"):
    format: str
    detected: str | None  # "huntr", "teal", "simplify", "jobdeck", or null
    headers: list[str]
    sample_rows: list[dict[str, str]]
    rows: int
    fields: list[str]  # every import target, "date:<stage>" included
    suggested_mapping: Mapping
    stage_values: dict[str, str | None]  # each distinct stage cell and the stage it suggests


class ImportResult(Struct, rename="camel"):
    imported: int
    skipped: int  # already in this home (same clientId)
    active: int  # of those imported, how many are active
    over_limit: int = 0  # active applications left out for Free's limit (overLimit: skip)


def _text(content: str) -> str:
    return content.lstrip("\ufeff")


# -- export ------------------------------------------------------------------

def export(conn: sqlite3.Connection, fmt: str) -> str:
    stages = load_stages(conn)
    apps = [load(conn, row["id"], stages) for row in conn.execute(f"{SELECT} ORDER BY a.id").fetchall()]
    if fmt == "json":
        body = {"format": "jobdeck-applications", "version": 1, "stages": list(stages.values()), "applications": apps}
        return msgspec.json.format(msgspec.json.encode(body).decode(), indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*BASE_COLUMNS, *(f"stage_{key}_at" for key in stages), "history", "contacts", "interviews"])
    for app in apps:
        data = msgspec.to_builtins(app)
        first: dict[str, str] = {}
        for event in app.events:
            if event.stage:
                first.setdefault(event.stage, event.at)
        writer.writerow([*(_cell(data, column) for column in BASE_COLUMNS), *(first.get(key, "") for key in stages),
                         *(json.dumps(data[k], ensure_ascii=False) for k in ("events", "contacts", "interviews"))])
    return buffer.getvalue()


def _cell(data: dict[str, Any], column: str) -> Any:
    value = data["jobId" if column == "job_id" else camel(column)]
    if column == "tags":
        return ", ".join(value)
    return "" if value is None else value


# -- reading files -----------------------------------------------------------

def _csv_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise TransferError("line 1: the file is empty") from None
    except csv.Error as exc:
        raise TransferError(f"line 1: {exc}") from None
    if not any(headers):
        raise TransferError("line 1: the first line must name the columns")
    rows, line = [], 2
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(headers):
                    raise TransferError(f"line {line}: more values than columns in the header")
                if len(rows) >= MAX_ROWS:
                    raise TransferError(f"line {line}: more than {MAX_ROWS} applications in one file")
                rows.append((line, record + [""] * (len(headers) - len(record))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise TransferError(f"line {line}: {exc}") from None
    return headers, rows


def preview(conn: sqlite3.Connection, request: PreviewRequest) -> Preview:
    text = _text(request.content)
    stages = load_stages(conn)
    fields = [*FIELDS, *(f"date:{key}" for key in stages)]
    if request.format == "json":
        items = _json_items(text)
        return Preview("json", "jobdeck", [], [], len(items), fields, {}, {})
    headers, rows = _csv_rows(text)
    mapping = suggest_mapping(headers, list(stages))
    labels = {key: s.label for key, s in stages.items()}
    stage_values: dict[str, str | None] = {}
    for column, target in enumerate(mapping.values()):
        if target == "stage":
            for _, row in rows:
                value = row[column].strip()
                if not is_blank(value) and value not in stage_values and len(stage_values) < 200:
                    stage_values[value] = suggest_stage(value, labels)
    sample = [dict(zip(headers, row)) for _, row in rows[:SAMPLE_ROWS]]
    return Preview("csv", detect_tool(headers), headers, sample, len(rows), fields, mapping, stage_values)


def _json_items(text: str) -> list[ImportedApplication]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise TransferError("line 1: the JSON is nested too deeply") from None
    if isinstance(data, dict):
        data = data.get("applications")
    if not isinstance(data, list):
        raise TransferError('line 1: expected a list of applications (or an object with an "applications" list)')
    if len(data) > MAX_ROWS:
        raise TransferError(f"more than {MAX_ROWS} applications in one file")
    items = []
    for index, entry in enumerate(data, start=1):
        try:
            items.append(msgspec.convert(entry, ImportedApplication))
        except msgspec.ValidationError as exc:
            raise TransferError(f"application {index}: {exc}") from None
    return items


def _file_stages(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return []
    stages = data.get("stages") if isinstance(data, dict) else None
    return [s for s in stages if isinstance(s, dict)] if isinstance(stages, list) else []


def run_import(conn: sqlite3.Connection, request: ImportRequest, now: int, limit: int | None) -> ImportResult:
    text = _text(request.content)
    if request.format == "json":
        items, numbers, extra_stages = _json_items(text), None, _file_stages(text)
    else:
        headers, rows = _csv_rows(text)
        stages = load_stages(conn)
        mapping = request.mapping if request.mapping is not None else suggest_mapping(headers, list(stages))
        pairs = check_mapping(headers, mapping, stages)
        placeholders = detect_tool(headers) != "jobdeck"
        items = [row_to_application(line, headers, row, pairs, request.stage_map or {}, stages, placeholders)
                 for line, row in rows]
        numbers = [line for line, _ in rows]
        extra_stages = []
    imported, skipped, active, over = store_items(conn, items, numbers, extra_stages, now, limit,
                                                  request.over_limit == "skip")
    return ImportResult(imported=imported, skipped=skipped, active=active, over_limit=over)

