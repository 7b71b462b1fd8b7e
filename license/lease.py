"""Signed leases: ``v1.<base64url payload>.<base64url Ed25519 signature>``.

The service signs, the app verifies offline. The version fixes the algorithm
(Ed25519 over ``DOMAIN + payload segment``): there is no ``alg`` to confuse.
The same token carries a signed denial (``typ`` ``denial``), so "revoked" is
as unforgeable as "valid". Verification runs in one fixed order and every
failure is its own :class:`LeaseError` subclass; callers turn them into
states (:mod:`license.state`), they never escape to a user.

The key id is the payload's first member. It is read by an anchored pattern
before the signature is checked, so that no JSON parser ever runs on bytes
the signature has not vouched for (README: "Key id").
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Mapping, Protocol

import msgspec

if TYPE_CHECKING:  # cryptography loads on first use: entitlement checks on a Free app never need it
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "VERSION", "DOMAIN", "ISSUER", "AUDIENCE", "MAX_TOKEN_BYTES", "CLOCK_SKEW", "PINNED_KEYS",
    "Claims", "Trust", "Binding", "Verified", "sign", "decode", "check_time", "verify_lease",
    "public_key_text", "LeaseError", "TokenTooLarge", "MalformedToken", "UnsupportedVersion",
    "NonCanonicalBase64", "UnknownKeyId", "BadSignature", "MalformedClaims", "DuplicateClaim",
    "WrongType", "WrongIssuer", "WrongAudience", "NonceMismatch", "FingerprintMismatch",
    "InstallMismatch", "ClockBehindLease", "LeaseNotYetValid", "LeaseInactive",
    "SubscriptionEnded", "LeaseLapsed", "RevisionReplayed",
]


class Signs(Protocol):
    """An Ed25519 signer: the 64-byte signature of ``data``."""

    def sign(self, data: bytes) -> bytes: ...


VERSION = "v1"
DOMAIN = b"jobdeck.lease.v1\x00"
ISSUER = "jobdeck-license"
AUDIENCE = "jobdeck-app"
MAX_TOKEN_BYTES = 8192
CLOCK_SKEW = 300  # LICENSING.md: more than five minutes before issued-at is tampering
# Public keys the app trusts, by key id: current and next, so the service can
# rotate without an app release. Filled from `jobdeck-license` key creation;
# empty means no lease verifies (fails closed). Self-hosted: see Trust.
PINNED_KEYS: Mapping[str, str] = {}

_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
_KID = re.compile(rb'\{"kid":"([A-Za-z0-9_.-]{1,64})",')
_KID_TEXT = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_SIGNATURE_BYTES = 64

NonNegative = Annotated[int, msgspec.Meta(ge=0)]


class Claims(msgspec.Struct, frozen=True, kw_only=True):
    """What a lease (or a signed denial) says. ``kid`` must stay the first field."""

    kid: str
    typ: str  # "lease" or "denial"
    iss: str
    aud: str
    code: str  # VALID or PAST_DUE in a lease; the validation code in a denial
    license_id: str
    machine_id: str
    fingerprint: str
    install_id: str
    plan: str
    entitlements: tuple[str, ...]
    seats: NonNegative
    status: str  # active, past_due, suspended, expired, revoked
    iat: NonNegative
    nbf: NonNegative
    exp: NonNegative
    grace: NonNegative  # offline grace after exp, in seconds
    subscription_end: NonNegative | None  # None: no end (perpetual or contract without one)
    rev: NonNegative
    nonce: str


@dataclass(frozen=True)
class Trust:
    """The keys, issuer and audience the app accepts. A self-hosted service
    replaces the pinned keys with its own (:meth:`from_text`)."""

    keys: Mapping[str, Ed25519PublicKey]
    issuer: str = ISSUER
    audience: str = AUDIENCE

    @classmethod
    def from_text(cls, keys: Mapping[str, str], *, issuer: str = ISSUER,
                  audience: str = AUDIENCE) -> Trust:
        """Keys as ``{kid: base64url raw 32-byte public key}``."""
        loaded = {}
        if keys:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        for kid, text in keys.items():
            if not _KID_TEXT.fullmatch(kid):
                raise ValueError(f"bad key id {kid!r}")
            loaded[kid] = Ed25519PublicKey.from_public_bytes(_b64decode(text))
        return cls(loaded, issuer, audience)

    @classmethod
    def pinned(cls) -> Trust:
        return cls.from_text(PINNED_KEYS)


@dataclass(frozen=True)
class Binding:
    """This installation: the hashes from :mod:`license.fingerprint`."""

    fingerprint: str
    install_id: str


@dataclass(frozen=True)
class Verified:
    claims: Claims
    in_grace: bool = False  # past exp, inside the offline grace


class LeaseError(Exception):
    """A token that must not be trusted. ``code`` is stable, for states and logs."""

    code = "invalid"


def _error(name: str, code: str) -> type[LeaseError]:
    return type(name, (LeaseError,), {"code": code, "__module__": __name__})


TokenTooLarge = _error("TokenTooLarge", "too_large")
MalformedToken = _error("MalformedToken", "malformed")
UnsupportedVersion = _error("UnsupportedVersion", "unsupported_version")
NonCanonicalBase64 = _error("NonCanonicalBase64", "bad_base64")
UnknownKeyId = _error("UnknownKeyId", "unknown_key")
BadSignature = _error("BadSignature", "bad_signature")
MalformedClaims = _error("MalformedClaims", "bad_claims")
DuplicateClaim = _error("DuplicateClaim", "duplicate_claim")
WrongType = _error("WrongType", "wrong_type")
WrongIssuer = _error("WrongIssuer", "wrong_issuer")
WrongAudience = _error("WrongAudience", "wrong_audience")
NonceMismatch = _error("NonceMismatch", "nonce_mismatch")
FingerprintMismatch = _error("FingerprintMismatch", "fingerprint_mismatch")
InstallMismatch = _error("InstallMismatch", "install_mismatch")
ClockBehindLease = _error("ClockBehindLease", "clock_behind_lease")
LeaseNotYetValid = _error("LeaseNotYetValid", "not_yet_valid")
LeaseInactive = _error("LeaseInactive", "inactive")  # a signed status other than active/past_due
SubscriptionEnded = _error("SubscriptionEnded", "subscription_ended")
LeaseLapsed = _error("LeaseLapsed", "lapsed")  # past exp + grace
RevisionReplayed = _error("RevisionReplayed", "revision_replayed")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(segment: str) -> bytes:
    """Strict base64url: alphabet, no padding, and canonical (re-encodes to
    itself), so one payload has exactly one spelling."""
    if not _SEGMENT.fullmatch(segment) or len(segment) % 4 == 1:
        raise NonCanonicalBase64("not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise NonCanonicalBase64("not base64url") from exc
    if _b64encode(data) != segment:
        raise NonCanonicalBase64("non-canonical base64url (stray trailing bits)")
    return data


def public_key_text(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The base64url raw public key, as :meth:`Trust.from_text` reads it."""
    public = key.public_key() if hasattr(key, "public_key") else key
    return _b64encode(public.public_bytes_raw())


