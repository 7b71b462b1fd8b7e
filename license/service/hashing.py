"""Keyed hashes of the secrets and identifiers the service must not store.

All are HMAC-SHA256 under the one key-hash secret, each with its own domain,
so a hash from one column can never be matched against another.
"""

from __future__ import annotations

import hmac

from license.keys import KeyFormatError, hash_key_and_prefix, key_prefix

__all__ = ["digest", "key_digest", "key_digest_and_prefix"]


def digest(secret: bytes, domain: str, value: str) -> str:
    message = f"jobdeck.{domain}.v1\x00".encode() + value.encode("utf-8", "surrogatepass")
    return hmac.digest(secret, message, "sha256").hex()


def key_digest(secret: bytes, key: str) -> tuple[str, bool]:
    """(hash, well-formed). A key that fails its check symbol cannot exist,
    but still gets a stable hash so its failed attempts are counted."""
    key_hash, well_formed, _ = key_digest_and_prefix(secret, key)
    return key_hash, well_formed


def key_digest_and_prefix(secret: bytes, key: str) -> tuple[str, bool, str]:
    """(hash, well-formed, loggable prefix). Keys the app sends are in
    display form, which parse_key takes as it is."""
    try:
        key_hash, prefix = hash_key_and_prefix(key, secret)
    except KeyFormatError:
        return digest(secret, "malformed-key", key), False, key_prefix(key)
    return key_hash, True, prefix
