"""The license client: holds the lease, refreshes it, answers with a Status.

It talks to the service only through an injected transport (an async
``(path, body) -> Reply`` doing one HTTP POST), only when ``online()`` says so,
each call under a short timeout. What counts is the signed token in an
answer, never the answer's status line or any unsigned field: a proxy that
rewrites a response to "valid" changes nothing, and one that garbles or
blocks it gets what being offline gets (the grace, which a signed answer
forfeits). Signed denials apply at once. No failure escapes as an exception
except a mistyped key, which :meth:`LicenseClient.activate` refuses before
any network call.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
import time
from dataclasses import dataclass
from typing import Awaitable, Callable, NamedTuple

import msgspec

from .keys import key_prefix, parse_key
from .lease import Binding, Claims, LeaseError, Trust, check_time, decode
from .state import HARD_DENIALS, Record, Status, advance_high_water, evaluate
from .storage import LicenseStore

__all__ = ["LicenseClient", "Reply", "Result", "Transport", "httpx_transport",
           "VALIDATE", "ACTIVATE", "DEACTIVATE", "REFRESH_EVERY", "RETRY_EVERY", "TIMEOUT"]

log = logging.getLogger("jobdeck.license")

VALIDATE, ACTIVATE, DEACTIVATE = "/v1/validate", "/v1/activate", "/v1/deactivate"
REFRESH_EVERY = 24 * 3600
RETRY_EVERY = 3600  # after a failed attempt; never a tight loop against the service
TIMEOUT = 10.0
MAX_ANSWER_BYTES = 16384
_UNREACHABLE_STATUS = frozenset({408, 429})  # and every 5xx: LICENSING.md "Time and grace"
_DEACTIVATED = frozenset({"DEACTIVATED", "NO_MACHINE"})


class Reply(NamedTuple):
    status: int
    body: bytes


Transport = Callable[[str, bytes], Awaitable[Reply]]


class Result(NamedTuple):
    ok: bool
    code: str  # "ok", "unreachable", "offline", a lease error code or a signed validation code
    status: Status


class _Wire(msgspec.Struct):
    token: str


@dataclass
class _Answer:
    code: str
    claims: Claims | None = None
    token: str | None = None
    local_time: float = 0.0  # when the request left: the answer's iat is about then


def httpx_transport(client) -> Transport:  # client: httpx.AsyncClient (imported by the caller)
    """A transport over an ``httpx.AsyncClient`` whose base URL is the service
    (an ``httpx.ASGITransport`` runs the service app in-process)."""

    async def post(path: str, body: bytes) -> Reply:
        response = await client.post(path, content=body, headers={"content-type": "application/json"})
        return Reply(response.status_code, response.content)

    return post


class LicenseClient:
    def __init__(self, *, store: LicenseStore, transport: Transport, binding: Binding,
                 trust: Trust | None = None, online: Callable[[], bool] = lambda: True,
                 clock: Callable[[], float] = time.time, timeout: float = TIMEOUT,
                 platform: str = sys.platform, on_change: Callable[[Status], None] | None = None):
        self._store, self._transport, self._binding = store, transport, binding
        self._trust = trust if trust is not None else Trust.pinned()
        self._online, self._clock, self._timeout = online, clock, timeout
        self._platform, self._on_change = platform, on_change
        self._record = Record()
        self._lease: Claims | LeaseError | None = None
        self._notified: tuple[str, str] | None = None

    # -- reading -------------------------------------------------------------

    def now(self) -> int:
        """Trusted time: local time corrected by the offset to the service's clock."""
        return int(self._clock()) + self._record.skew

    def status(self) -> Status:
        """The state now; cheap (no signature check), safe to call per request."""
        return evaluate(self._record, self._lease, self.now())

    def key_prefix(self) -> str | None:
        return key_prefix(self._record.key) if self._record.key else None

    def refresh_due(self) -> bool:
        record, now = self._record, self.now()

        def elapsed(since: int | None, interval: int) -> bool:  # a clock set back counts as due
            return since is None or now >= since + interval or now < since

        return (record.key is not None and elapsed(record.checked_at, REFRESH_EVERY)
                and elapsed(record.attempted_at, RETRY_EVERY))

    # -- lifecycle -----------------------------------------------------------

    async def load(self) -> Status:
        """Load the record and note the time; no network (the app's start-up)."""
        self._record = await self._store.load() or Record()
        self._decode()
        return await self.observe()

    async def start(self) -> Status:
        """Load, then refresh once when online."""
        await self.load()
        if self._record.key is not None:
            await self.refresh(force=True)
        return self.status()

    async def observe(self) -> Status:
        """Move the high-water mark with the clock (call it every tick)."""
        if advance_high_water(self._record, self.now()):
            await self._store.save(self._record)
        return self._notify()

    async def run(self, stop: asyncio.Event, *, tick: float = 3600.0) -> None:
        """Until ``stop`` is set: observe the clock each tick, refresh when due."""
        while not stop.is_set():
            try:
                await self.observe()
                if self.refresh_due():
                    await self.refresh(force=True)
            except Exception:  # a storage hiccup must not end the loop
                log.exception("license: tick failed; trying again at the next one")
            try:
                await asyncio.wait_for(stop.wait(), timeout=tick)
            except TimeoutError:
                pass

    # -- talking to the service ------------------------------------------------

    async def refresh(self, *, force: bool = False) -> Result:
        """Validate with the service: at start, when due, or on demand (force)."""
        record = self._record
        if record.key is None:
            return Result(False, "no_key", self.status())
        if not self._online():
            return Result(False, "offline", self.status())
        if not force and not self.refresh_due():
            return Result(True, "not_due", self.status())
        record.attempted_at = self.now()
        answer = await self._ask(VALIDATE, record.key)
        ok = False
        if answer.claims is None:
            record.outcome = answer.code
        else:
            self._trust_time(answer)
            claims = answer.claims
            if claims.typ == "lease":
                ok = self._take_lease(claims, answer.token)
                record.outcome = "ok" if ok else "revision_replayed"
            else:
                record.outcome = claims.code
                if claims.code in HARD_DENIALS:
                    record.denial = claims.code
                elif record.lease is not None:
                    record.refusal = claims.code
        await self._store.save(record)
        log.info("license %s: refresh %s", self.key_prefix(), record.outcome)
        return Result(ok, record.outcome, self._notify())

    async def activate(self, text: str) -> Result:
        """Activate this machine with a typed key. A typo raises
        :class:`~license.keys.KeyFormatError` before any network call; any
        other failure leaves the current license as it was."""
        key = parse_key(text)
        if not self._online():
            return Result(False, "offline", self.status())
        answer = await self._ask(ACTIVATE, key)
        if answer.claims is None:
            return Result(False, answer.code, self.status())
        self._trust_time(answer)
        is_lease = answer.claims.typ == "lease"
        ok = is_lease and self._take_lease(answer.claims, answer.token)
        code = "ok" if ok else "revision_replayed" if is_lease else answer.claims.code
        if ok:
            self._record.key, self._record.outcome = key, "ok"
        await self._store.save(self._record)
        log.info("license %s: activation %s", key_prefix(key), code)
        return Result(ok, code, self._notify())

    async def deactivate(self) -> Result:
        """Free this machine's seat. Needs a signed confirmation: the lease is
        dropped locally only once the service has let the machine go."""
        record = self._record
        if record.key is None:
            return Result(False, "no_key", self.status())
        if not self._online():
            return Result(False, "offline", self.status())
        answer = await self._ask(DEACTIVATE, record.key)
        claims = answer.claims
        if claims is None or claims.typ != "denial" or claims.code not in _DEACTIVATED:
            return Result(False, claims.code if claims else answer.code, self.status())
        self._trust_time(answer)
        # license_id and revision stay: an old lease of this license restored later is still refused.
        record.key = record.lease = record.denial = record.refusal = None
        record.outcome = "deactivated"
        self._lease = None
        await self._store.save(record)
        return Result(True, "deactivated", self._notify())

    async def import_lease(self, token: str) -> Result:
        """Take a lease from a file (Enterprise's ``license.offline_file``)."""
        try:
            claims = decode(token, self._trust, types=frozenset({"lease"}), binding=self._binding)
            check_time(claims, self.now())
        except LeaseError as exc:
            return Result(False, exc.code, self.status())
        if "license.offline_file" not in claims.entitlements:
            return Result(False, "not_in_plan", self.status())
        if not self._take_lease(claims, token):
            return Result(False, "revision_replayed", self.status())
        await self._store.save(self._record)
        return Result(True, "ok", self._notify())

    # -- internals -------------------------------------------------------------

    async def _ask(self, path: str, key: str) -> _Answer:
        nonce = secrets.token_urlsafe(18)
        body = msgspec.json.encode({"key": key, "fingerprint": self._binding.fingerprint,
                                    "installId": self._binding.install_id, "nonce": nonce,
                                    "platform": self._platform})
        local_time = self._clock()
        try:
            async with asyncio.timeout(self._timeout):
                reply = await self._transport(path, body)
        except Exception as exc:  # any failure to get an answer is "unreachable"
            log.info("license: %s unreachable (%s)", path, type(exc).__name__)
            return _Answer("unreachable")
        if reply.status in _UNREACHABLE_STATUS or reply.status >= 500:
            log.info("license: %s answered HTTP %s", path, reply.status)
            return _Answer("unreachable")
        if len(reply.body) > MAX_ANSWER_BYTES:
            return _Answer("too_large")
        try:
            token = msgspec.json.decode(reply.body, type=_Wire).token
        except (msgspec.DecodeError, msgspec.ValidationError):
            log.warning("license: %s gave an answer without a signed token; ignored", path)
            return _Answer("unsigned")
        try:
            claims = decode(token, self._trust, types=frozenset({"lease", "denial"}),
                            binding=self._binding, nonce=nonce)
        except LeaseError as exc:
            log.warning("license: %s gave a token that does not verify (%s); ignored", path, exc.code)
            return _Answer(exc.code)
        return _Answer("signed", claims, token, local_time)

    def _trust_time(self, answer: _Answer) -> None:
        # A signed answer to our nonce carries the service's time: adopt its
        # offset, and let it reset the high-water (the only way down).
        issued = answer.claims.iat
        self._record.skew = issued - int(answer.local_time)
        self._record.high_water = self._record.checked_at = issued

    def _take_lease(self, claims: Claims, token: str) -> bool:
        record = self._record
        if record.license_id == claims.license_id and claims.rev < record.revision:
            log.warning("license: ignored lease revision %s (have %s)", claims.rev, record.revision)
            return False
        record.lease, record.license_id, record.revision = token, claims.license_id, claims.rev
        record.denial = record.refusal = None
        self._lease = claims
        return True

    def _decode(self) -> None:
        try:  # signature and binding once per lease; status() then only checks times
            self._lease = None if self._record.lease is None else decode(
                self._record.lease, self._trust, types=frozenset({"lease"}), binding=self._binding)
        except LeaseError as exc:
            self._lease = exc

    def _notify(self) -> Status:
        status = self.status()
        if self._on_change is not None and (status.state, status.reason) != self._notified:
            self._notified = (status.state, status.reason)
            try:
                self._on_change(status)
            except Exception:
                log.exception("license: on_change callback failed")
        return status
