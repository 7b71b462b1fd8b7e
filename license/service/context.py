"""What every handler needs, built once per app by ``create_service``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from .config import ServiceConfig
from .ratelimit import Limiter
from .signing import KeyRing

if TYPE_CHECKING:
    from .usage import UsageLog
    from .validation import Lookups

__all__ = ["ServiceContext", "IssuedSecret", "Deliver", "log"]

log = logging.getLogger("jobdeck.license.service")


@dataclass(frozen=True)
class IssuedSecret:
    """A new license key or admin token for a person, made by a Stripe event.

    It is never stored: the deliverer (the mailer, in production) is the
    only place it goes."""

    kind: str  # "license_key" or "admin_token"
    license_id: str | None
    org_id: str | None
    email: str | None
    secret: str
    stripe_customer: str | None = None


Deliver = Callable[[IssuedSecret], Awaitable[None]]


@dataclass
class ServiceContext:
    config: ServiceConfig
    keys: KeyRing
    engine: AsyncEngine
    lookups: Lookups  # validation reads, batched
    sessions: async_sessionmaker
    limiter: Limiter
    usage: UsageLog
    clock: Callable[[], float]
    deliver: Deliver

    def now(self) -> int:
        return int(self.clock())
