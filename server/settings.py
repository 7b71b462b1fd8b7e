"""JobDeck's settings: one declarative list, layered in a fixed order.

defaults → ``config.toml`` in the config dir → ``JOBDECK_*`` environment →
command-line flags. Nothing here runs at import: ``load_settings`` is called
by the CLI and by tests, each with its own environment and overrides.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import msgspec
import platformdirs

__all__ = ["SETTINGS", "Setting", "Settings", "SettingsError", "load_settings", "default_config_file"]

APP_NAME = "jobdeck"


class SettingsError(ValueError):
    """A setting has a value of the wrong type or out of range."""


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str

    @property
    def env(self) -> str:
        return f"JOBDECK_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("home", str, "", "Folder holding the database, server.json and secrets. "
            "Empty means the platform's user data dir."),
    Setting("host", str, "127.0.0.1", "Address to bind. Anything but loopback is LAN mode."),
    Setting("port", int, 8765, "Port to bind; 0 picks any free port."),
    Setting("open_browser", bool, True, "Open the browser on the app when the server starts."),
    Setting("allowed_hosts", list, [], "Extra host names accepted in the Host header, "
            "besides 127.0.0.1, localhost and [::1]."),
    Setting("log_level", str, "info", "Log level: debug, info, warning or error."),
    Setting("max_body_bytes", int, 10_000_000, "Largest request body accepted, in bytes."),
    Setting("session_days", int, 30, "How long a browser session cookie stays valid, in days."),
    Setting("max_concurrent_runs", int, 2, "Scrape runs allowed at once; more are queued."),
    Setting("board_deadline_seconds", int, 180, "A board that has not answered by then is stopped."),
    Setting("board_retries", int, 2, "Retries for a board that answers 'blocked' or 429, "
            "with doubling waits, before it is reported as blocked."),
    Setting("retry_backoff_seconds", int, 5, "The first wait before retrying a blocked board."),
    Setting("proxies", list, [], "Proxies for the job boards, as 'user:pass@host:port' strings."),
    Setting("company_blocklist", list, [], "Companies whose postings are hidden everywhere."),
    Setting("default_country", str, "usa", "Country used by Indeed and Glassdoor when a search names none."),
    Setting("license_service", str, "https://license.jobdeck.app",
            "The license service's address (a self-hosted one for Enterprise)."),
    Setting("license_keys", list, [], "Public keys a self-hosted license service signs with, "
            "as 'key-id=base64url-key' strings; empty means the keys built into JobDeck."),
    Setting("license_checks", bool, True, "Let JobDeck reach the license service (start, "
            "daily, on demand). Off: leases are only checked offline."),
    Setting("ghost_after_days", int, 21, "Days without any activity (a stage change, a note, an edit) after "
            "which a sent application is suggested as ghosted in the reminders. Only a suggestion: "
            "JobDeck never moves an application's stage by itself."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """The resolved settings. Build with ``load_settings``."""

    home: str
    host: str
    port: int
    open_browser: bool
    allowed_hosts: list[str]
    log_level: str
    max_body_bytes: int
    session_days: int
    max_concurrent_runs: int
    board_deadline_seconds: int
    board_retries: int
    retry_backoff_seconds: int
    proxies: list[str]
    company_blocklist: list[str]
    default_country: str
    license_service: str
    license_keys: list[str]
    license_checks: bool
    ghost_after_days: int

    @property
    def home_path(self) -> Path:
        return Path(self.home)

    @property
    def database_path(self) -> Path:
        return self.home_path / "jobdeck.sqlite3"

    @property
    def lan_mode(self) -> bool:
        return self.host not in ("127.0.0.1", "localhost", "::1")


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _coerce(setting: Setting, value: Any, source: str) -> Any:
    """Turn a value from TOML, the environment or a flag into the setting's type."""
    try:
        if setting.type is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if setting.type is int:
            # int() would also take 8080.7 (and silently drop the .7) or "8_080".
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
                return int(value)
            raise ValueError(value)
        if setting.type is list:
            if isinstance(value, str):
                return [part.strip() for part in value.split(",") if part.strip()]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return list(value)
            raise ValueError(value)
        if not isinstance(value, str):
            raise ValueError(value)
        return value
    except ValueError:
        kind = {bool: "true or false", int: "a whole number", list: "a list of strings"}.get(
            setting.type, "text")
        raise SettingsError(f"{setting.name} from {source} must be {kind}, got {value!r}") from None


def _validate(values: dict[str, Any]) -> None:
    if not 0 <= values["port"] <= 65535:
        raise SettingsError(f"port must be between 0 and 65535, got {values['port']}")
    if values["log_level"] not in ("debug", "info", "warning", "error"):
        raise SettingsError(f"log_level must be debug, info, warning or error, got {values['log_level']!r}")
    for name in ("max_body_bytes", "session_days", "max_concurrent_runs", "board_deadline_seconds"):
        if values[name] < 1:
            raise SettingsError(f"{name} must be at least 1, got {values[name]}")
    if not 1 <= values["ghost_after_days"] <= 3650:
        raise SettingsError(f"ghost_after_days must be between 1 and 3650, got {values['ghost_after_days']}")
    for name in ("board_retries", "retry_backoff_seconds"):
        if not 0 <= values[name] <= 10 * 60:
            raise SettingsError(f"{name} must be between 0 and 600, got {values[name]}")


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Resolve every setting through the four layers.

    ``overrides`` are command-line flags (``None`` values are ignored), ``environ``
    defaults to ``os.environ`` and ``config_file`` to the platform config dir
    (``JOBDECK_CONFIG`` in the environment points elsewhere).
    """
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}

    path = config_file or Path(environ.get("JOBDECK_CONFIG") or default_config_file())
    if path.is_file():
        import tomllib  # only here: most homes have no config file

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{path} is not valid TOML: {exc}") from None
        for key, value in data.items():
            if key not in _BY_NAME:
                raise SettingsError(f"{path}: unknown setting {key!r}")
            values[key] = _coerce(_BY_NAME[key], value, str(path))

    for setting in SETTINGS:
        if setting.env in environ:
            values[setting.name] = _coerce(setting, environ[setting.env], setting.env)

    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(_BY_NAME[key], value, f"--{key.replace('_', '-')}")

    if not values["home"]:
        values["home"] = platformdirs.user_data_dir(APP_NAME, appauthor=False)
    values["home"] = str(Path(values["home"]).expanduser().resolve())
    _validate(values)
    return Settings(**values)
