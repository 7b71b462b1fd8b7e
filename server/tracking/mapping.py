"""Reading other trackers' spreadsheets: which column is what, and what a cell means.

Huntr, Teal and Simplify each export a CSV of the user's tracked jobs. None
publishes its columns, so the signatures below come from files people have
shared: Huntr's export is camelCase (``title``, ``companyName``,
``listName`` for the stage, ``createdAt``, ``lastMovedAt``,
``htmlDescription``, "-" in an empty cell); Simplify's has "Job Title",
"Company Name", "Job URL", "Applied Date", "Status" (in capitals), "Status
Date" and "N/A" in an empty cell. Teal's are the headers its tracker shows
("Job Position", "Excitement", "Date Saved"), not a file we have seen. The
signatures only *name* the detected tool in the preview. What makes an import
work is the mapping: every header is matched, case-, camelCase- and
punctuation-insensitively, against the synonyms in ``HEADERS``, the preview
returns that suggestion, and the user corrects it before importing. A header
nobody recognises is simply left unmapped, and a placeholder such as "-" or
"N/A" counts as an empty cell.

Dates: ISO 8601 first; then US forms (``3/14/2025`` is March 14) and month
names (``Mar 14, 2025``, ``14 March 2025``). A date without a time is
midnight UTC. Money: ``$120,000``, ``120k`` and ``120000.50`` read as numbers;
a range (``120k-150k``) keeps its first number.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

__all__ = ["FIELDS", "HEADERS", "TOOLS", "camel", "detect_tool", "suggest_mapping", "suggest_stage", "normal",
           "is_blank", "parse_date", "parse_money", "parse_excitement", "parse_interval", "STAGE_WORDS"]

# Import targets besides ``date:<stage>`` (the date that stage was reached).
FIELDS = ("title", "company", "location", "url", "board", "description", "stage", "excitement", "salary_expectation",
          "salary_offer", "salary_currency", "salary_interval", "resume_version", "source", "tags", "notes",
          "follow_up_at", "created_at", "updated_at", "client_id", "job_id", "history", "contacts", "interviews")


def camel(name: str) -> str:
    """A field name as the API spells it: salary_offer -> salaryOffer."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def normal(text: str) -> str:
    """A header or cell as words: "companyName", "Company Name" and "company_name" read alike."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return re.sub(r"[^a-z0-9]+", " ", words.lower()).strip()


# What other trackers write in a cell that has no value (Huntr "-", Simplify "N/A").
PLACEHOLDERS = frozenset({"-", "--", "\u2013", "\u2014", "n/a", "null"})


def is_blank(cell: str, placeholders: bool = True) -> bool:
    """An empty cell; with ``placeholders``, also one holding only a placeholder."""
    return not cell or (placeholders and cell.lower() in PLACEHOLDERS)


HEADERS: dict[str, str] = {normal(k): v for k, v in {
    "title": "title", "job title": "title", "position": "title", "job position": "title", "role": "title",
    "job": "title", "job name": "title",
    "company": "company", "company name": "company", "employer": "company", "organization": "company",
    "location": "location", "job location": "location",
    "url": "url", "job url": "url", "link": "url", "job link": "url", "posting url": "url",
    "job posting url": "url", "application link": "url",
    "description": "description", "job description": "description", "html description": "description",
    "stage": "stage", "status": "stage", "list": "stage", "list name": "stage", "application status": "stage",
    "excitement": "excitement", "rating": "excitement", "interest": "excitement",
    "salary": "salary_expectation", "salary expectation": "salary_expectation",
    "expected salary": "salary_expectation", "desired salary": "salary_expectation",
    "max salary": "salary_expectation", "offer": "salary_offer", "salary offer": "salary_offer",
    "offered salary": "salary_offer", "offer amount": "salary_offer",
    "currency": "salary_currency", "salary currency": "salary_currency",
    "salary interval": "salary_interval", "pay period": "salary_interval",
    "resume": "resume_version", "resume version": "resume_version", "resume used": "resume_version",
    "cv": "resume_version", "cv version": "resume_version",
    "source": "source", "job source": "source", "found on": "source", "job board": "source",
    "platform": "source", "channel": "source",
    "board": "board", "job site": "board", "site": "board",
    "tags": "tags", "labels": "tags", "keywords": "tags",
    "notes": "notes", "note": "notes", "comments": "notes",
    "follow up": "follow_up_at", "follow up at": "follow_up_at", "follow up date": "follow_up_at",
    "next follow up": "follow_up_at", "reminder": "follow_up_at",
    "date saved": "created_at", "date added": "created_at", "created": "created_at", "created at": "created_at",
    "saved on": "created_at", "date created": "created_at",
    "updated at": "updated_at", "last updated": "updated_at", "date modified": "updated_at",
    "last moved at": "updated_at", "status date": "updated_at",
    "date applied": "date:applied", "applied date": "date:applied", "applied on": "date:applied",
    "application date": "date:applied", "applied at": "date:applied",
    "client id": "client_id", "job id": "job_id", "history": "history", "contacts": "contacts",
    "interviews": "interviews",
}.items()}

TOOLS: dict[str, tuple[str, ...]] = {
    "huntr": ("title", "companyName", "listName", "url", "location", "createdAt", "lastMovedAt", "boardName"),
    "teal": ("Company", "Job Position", "Status", "Excitement", "Date Saved", "Date Applied", "Location", "URL",
             "Notes"),
    "simplify": ("Job Title", "Company Name", "Job URL", "Applied Date", "Status", "Status Date"),
    "jobdeck": ("client_id", "title", "stage", "history", "contacts", "interviews"),
}

STAGE_WORDS: dict[str, str] = {normal(k): v for k, v in {
    "wishlist": "saved", "bookmarked": "saved", "interested": "saved", "to apply": "saved", "applying": "saved",
    "draft": "saved", "prospect": "saved",
    "submitted": "applied", "application sent": "applied",
    "phone screen": "screening", "screen": "screening", "recruiter call": "screening", "assessment": "screening",
    "interview": "interviewing", "interviews": "interviewing", "onsite": "interviewing",
    "final round": "interviewing",
    "offered": "offer", "offer received": "offer", "negotiating": "offer",
    "hired": "accepted", "offer accepted": "accepted",
    "not selected": "rejected", "no offer": "rejected", "denied": "rejected", "declined": "withdrawn",
    "withdrew": "withdrawn", "no response": "ghosted", "no reply": "ghosted",
}.items()}


def detect_tool(headers: list[str]) -> str | None:
    have = {normal(h) for h in headers}
    scores = {tool: sum(normal(h) in have for h in sig) / len(sig) for tool, sig in TOOLS.items()}
    tool, score = max(scores.items(), key=lambda kv: kv[1])
    return tool if score >= 0.6 else None


def suggest_mapping(headers: list[str], stage_keys: list[str]) -> dict[str, str | None]:
    """Each header's likely target (or None), each target used once, first header wins."""
    out: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        key = normal(header)
        own = re.fullmatch(r"stage ([a-z0-9 ]+) at", key)  # JobDeck's own export: stage_<key>_at
        target = f"date:{own[1].replace(' ', '_')}" if own else HEADERS.get(key)
        match = re.fullmatch(r"(?:date )?([a-z][a-z0-9 ]*?)(?: date)?", key)
        if target is None and match and key != match[1] and match[1].replace(" ", "_") in stage_keys:
            target = f"date:{match[1].replace(' ', '_')}"  # "Date Interviewing", "offer date", "date_offer"
        if target is not None and target.startswith("date:") and target[5:] not in stage_keys:
            target = None
        out[header] = target if target not in taken else None
        if target:
            taken.add(target)
    return out