def sign(claims: Claims, private_key: Ed25519PrivateKey | Signs) -> str:
    """Encode and sign ``claims`` (the service's half; also used by tests)
    with an Ed25519 key, or anything that signs for one."""
    if not _KID_TEXT.fullmatch(claims.kid):
        raise ValueError(f"bad key id {claims.kid!r}")
    segment = _b64encode(msgspec.json.encode(claims))
    signature = private_key.sign(DOMAIN + segment.encode("ascii"))
    return f"{VERSION}.{segment}.{_b64encode(signature)}"


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise DuplicateClaim("a claim appears twice")
    return result


def _reject_constant(name: str) -> None:
    raise MalformedClaims(f"{name} is not JSON")


def decode(token: object, trust: Trust, *, types: frozenset[str], binding: Binding,
           nonce: str | None = None) -> Claims:
    """Everything but time: size, shape, version, key id, signature, claims,
    type, issuer, audience, nonce (when freshly fetched), binding."""
    if not isinstance(token, str):
        raise MalformedToken("a lease is text")
    if len(token) > MAX_TOKEN_BYTES:  # before any other work: bounded cost
        raise TokenTooLarge(f"longer than {MAX_TOKEN_BYTES} bytes")
    if not token.isascii():
        raise MalformedToken("a lease is ASCII")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("a lease has three dot-separated parts")
    version, payload_segment, signature_segment = parts
    if version != VERSION:
        raise UnsupportedVersion(f"version {version[:8]!r} is not {VERSION}")
    payload = _b64decode(payload_segment)
    signature = _b64decode(signature_segment)
    hint = _KID.match(payload)
    if hint is None:
        raise UnknownKeyId("no key id")
    kid = hint[1].decode("ascii")
    public_key = trust.keys.get(kid)
    if public_key is None:
        raise UnknownKeyId(f"key id {kid!r} is not trusted")
    if len(signature) != _SIGNATURE_BYTES:
        raise BadSignature("an Ed25519 signature has 64 bytes")
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(signature, DOMAIN + payload_segment.encode("ascii"))
    except InvalidSignature as exc:
        raise BadSignature("signature does not match") from exc
    try:
        claims = msgspec.json.decode(payload, type=Claims, strict=True)
    except msgspec.ValidationError as exc:
        raise MalformedClaims(str(exc)) from exc
    except msgspec.DecodeError as exc:
        raise MalformedClaims("not JSON") from exc
    # msgspec keeps the last of duplicate keys; a signer that emits two must
    # not get two readings, so check the (already authentic) text once more.
    try:
        json.loads(payload.decode("utf-8"), object_pairs_hook=_reject_duplicates,
                   parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise MalformedClaims("not strict JSON") from exc
    if claims.kid != kid:
        raise UnknownKeyId("key id hint and claim differ")
    if claims.typ not in types:
        raise WrongType(f"a {claims.typ!r} token where {sorted(types)} was expected")
    if claims.iss != trust.issuer:
        raise WrongIssuer(f"issuer {claims.iss!r}")
    if claims.aud != trust.audience:
        raise WrongAudience(f"audience {claims.aud!r}")
    if nonce is not None and claims.nonce != nonce:
        raise NonceMismatch("an answer to another request (replayed)")
    if claims.fingerprint != binding.fingerprint:
        raise FingerprintMismatch("lease is for another machine")
    if claims.install_id != binding.install_id:
        raise InstallMismatch("lease is for another installation")
    return claims


def check_time(claims: Claims, now: int, *, min_revision: int = 0) -> bool:
    """Clock, status, expiry, revision. Returns True when past ``exp`` but
    inside the offline grace (the caller decides whether grace applies)."""
    if now < claims.iat - CLOCK_SKEW:
        raise ClockBehindLease("the clock is before the lease was issued")
    if now < claims.nbf - CLOCK_SKEW:
        raise LeaseNotYetValid("the lease starts later")
    if claims.status not in ("active", "past_due"):
        raise LeaseInactive(claims.status)
    if claims.subscription_end is not None and now >= claims.subscription_end:
        raise SubscriptionEnded("the subscription has ended")
    if now >= claims.exp + claims.grace:
        raise LeaseLapsed("the lease and its offline grace have run out")
    if claims.rev < min_revision:
        raise RevisionReplayed(f"revision {claims.rev} is older than {min_revision}")
    return now >= claims.exp


def verify_lease(token: object, trust: Trust, binding: Binding, now: int, *,
                 nonce: str | None = None, min_revision: int = 0) -> Verified:
    """The whole check, in LICENSING.md's order, for a token used as a lease."""
    claims = decode(token, trust, types=frozenset({"lease"}), binding=binding, nonce=nonce)
    return Verified(claims, check_time(claims, now, min_revision=min_revision))
