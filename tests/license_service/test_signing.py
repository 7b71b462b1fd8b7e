"""The service's signing: libsodium through PyNaCl, for cryptography's keys."""

from __future__ import annotations

import secrets as random_bytes

from license.service.signing import KeyRing, Signer


def test_the_signer_gives_the_keys_own_signatures():
    """Answers are signed through libsodium; Ed25519 is deterministic, so
    each signature must be the very bytes the key itself gives, and verify."""
    ring = KeyRing.generate()
    for key in ring.private.values():
        signer = Signer(key)
        for size in (0, 1, 63, 64, 700, 5000):
            data = random_bytes.token_bytes(size)
            assert signer.sign(data) == key.sign(data)
            key.public_key().verify(signer.sign(data), data)