def suggest_stage(value: str, stages: dict[str, str]) -> str | None:
    """A cell's stage: a stage key or label, or a common word for one. ``stages`` is key → label."""
    key = normal(value)
    for stage, label in stages.items():
        if key in (normal(stage), normal(label)):
            return stage
    word = STAGE_WORDS.get(key)
    return word if word in stages else None


_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%b %d, %Y", "%B %d, %Y",
            "%d %b %Y", "%d %B %Y", "%b %d %Y", "%Y/%m/%d")


def parse_date(text: str) -> datetime:
    """A cell as an aware datetime, or ValueError with what was expected."""
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        for fmt in _FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"{value[:40]!r} is not a date (use 2025-03-14 or 3/14/2025)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_money(text: str) -> float:
    cleaned = text.strip().lower().replace(",", "").replace(" ", "")
    match = re.search(r"(\d+(?:\.\d+)?)(k)?", cleaned)
    if match is None:
        raise ValueError(f"{text[:40]!r} is not an amount")
    return float(match[1]) * (1000 if match[2] else 1)


def parse_excitement(text: str) -> int | None:
    value = text.strip()
    stars = value.count("★")
    number = stars if stars else round(float(value))  # ValueError for anything else
    if number == 0:
        return None
    if not 1 <= number <= 5:
        raise ValueError(f"excitement must be 1 to 5, got {value!r}")
    return number


_INTERVALS = {"year": "yearly", "yearly": "yearly", "annual": "yearly", "annually": "yearly", "per year": "yearly",
              "month": "monthly", "monthly": "monthly", "week": "weekly", "weekly": "weekly", "day": "daily",
              "daily": "daily", "hour": "hourly", "hourly": "hourly", "per hour": "hourly"}


def parse_interval(text: str) -> str:
    value = _INTERVALS.get(normal(text))
    if value is None:
        raise ValueError(f"{text[:40]!r} is not a pay interval (yearly, monthly, weekly, daily or hourly)")
    return value
