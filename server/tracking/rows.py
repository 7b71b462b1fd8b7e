"""One spreadsheet row, through the user's column mapping, into an imported application.

A file without a ``history`` column still gets a history: each mapped
``date:<stage>`` column is a stage event at that date, a "date saved" column
is the first stage, and the row's stage column (translated through the
stage map) is where the application stands now.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import msgspec

from .imported import ImportedApplication, TransferError
from .mapping import FIELDS, camel, is_blank, parse_date, parse_excitement, parse_interval, parse_money, suggest_stage
from .models import Stage
from .stages import first_open_stage

__all__ = ["check_mapping", "row_to_application"]

_JSON_CELLS = {"history": "events", "contacts": "contacts", "interviews": "interviews"}


def check_mapping(headers: list[str], mapping: dict[str, str | None],
                  stages: dict[str, Stage]) -> list[tuple[int, str]]:
    """(column index, field) pairs; refuses unknown headers or fields and a field mapped twice."""
    pairs, seen = [], set()
    for header, target in mapping.items():
        if target is None:
            continue
        if header not in headers:
            raise TransferError(f"mapping: the file has no column {header[:80]!r}")
        if target not in FIELDS and not (target.startswith("date:") and target[5:] in stages):
            raise TransferError(f"mapping: {target[:80]!r} is not a field; use one of "
                                f"{', '.join(FIELDS)} or date:<stage>")
        if target in seen:
            raise TransferError(f"mapping: two columns are mapped to {target}")
        seen.add(target)
        pairs.append((headers.index(header), target))
    if "title" not in seen:
        raise TransferError("mapping: map one column to title (the job's title)")
    return pairs


def _stage(value: str, stage_map: dict[str, str], stages: dict[str, Stage]) -> str:
    key = stage_map.get(value) or suggest_stage(value, {k: s.label for k, s in stages.items()})
    if key not in stages:
        raise ValueError(f"{value[:60]!r} is not a stage; map it to one of {', '.join(stages)} in stageMap")
    return key


def _value(target: str, cell: str, stage_map: dict[str, str], stages: dict[str, Stage]) -> Any:
    if target in _JSON_CELLS:
        try:
            return json.loads(cell)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
    if target == "stage":
        return _stage(cell, stage_map, stages)
    if target == "excitement":
        return parse_excitement(cell)
    if target in ("salary_expectation", "salary_offer"):
        return parse_money(cell)
    if target == "salary_currency":
        return cell.upper()
    if target == "salary_interval":
        return parse_interval(cell)
    if target == "tags":
        return [tag.strip() for tag in re.split(r"[,;]", cell) if tag.strip()]
    if target == "job_id":
        return int(cell)
    if target in ("follow_up_at", "created_at", "updated_at") or target.startswith("date:"):
        return parse_date(cell)
    return cell


def row_to_application(line: int, headers: list[str], row: list[str], pairs: list[tuple[int, str]],
                       stage_map: dict[str, str], stages: dict[str, Stage],
                       placeholders: bool = True) -> ImportedApplication:
    """``placeholders``: read "-" or "N/A" as empty (off for JobDeck's own files, where it is the user's text)."""
    data: dict[str, Any] = {}
    dated: list[tuple[datetime, str]] = []
    for column, target in pairs:
        cell = row[column].strip()
        if is_blank(cell, placeholders):
            continue
        try:
            value = _value(target, cell, stage_map, stages)
        except (ValueError, OverflowError, RecursionError) as exc:
            raise TransferError(f"line {line}: {headers[column][:60]}: {exc}") from None
        if target.startswith("date:"):
            dated.append((value, target[5:]))
        else:
            data[_JSON_CELLS.get(target) or camel(target)] = value
    if "events" not in data:
        data["events"] = _history(data, dated, stages)
    try:
        return msgspec.convert(data, ImportedApplication)
    except msgspec.ValidationError as exc:
        raise TransferError(f"line {line}: {exc}") from None


def _history(data: dict[str, Any], dated: list[tuple[datetime, str]], stages: dict[str, Stage]) -> list[dict]:
    """Stage events from the row's dates; the stage column, if any, is the latest."""
    order = {key: i for i, key in enumerate(stages)}
    dated.sort(key=lambda d: (d[0], order[d[1]]))
    first = first_open_stage(stages)
    created = data.get("createdAt")
    if created is not None and first not in {s for _, s in dated} and (not dated or created <= dated[0][0]):
        dated.insert(0, (created, first))
    current = data.get("stage")
    if current is not None and (not dated or dated[-1][1] != current):
        when = max([d for d, _ in dated] + ([data["updatedAt"]] if "updatedAt" in data else []), default=None)
        dated.append((when or created or datetime.now().astimezone(), current))
    return [{"kind": "stage", "stage": stage, "at": at} for at, stage in dated]
