"""Lease verification in the app: microseconds per full ``verify_lease``.

Each round verifies a realistic Pro lease end to end (size, base64, key id,
Ed25519 signature, strict JSON with the duplicate-key check, claims, binding,
time). The Ed25519 check alone is reported beside it as the floor.

Target (issue 6): well under 1 ms (1000 µs) per verification.
"""

from __future__ import annotations

import statistics
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from license.entitlements import PRO
from license.lease import AUDIENCE, DOMAIN, ISSUER, Binding, Claims, Trust, sign, verify_lease

ROUNDS = 7
PER_ROUND = 2000
TARGET_US = 1000.0


def _per_call_us(fn) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(PER_ROUND):
            fn()
        samples.append((time.perf_counter() - started) / PER_ROUND * 1e6)
    return statistics.median(samples)


def run() -> dict:
    key = Ed25519PrivateKey.generate()
    binding = Binding("fp1." + "a" * 64, "fp1." + "b" * 64)
    now = int(time.time())
    claims = Claims(kid="bench-1", typ="lease", iss=ISSUER, aud=AUDIENCE, code="VALID",
                    license_id="lic_0123456789", machine_id="mach_0123456789",
                    fingerprint=binding.fingerprint, install_id=binding.install_id, plan="pro",
                    entitlements=PRO, seats=1, status="active", iat=now, nbf=now,
                    exp=now + 14 * 86400, grace=14 * 86400, subscription_end=now + 33 * 86400,
                    rev=7, nonce="n0nce-0123456789abcdef")
    token = sign(claims, key)
    trust = Trust({"bench-1": key.public_key()})
    verify_lease(token, trust, binding, now)  # raises if the setup is wrong
    signed_part = DOMAIN + token.split(".")[1].encode()
    signature = key.sign(signed_part)
    public = key.public_key()
    verify_us = _per_call_us(lambda: verify_lease(token, trust, binding, now))
    ed25519_us = _per_call_us(lambda: public.verify(signature, signed_part))
    return {
        "token_bytes": len(token),
        "verify_lease_us": round(verify_us, 1),
        "ed25519_only_us": round(ed25519_us, 1),
        "target_us": TARGET_US,
        "meets_target": verify_us < TARGET_US,
    }
