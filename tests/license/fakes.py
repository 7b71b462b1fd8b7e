"""Test doubles for the license tests: signing keys, a clock, and a stand-in
for the license service's answers (the real service app replaces it once
license/service/ exists; the transport interface stays the same)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from license.client import Reply
from license.entitlements import PRO
from license.lease import AUDIENCE, ISSUER, Binding, Claims, Trust, sign

KID, NEXT_KID = "test-current", "test-next"
SIGNER, NEXT_SIGNER = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
FOREIGN = Ed25519PrivateKey.generate()  # a key the app does not trust
TRUST = Trust({KID: SIGNER.public_key(), NEXT_KID: NEXT_SIGNER.public_key()})
BINDING = Binding("fp1." + "a" * 64, "fp1." + "b" * 64)
T0 = 1_750_000_000
HOUR, DAY = 3600, 86400


def claims(**changes: Any) -> Claims:
    base: dict[str, Any] = dict(
        kid=KID, typ="lease", iss=ISSUER, aud=AUDIENCE, code="VALID", license_id="lic_1",
        machine_id="mach_1", fingerprint=BINDING.fingerprint, install_id=BINDING.install_id,
        plan="pro", entitlements=PRO, seats=1, status="active", iat=T0, nbf=T0,
        exp=T0 + 14 * DAY, grace=14 * DAY, subscription_end=T0 + 33 * DAY, rev=1, nonce="n-1")
    base.update(changes)
    return Claims(**base)


def token(signer: Ed25519PrivateKey = SIGNER, **changes: Any) -> str:
    return sign(claims(**changes), signer)


class Clock:
    """Local wall time that tests set and move."""

    def __init__(self, t: float = T0):
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class FakeService:
    """Answers like the service would: a lease for this request's nonce, or
    whatever a test sets up next (a denial, an HTTP error, a network error,
    a raw body)."""

    def __init__(self, clock: Clock, service_time_offset: int = 0):
        self.clock = clock
        self.offset = service_time_offset  # the service's clock minus the machine's
        self.requests: list[tuple[str, dict]] = []
        self.rev = 1
        self.lease_changes: dict[str, Any] = {}
        self.mode: tuple[str, Any] = ("lease", None)
        self.answers: list[bytes] = []  # every body sent, for replay tests

    def now(self) -> int:
        return int(self.clock()) + self.offset

    def lease(self, **changes: Any) -> None:
        self.mode, self.lease_changes = ("lease", None), changes

    def deny(self, code: str, status: str = "active", http_status: int | None = None) -> None:
        self.mode = ("deny", (code, status, http_status))

    def fail(self, http_status: int) -> None:
        self.mode = ("http", http_status)

    def unreachable(self, exc: BaseException | None = None) -> None:
        self.mode = ("raise", exc or ConnectionRefusedError("no route"))

    def hang(self) -> None:
        self.mode = ("hang", None)

    def raw(self, http_status: int, body: bytes) -> None:
        self.mode = ("raw", (http_status, body))

    def signed(self, request: dict, **changes: Any) -> str:
        now = self.now()
        fields = dict(iat=now, nbf=now, exp=now + 14 * DAY, subscription_end=now + 33 * DAY,
                      rev=self.rev, nonce=request["nonce"], fingerprint=request["fingerprint"],
                      install_id=request["installId"])
        fields.update(changes)
        return token(**fields)

    async def __call__(self, path: str, body: bytes) -> Reply:
        request = json.loads(body)
        self.requests.append((path, request))
        kind, arg = self.mode
        if kind == "raise":
            raise arg
        if kind == "hang":
            await asyncio.sleep(3600)
        if kind == "http":
            return Reply(arg, b'{"error": "busy"}')
        if kind == "raw":
            return Reply(*arg)
        if kind == "deny":
            code, status, http_status = arg
            signed = self.signed(request, typ="denial", code=code, status=status, plan="",
                                 entitlements=(), exp=self.now(), grace=0)
            http_status = http_status or (200 if path == "/v1/deactivate" else 403)
        else:
            signed = self.signed(request, **self.lease_changes)
            http_status = 200
        body = msgspec.json.encode({"token": signed})
        self.answers.append(body)
        return Reply(http_status, body)
