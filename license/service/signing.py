"""The service's secrets: Ed25519 signing keys (current and next, by key id)
and the secret that hashes license keys, kept in one JSON file.

Rotation (``jobdeck-license keys rotate``): the next key becomes current and
a new next key is made. Apps pin both current and next, so a release that
pins the new pair ships before the service ever signs with the key after it.
The key-hash secret never rotates: every stored key hash depends on it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.bindings import crypto_sign, crypto_sign_BYTES, crypto_sign_seed_keypair

from license.lease import Claims, public_key_text, sign

__all__ = ["KeyRing", "Signer", "RESPONSE_DOMAIN"]

FORMAT = "jobdeck-license-secrets/1"
# Detached signatures over JSON answers that are not tokens (key set, machine list).
RESPONSE_DOMAIN = b"jobdeck.response.v1\x00"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _new_kid() -> str:
    return f"k{time.strftime('%Y%m%d', time.gmtime())}-{secrets.token_hex(3)}"


class Signer:
    """Ed25519 signing through libsodium (PyNaCl) for the key it is made from.

    The service signs every answer, and libsodium signs in about 70% of the
    time cryptography's OpenSSL binding takes (which sets a context up per
    call). Ed25519 is deterministic, so the signatures are the very bytes
    the key itself would give; cryptography still makes, stores and
    verifies the keys."""

    __slots__ = ("_secret",)

    def __init__(self, key: Ed25519PrivateKey):
        self._secret = crypto_sign_seed_keypair(key.private_bytes_raw())[1]

    def sign(self, data: bytes) -> bytes:
        return crypto_sign(data, self._secret)[:crypto_sign_BYTES]  # signature, then the message


@dataclass(frozen=True)
class KeyRing:
    current: str
    next: str | None
    private: Mapping[str, Ed25519PrivateKey]
    key_secret: bytes
    _signers: Mapping[str, Signer] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_signers", {kid: Signer(key) for kid, key in self.private.items()})

    # -- building -----------------------------------------------------------

    @classmethod
    def generate(cls) -> KeyRing:
        current, following = _new_kid(), _new_kid()
        return cls(current, following, {current: Ed25519PrivateKey.generate(),
                                         following: Ed25519PrivateKey.generate()},
                   secrets.token_bytes(32))

    def rotated(self) -> KeyRing:
        """Next becomes current; a new next. The old current is dropped."""
        if self.next is None:
            raise ValueError("no next key to rotate to")
        following = _new_kid()
        return KeyRing(self.next, following, {self.next: self.private[self.next],
                                              following: Ed25519PrivateKey.generate()},
                       self.key_secret)

    # -- the file -------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "current": self.current, "next": self.next,
            "keys": {kid: _b64(key.private_bytes_raw()) for kid, key in self.private.items()},
            "keyHashSecret": _b64(self.key_secret)}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        private = {kid: Ed25519PrivateKey.from_private_bytes(_unb64(raw))
                   for kid, raw in data["keys"].items()}
        if data["current"] not in private or (data["next"] and data["next"] not in private):
            raise ValueError("the current and next key ids must name keys in the file")
        secret = _unb64(data["keyHashSecret"])
        if len(secret) < 32:
            raise ValueError("keyHashSecret must be at least 32 bytes")
        return cls(data["current"], data["next"], private, secret)

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def save(self, path: Path) -> None:
        """Write with mode 0600, atomically (a half-written secrets file would
        lose the key-hash secret)."""
        path = Path(path)
        temporary = path.with_name(path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
        os.replace(temporary, path)

    # -- using ------------------------------------------------------------------

    def public_keys(self) -> dict[str, str]:
        return {kid: public_key_text(key) for kid, key in self.private.items()}

    def sign_claims(self, claims: Claims) -> str:
        return sign(claims, self._signers[claims.kid])

    def sign_body(self, body: bytes) -> str:
        """``<kid>.<base64url signature>`` over RESPONSE_DOMAIN + body."""
        return f"{self.current}.{_b64(self._signers[self.current].sign(RESPONSE_DOMAIN + body))}"
