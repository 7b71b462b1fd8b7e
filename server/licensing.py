"""The app's license: the license client over the app's own database.

``Licensing`` owns a :class:`license.client.LicenseClient`, feeds its status
into the one feature gate (``Entitlements``), publishes ``license.changed``
events, and refreshes in the background (at start, every 24 hours, on
demand) only when checks are allowed. Start-up never waits on the network.
Nothing here touches the user's data: a lapsed license only turns features
off.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

from license.client import LicenseClient, Result, Transport
from license.entitlements import ENTITLEMENTS
from license.fingerprint import fingerprint
from license.keys import KeyFormatError
from license.lease import Binding, Trust
from license.state import Record, Status
from license.storage import load_record, save_record

from .clock import iso
from .db import Database
from .entitlements import Entitlements
from .events import EventBroker
from .settings import Settings

__all__ = ["Licensing", "KeyFormatError", "status_view"]

log = logging.getLogger("jobdeck.license")
BUY_URL = "https://jobdeck.app/pricing"


class _DatabaseStore:
    """The client's LicenseStore over the app's database (table license_state)."""

    def __init__(self, db: Database):
        self._db = db

    async def load(self) -> Record | None:
        return await self._db.run_read(load_record)

    async def save(self, record: Record) -> None:
        await self._db.run_write(save_record, record)


def _trust(settings: Settings) -> Trust:
    if not settings.license_keys:
        return Trust.pinned()
    pairs = dict(item.split("=", 1) for item in settings.license_keys if "=" in item)
    return Trust.from_text({kid.strip(): key.strip() for kid, key in pairs.items()})


def _http_transport(base_url: str) -> Transport:
    """httpx (already a Litestar dependency), created on first use only."""
    client = None

    async def post(path: str, body: bytes):
        nonlocal client
        import httpx

        from license.client import httpx_transport

        if client is None:
            client = httpx.AsyncClient(base_url=base_url, timeout=10.0, follow_redirects=False)
        return await httpx_transport(client)(path, body)

    return post


def status_view(status: Status, entitlements: Entitlements, key_prefix: str | None) -> dict[str, Any]:
    """What the API and the PWA's license panel show."""
    features = {}
    for name in sorted(ENTITLEMENTS):
        decision = entitlements.check(name)
        features[name] = {"on": decision.on, "reason": decision.reason}
    grace_left = None
    if status.grace_until is not None and status.state == "GRACE":
        grace_left = max(0, status.grace_until - entitlements.now())
    return {
        "state": status.state.value, "reason": status.reason, "plan": status.plan or "free",
        "paid": status.paid, "keyPrefix": key_prefix, "licenseId": status.license_id,
        "seats": status.seats, "expiresAt": iso(status.expires_at),
        "graceUntil": iso(status.grace_until), "graceSecondsLeft": grace_left,
        "subscriptionEnd": iso(status.subscription_end), "validUntil": iso(status.valid_until),
        "checkedAt": iso(status.checked_at), "outcome": status.outcome,
        "features": features, "buyUrl": BUY_URL,
    }


class Licensing:
    def __init__(self, db: Database, settings: Settings, broker: EventBroker,
                 entitlements: Entitlements, *, transport: Transport | None = None,
                 online: Callable[[], bool] | None = None):
        self._db, self._settings, self._broker = db, settings, broker
        self._entitlements = entitlements
        self._transport = transport or _http_transport(settings.license_service)
        self._online = online or (lambda: settings.license_checks)
        self._client: LicenseClient | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.binding_note: str | None = None

    @property
    def client(self) -> LicenseClient:
        if self._client is None:
            raise RuntimeError("licensing has not started")
        return self._client

    async def start(self) -> None:
        """Load the stored lease (no network), then refresh in the background."""
        mark = fingerprint(self._settings.home_path)
        self.binding_note = mark.message
        self._client = LicenseClient(
            store=_DatabaseStore(self._db), transport=self._transport,
            binding=Binding(mark.fingerprint, mark.install_id), trust=_trust(self._settings),
            online=self._online, on_change=self._changed)
        self._entitlements.attach(self._client.status, self._client.now)
        await self._client.load()
        self._task = asyncio.create_task(self._client.run(self._stop), name="license-refresh")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass

    def view(self) -> dict[str, Any]:
        client = self.client
        view = status_view(client.status(), self._entitlements, client.key_prefix())
        view["checksAllowed"] = self._settings.license_checks
        view["fingerprintNote"] = self.binding_note
        return view

    async def activate(self, text: str) -> Result:
        return await self.client.activate(text)

    async def refresh(self) -> Result:
        return await self.client.refresh(force=True)

    async def deactivate(self) -> Result:
        return await self.client.deactivate()

    def _changed(self, status: Status) -> None:
        if self._client is not None:
            self._broker.publish("license.changed", self.view())
