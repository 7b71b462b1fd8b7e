"""jobspy rows → JobRecord: the one shape every source is stored in.

Input is a JSON-native dict keyed by jobspy's column names (the worker turns
pandas values into JSON before they leave its process; CSV import and the
sample data produce the same dicts). Pure functions, no I/O.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

__all__ = ["JOBSPY_COLUMNS", "JobRecord", "NormaliseError", "normalise", "annualise",
           "dedup_url", "dedup_key", "normalise_company", "split_list"]

JOBSPY_COLUMNS = (
    "id", "site", "job_url", "job_url_direct", "title", "company", "location", "date_posted",
    "job_type", "salary_source", "interval", "min_amount", "max_amount", "currency", "is_remote",
    "job_level", "job_function", "listing_type", "emails", "description", "company_industry",
    "company_url", "company_logo", "company_url_direct", "company_addresses",
    "company_num_employees", "company_revenue", "company_description", "skills",
    "experience_range", "company_rating", "company_reviews_count", "vacancy_count",
    "work_from_home_type",
)
ANNUAL_FACTOR = {"yearly": 1, "monthly": 12, "weekly": 52, "daily": 260, "hourly": 2080}
_TEXT_LIMIT = 200_000  # a description longer than this is cut: no posting needs more
_TRACKING = re.compile(r"^(utm_\w+|ref|refid|src|source|trk|trackingid|gclid|fbclid)$", re.I)
_COMPANY_SUFFIX = re.compile(
    r"\b(incorporated|inc|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|plc|"
    r"pte|pty|s\.a|ag|bv|holdings)\b\.?", re.I)


class NormaliseError(ValueError):
    """A row that cannot be stored; the message names the field."""


class JobRecord(msgspec.Struct, kw_only=True):
    site: str
    board_id: str
    title: str
    job_url: str | None = None
    job_url_direct: str | None = None
    company: str | None = None
    location: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    date_posted: str | None = None
    job_types: list[str] | None = None
    salary_source: str | None = None
    salary_interval: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    currency: str | None = None
    annual_min: float | None = None
    annual_max: float | None = None
    is_remote: bool | None = None
    job_level: str | None = None
    job_function: str | None = None
    listing_type: str | None = None
    emails: list[str] | None = None
    description: str | None = None
    company_industry: str | None = None
    company_url: str | None = None
    company_logo: str | None = None
    company_url_direct: str | None = None
    company_addresses: str | None = None
    company_num_employees: str | None = None
    company_revenue: str | None = None
    company_description: str | None = None
    skills: list[str] | None = None
    experience_range: str | None = None
    company_rating: float | None = None
    company_reviews_count: int | None = None
    vacancy_count: int | None = None
    work_from_home_type: str | None = None
    extra: dict[str, Any] | None = None
    dedup_url: str | None = None
    dedup_key: str | None = None


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and value.strip() in ("", "nan", "NaN", "None", "<NA>"))


def _text(value: Any, limit: int = 2_000) -> str | None:
    if _missing(value):
        return None
    return str(value).strip()[:limit] or None


def _number(value: Any, field: str) -> float | None:
    if _missing(value):
        return None
    try:
        number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise NormaliseError(f"{field} must be a number, got {value!r}") from None
    return None if math.isnan(number) or math.isinf(number) else number


def _integer(value: Any, field: str) -> int | None:
    number = _number(value, field)
    if number is not None and not -2**63 <= number < 2**63:  # what SQLite can store
        raise NormaliseError(f"{field} is out of range, got {value!r}")
    return None if number is None else int(number)


def _boolean(value: Any) -> bool | None:
    if _missing(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "1.0"):
        return True
    if text in ("false", "0", "no", "0.0"):
        return False
    return None


def _date(value: Any) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise NormaliseError(f"date_posted must be a date like 2026-01-31, got {value!r}") from None


def split_list(value: Any) -> list[str] | None:
    """jobspy flattens lists into comma-joined strings; CSV keeps them that way."""
    if _missing(value):
        return None
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        text = str(value).strip()
        if text.startswith("["):
            try:
                items = [str(v).strip() for v in json.loads(text)]
            except ValueError:
                items = text.strip("[]").replace("'", "").split(",")
        else:
            items = text.split(",")
    items = [item.strip() for item in items if item and item.strip()]
    return list(dict.fromkeys(items)) or None


# Boards that print pay (LinkedIn) hand jobspy a symbol, and jobspy maps
# only five; the rest arrive as "HK$", "NT$", "¥". Stored currencies are
# ISO 4217 codes so that filters and insights group them reliably.
_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD",
    "NZ$": "NZD", "HK$": "HKD", "NT$": "TWD", "S$": "SGD", "SG$": "SGD", "MX$": "MXN",
    "R$": "BRL", "£": "GBP", "€": "EUR", "₹": "INR", "¥": "JPY", "JP¥": "JPY", "CN¥": "CNY",
    "RMB": "CNY", "₩": "KRW", "₱": "PHP", "₪": "ILS", "₺": "TRY", "₫": "VND", "฿": "THB",
    "CHF": "CHF", "ZŁ": "PLN", "RM": "MYR",
}
_ISO_CODE = re.compile(r"^[A-Z]{3}$")


def currency_code(value: Any) -> str | None:
    """An ISO 4217 code for what a board gave ("usd", "HK$", "NT$" → "TWD");
    an unknown symbol is kept as given rather than guessed."""
    text = (_text(value, 10) or "").strip().upper()
    if not text:
        return None
    if _ISO_CODE.match(text):
        return text
    return _CURRENCY_SYMBOLS.get(text, text)


def annualise(amount: float | None, interval: str | None) -> float | None:
    factor = ANNUAL_FACTOR.get((interval or "").lower())
    return None if amount is None or factor is None else round(amount * factor, 2)


def _split_location(location: str | None) -> tuple[str | None, str | None, str | None]:
    if not location:
        return None, None, None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return None, None, None
    if len(parts) == 1:
        return parts[0], None, None
    if len(parts) == 2:  # "Austin, TX" or "Taipei, Taiwan"
        short = len(parts[1]) <= 3 and parts[1].isupper()
        return parts[0], parts[1] if short else None, None if short else parts[1]
    return parts[0], parts[1], parts[-1]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


@lru_cache(maxsize=4096)  # a board lists many postings per company: each name is folded once
def normalise_company(name: str | None) -> str | None:
    """'Acme, Inc.' and 'ACME' meet: lower case, no legal suffix, no punctuation."""
    if not name:
        return None
    folded = _fold(_COMPANY_SUFFIX.sub(" ", name))
    return folded or _fold(name) or None


def dedup_url(url: str | None) -> str | None:
    """The direct apply URL without tracking parameters, scheme or 'www.'."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    return urlunsplit(("", host, parts.path.rstrip("/"), query, "")).lstrip("/")


