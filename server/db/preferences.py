"""The user's preferences: one ``preferences`` row per key, its value as JSON.

The Settings screen sets them through ``/api/v1/preferences``. Every value is
checked and normalised here before it is stored (``normalise``), and the rest
of the server asks this module for the values that apply now:

- ``effective_blocklist``: the config file's company blocklist and the one set
  here, together (either hides a company);
- ``effective_proxies``: the proxies set here, else the config file's.

Proxy URLs may carry a password: ``redact_proxy`` masks it wherever a proxy is
shown or logged, and a masked proxy sent back unchanged keeps the password
already stored.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sqlite3
from typing import Any, Iterable
from urllib.parse import SplitResult, urlsplit

import msgspec

from ..scrape.normalize import normalise_company
from ..scrape.params import BOARDS, SearchParams

__all__ = ["KEYS", "LANGUAGES", "DEFAULTS", "MASK", "PreferenceError", "read_preferences",
           "write_preferences", "normalise", "normalise_proxy", "redact_proxy",
           "merge_names", "effective_blocklist", "blocked_company_keys", "effective_proxies"]

KEYS = ("default_boards", "default_country", "default_results", "proxies", "company_blocklist", "language")
LANGUAGES = ("en", "zh-TW")
# What applies when nothing is set (default_country falls back to the setting of that name).
DEFAULTS: dict[str, Any] = {"default_boards": ["indeed", "linkedin"], "default_results": 30,
                            "proxies": [], "company_blocklist": [], "language": None}
PROXY_SCHEMES = ("http", "https", "socks5")
MAX_PROXIES = 50
MAX_PROXY_LENGTH = 500
MAX_BLOCKLIST = 1_000
MAX_COMPANY_LENGTH = 200
MASK = "***"

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")


class PreferenceError(ValueError):
    """A preference value that cannot be stored; ``field`` is its API (camelCase) name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


# -- reading and writing -----------------------------------------------------

def read_preferences(conn: sqlite3.Connection) -> dict[str, Any]:
    """The preferences set here, by key; keys not set are absent."""
    rows = conn.execute("SELECT key, value FROM preferences").fetchall()
    return {key: json.loads(value) for key, value in rows if key in KEYS}


