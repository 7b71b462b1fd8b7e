"""The service's settings: one declarative list (name, type, default, env
var, description), read into a frozen :class:`ServiceConfig`.

Nothing is read at import time: :func:`load_config` takes the environment and
the command-line overrides as arguments, so tests build configs directly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

__all__ = ["Setting", "SETTINGS", "ServiceConfig", "load_config", "DEFAULT_DATABASE_URL"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///jobdeck-license.db"


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    env: str
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", str, DEFAULT_DATABASE_URL, "JOBDECK_LICENSE_DATABASE_URL",
            "SQLAlchemy URL: sqlite+aiosqlite:///file.db (development) or "
            "postgresql+asyncpg://user:password@host/db (production)."),
    Setting("redis_url", str, None, "JOBDECK_LICENSE_REDIS_URL",
            "redis://host:6379/0 for the rate-limit counters shared by all replicas; "
            "unset keeps them in this process's memory."),
    Setting("secrets_file", str, None, "JOBDECK_LICENSE_SECRETS_FILE",
            "JSON file made by `jobdeck-license keys create`: the Ed25519 signing keys "
            "(current and next) and the secret that hashes license keys."),
    Setting("stripe_webhook_secret", str, None, "JOBDECK_LICENSE_STRIPE_WEBHOOK_SECRET",
            "The whsec_… secret of the Stripe webhook endpoint; unset disables the webhook route."),
    Setting("host", str, "127.0.0.1", "JOBDECK_LICENSE_HOST", "Address `serve` binds."),
    Setting("port", int, 8790, "JOBDECK_LICENSE_PORT", "Port `serve` binds."),
    Setting("trust_forwarded_for", bool, False, "JOBDECK_LICENSE_TRUST_FORWARDED_FOR",
            "Behind a load balancer: take the client address from the last X-Forwarded-For hop."),
    Setting("requests_per_minute", int, 60, "JOBDECK_LICENSE_REQUESTS_PER_MINUTE",
            "validate/refresh/activate/deactivate requests per minute per client address."),
    Setting("failed_activations_per_hour", int, 10, "JOBDECK_LICENSE_FAILED_ACTIVATIONS_PER_HOUR",
            "Failed activations per license key per hour before 429."),
    Setting("stripe_tolerance", int, 300, "JOBDECK_LICENSE_STRIPE_TOLERANCE",
            "Seconds a Stripe-Signature timestamp may be old (replay window)."),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class ServiceConfig:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secrets_file: str | None = None
    stripe_webhook_secret: str | None = None
    host: str = "127.0.0.1"
    port: int = 8790
    trust_forwarded_for: bool = False
    requests_per_minute: int = 60
    failed_activations_per_hour: int = 10
    stripe_tolerance: int = 300
    # Not settings people type: tests and embedders pass these directly.
    stripe_price_plans: Mapping[str, str] = field(default_factory=dict)

    def secrets_path(self) -> Path:
        if not self.secrets_file:
            raise ValueError("no secrets file: set JOBDECK_LICENSE_SECRETS_FILE or --secrets-file "
                             "(create one with `jobdeck-license keys create FILE`)")
        return Path(self.secrets_file).expanduser()


def _convert(setting: Setting, raw: Any) -> Any:
    if raw is None or setting.type is str:
        return raw
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{setting.env}: expected true/false, got {raw!r}")
    try:
        return setting.type(raw)
    except ValueError as exc:
        raise ValueError(f"{setting.env}: expected {setting.type.__name__}, got {raw!r}") from exc


def load_config(overrides: Mapping[str, Any] | None = None, *,
                environ: Mapping[str, str] | None = None) -> ServiceConfig:
    """Defaults → environment (``JOBDECK_LICENSE_*``) → overrides (CLI flags;
    ``None`` values are ignored)."""
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if environ and environ.get(setting.env) not in (None, ""):
            values[setting.name] = _convert(setting, environ[setting.env])
    for name, value in (overrides or {}).items():
        if value is None:
            continue
        if name not in _BY_NAME and name not in {f.name for f in dataclasses.fields(ServiceConfig)}:
            raise ValueError(f"unknown setting {name!r}")
        values[name] = _convert(_BY_NAME[name], value) if name in _BY_NAME else value
    return ServiceConfig(**values)