def dedup_key(title: str, company: str | None, city: str | None, remote: bool | None) -> str | None:
    company_key = normalise_company(company)
    place = "remote" if remote and not city else (_fold(city) if city else None)
    if not company_key or not place:
        return None
    return f"{_fold(title)}|{company_key}|{place}"


def normalise(row: Mapping[str, Any]) -> JobRecord:
    """One jobspy row → a JobRecord, or NormaliseError naming the bad field."""
    site, board_id, title = _text(row.get("site"), 40), _text(row.get("id"), 200), _text(row.get("title"), 500)
    for name, value in (("site", site), ("id", board_id), ("title", title)):
        if value is None:
            raise NormaliseError(f"{name} is required")
    location = _text(row.get("location"), 500)
    city, state, country = _split_location(location)
    interval = (_text(row.get("interval"), 20) or "").lower() or None
    low, high = _number(row.get("min_amount"), "min_amount"), _number(row.get("max_amount"), "max_amount")
    if low is not None and high is not None and low > high:
        low, high = high, low
    remote = _boolean(row.get("is_remote"))
    direct = _text(row.get("job_url_direct"), 2_000)
    extra = {k: v for k, v in row.items() if k not in JOBSPY_COLUMNS and not _missing(v)}
    return JobRecord(
        site=site.lower(), board_id=board_id, title=title,
        job_url=_text(row.get("job_url"), 2_000), job_url_direct=direct,
        company=_text(row.get("company"), 500), location=location,
        city=city, state=state, country=country,
        date_posted=_date(row.get("date_posted")),
        job_types=split_list(row.get("job_type")),
        salary_source=_text(row.get("salary_source"), 40), salary_interval=interval,
        min_amount=low, max_amount=high,
        currency=currency_code(row.get("currency")),
        annual_min=annualise(low, interval), annual_max=annualise(high if high is not None else low, interval),
        is_remote=remote,
        job_level=_text(row.get("job_level")), job_function=_text(row.get("job_function")),
        listing_type=_text(row.get("listing_type")),
        emails=split_list(row.get("emails")),
        description=_text(row.get("description"), _TEXT_LIMIT),
        company_industry=_text(row.get("company_industry")),
        company_url=_text(row.get("company_url")), company_logo=_text(row.get("company_logo")),
        company_url_direct=_text(row.get("company_url_direct")),
        company_addresses=_text(row.get("company_addresses")),
        company_num_employees=_text(row.get("company_num_employees")),
        company_revenue=_text(row.get("company_revenue")),
        company_description=_text(row.get("company_description"), 20_000),
        skills=split_list(row.get("skills")),
        experience_range=_text(row.get("experience_range")),
        company_rating=_number(row.get("company_rating"), "company_rating"),
        company_reviews_count=_integer(row.get("company_reviews_count"), "company_reviews_count"),
        vacancy_count=_integer(row.get("vacancy_count"), "vacancy_count"),
        work_from_home_type=_text(row.get("work_from_home_type")),
        extra=extra or None,
        dedup_url=dedup_url(direct),
        dedup_key=dedup_key(title, _text(row.get("company")), city, remote),
    )


def normalise_all(rows: Iterable[Mapping[str, Any]]) -> list[JobRecord]:
    return [normalise(row) for row in rows]