def write_preferences(conn: sqlite3.Connection, values: dict[str, Any], stamp: int) -> None:
    """Store normalised values; ``None`` removes a preference (its default applies again)."""
    for key, value in values.items():
        if key not in KEYS:
            raise KeyError(key)
        if value is None:
            conn.execute("DELETE FROM preferences WHERE key = ?", (key,))
        else:
            conn.execute("INSERT INTO preferences (key, value, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                         (key, json.dumps(value, ensure_ascii=False), stamp))


# -- what applies now --------------------------------------------------------

def merge_names(names: Iterable[str]) -> list[str]:
    """Company names trimmed (inner runs of spaces made one), blanks dropped,
    duplicates dropped ignoring case; the first spelling is kept."""
    seen: set[str] = set()
    out = []
    for name in names:
        clean = " ".join(name.split())
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            out.append(clean)
    return out


def _stored(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM preferences WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else None


def effective_blocklist(conn: sqlite3.Connection, configured: Iterable[str]) -> list[str]:
    """Companies hidden everywhere: the config file's blocklist and this one's, together."""
    return merge_names([*configured, *(_stored(conn, "company_blocklist") or [])])


def blocked_company_keys(conn: sqlite3.Connection, configured: Iterable[str]) -> list[str]:
    """The blocklist as the company keys jobs are stored under (what filters compare)."""
    return sorted({key for name in effective_blocklist(conn, configured) if (key := normalise_company(name))})


def effective_proxies(conn: sqlite3.Connection, configured: Iterable[str]) -> list[str]:
    """Proxies for the next run: the ones set here, else the config file's."""
    return list(_stored(conn, "proxies") or configured)


# -- checking values ---------------------------------------------------------

def normalise(changes: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a change set (``None`` = back to the default).

    All or nothing: the first bad value raises PreferenceError naming its field.
    ``stored`` supplies the passwords of proxies sent back masked.
    """
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in KEYS:
            raise PreferenceError(_camel(key), "is not a preference.")
        if value is None:
            out[key] = None
            continue
        field = _camel(key)
        if key == "default_boards":
            out[key] = _boards(field, value)
        elif key == "default_country":
            out[key] = _country(field, value)
        elif key == "default_results":
            out[key] = _results(field, value)
        elif key == "proxies":
            out[key] = _proxies(field, value, stored.get("proxies") or [])
        elif key == "company_blocklist":
            out[key] = _blocklist(field, value)
        else:
            if value not in LANGUAGES:
                raise PreferenceError(field, f"must be {' or '.join(LANGUAGES)}, or null to follow the browser.")
            out[key] = value
    return out


def _boards(field: str, value: list[str]) -> list[str]:
    unknown = [b for b in value if b not in BOARDS]
    if unknown:
        raise PreferenceError(field, f"{unknown[0]!r} is not a board; choose from {', '.join(BOARDS)}.")
    boards = list(dict.fromkeys(value))
    if not boards:
        raise PreferenceError(field, "choose at least one board.")
    return boards


def _country(field: str, value: str) -> str:
    country = " ".join(value.split()).lower()
    try:  # the same rule a search's own country must pass
        msgspec.convert({"term": "-", "country": country}, SearchParams)
    except msgspec.ValidationError:
        raise PreferenceError(field, "must be a country name as Indeed and Glassdoor know it, "
                                     "in letters (for example usa, taiwan, hong kong).") from None
    return country


def _results(field: str, value: int) -> int:
    try:
        return msgspec.convert({"term": "-", "results": value}, SearchParams).results
    except msgspec.ValidationError:
        raise PreferenceError(field, "must be a whole number from 1 to 1000.") from None


def _blocklist(field: str, value: list[str]) -> list[str]:
    too_long = next((n for n in value if len(" ".join(n.split())) > MAX_COMPANY_LENGTH), None)
    if too_long is not None:
        raise PreferenceError(field, f"a company name may have at most {MAX_COMPANY_LENGTH} characters.")
    names = merge_names(value)
    if len(names) > MAX_BLOCKLIST:
        raise PreferenceError(field, f"at most {MAX_BLOCKLIST} companies; got {len(names)}.")
    return names


def _proxies(field: str, value: list[str], stored: list[str]) -> list[str]:
    """One proxy a line (blank lines skipped, so messages count lines as the user sees them)."""
    found = []
    for line, text in enumerate(value, start=1):
        if text.strip():
            found.append(_unmask(field, line, normalise_proxy(text, field, line), stored))
    proxies = list(dict.fromkeys(found))
    if len(proxies) > MAX_PROXIES:
        raise PreferenceError(field, f"at most {MAX_PROXIES} proxies; got {len(proxies)}.")
    return proxies


def normalise_proxy(text: str, field: str = "proxies", line: int = 1) -> str:
    """``scheme://[user[:password]@]host:port``; a bare ``host:port`` means http.

    Messages name the line, never the text: it may hold a password.
    """
    def fail(why: str) -> PreferenceError:
        return PreferenceError(field, f"line {line}: {why}")

    text = text.strip()
    if len(text) > MAX_PROXY_LENGTH:
        raise fail(f"a proxy may have at most {MAX_PROXY_LENGTH} characters.")
    if any(c.isspace() or ord(c) < 32 for c in text):
        raise fail("a proxy may not contain spaces.")
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed [IPv6 address
        raise fail("it is not a valid proxy URL.") from None
    try:
        port = parts.port
    except ValueError:
        raise fail("the port must be a number from 1 to 65535.") from None
    scheme = parts.scheme.lower()
    if scheme not in PROXY_SCHEMES:
        raise fail(f"the scheme must be {', '.join(PROXY_SCHEMES[:-1])} or {PROXY_SCHEMES[-1]}.")
    host = parts.hostname or ""
    if not host or not _valid_host(host):
        raise fail("it needs a host name or IP address, as in http://proxy.example.com:8080.")
    if port is None or port == 0:
        raise fail("it needs a port, as in http://proxy.example.com:8080.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise fail("nothing may follow the port.")
    return _build(parts, scheme, parts.password)


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOSTNAME.match(host)) and len(host) <= 253


def _build(parts: SplitResult, scheme: str, password: str | None) -> str:
    host = parts.hostname or ""
    shown_host = f"[{host}]" if ":" in host else host
    user = ""
    if parts.username is not None:
        user = parts.username + (f":{password}" if password is not None else "") + "@"
    return f"{scheme}://{user}{shown_host}:{parts.port}"


def redact_proxy(proxy: str) -> str:
    """The proxy with its password replaced by ``***`` (for the API and logs)."""
    try:
        parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        if parts.password is None:
            return proxy
        return _build(parts, parts.scheme.lower(), MASK)
    except ValueError:
        return "(a proxy that is not a valid URL)"


def _identity(proxy: str) -> tuple[str, str | None, str | None, int | None]:
    parts = urlsplit(proxy)
    return parts.scheme, parts.username, parts.hostname, parts.port


def _unmask(field: str, line: int, proxy: str, stored: list[str]) -> str:
    """A proxy sent back with its password masked gets the password stored for it."""
    if urlsplit(proxy).password != MASK:
        return proxy
    match = next((s for s in stored if _identity(s) == _identity(proxy)), None)
    if match is None:
        raise PreferenceError(field, f"line {line}: type this proxy's password again.")
    return match
