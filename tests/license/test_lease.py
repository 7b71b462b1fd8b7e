"""Leases: sign and verify, and every way a token is refused, in order."""

from __future__ import annotations

import base64
import json
import random

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from license import lease as L
from license.lease import Trust, decode, verify_lease

from .fakes import BINDING, DAY, FOREIGN, KID, NEXT_KID, NEXT_SIGNER, SIGNER, T0, TRUST, claims, token


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def resign(payload: bytes, signer: Ed25519PrivateKey = SIGNER) -> str:
    """A token over an arbitrary payload, validly signed: what a buggy or
    hostile signer could emit, to test the checks after the signature."""
    segment = b64(payload)
    return f"v1.{segment}.{b64(signer.sign(L.DOMAIN + segment.encode()))}"


def verify(tok: object, now: int = T0 + 1, **kwargs):
    return verify_lease(tok, kwargs.pop("trust", TRUST), kwargs.pop("binding", BINDING), now, **kwargs)


def test_a_signed_lease_verifies_and_round_trips_its_claims() -> None:
    result = verify(token())
    assert result.claims == claims()
    assert result.in_grace is False


def test_the_next_pinned_key_verifies_too() -> None:
    assert verify(token(NEXT_SIGNER, kid=NEXT_KID)).claims.kid == NEXT_KID


def test_a_self_hosted_service_replaces_the_pinned_keys() -> None:
    own = Ed25519PrivateKey.generate()
    trust = Trust.from_text({"self-1": L.public_key_text(own)}, issuer="acme-license")
    tok = token(own, kid="self-1", iss="acme-license")
    assert verify(tok, trust=trust).claims.iss == "acme-license"
    with pytest.raises(L.UnknownKeyId):  # the vendor's key is not trusted there
        verify(token(), trust=trust)


def test_the_pinned_set_fails_closed_until_filled() -> None:
    if L.PINNED_KEYS:
        pytest.skip("production keys are pinned")
    with pytest.raises(L.UnknownKeyId):
        verify(token(), trust=Trust.pinned())


def test_an_edited_payload_is_refused() -> None:
    version, payload, signature = token().split(".")
    edited = json.loads(base64.urlsafe_b64decode(payload + "=="))
    edited["entitlements"] += ["sso"]
    forged = f"{version}.{b64(json.dumps(edited, separators=(',', ':')).encode())}.{signature}"
    with pytest.raises(L.BadSignature):
        verify(forged)


def test_a_flipped_signature_bit_is_refused() -> None:
    version, payload, signature = token().split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[10] ^= 0x01
    with pytest.raises(L.BadSignature):
        verify(f"{version}.{payload}.{b64(bytes(raw))}")


def test_a_foreign_key_claiming_a_pinned_key_id_is_refused() -> None:
    with pytest.raises(L.BadSignature):
        verify(token(FOREIGN))


def test_an_unknown_key_id_is_refused_before_the_signature() -> None:
    with pytest.raises(L.UnknownKeyId):
        verify(token(FOREIGN, kid="attacker-1"))


def test_a_signature_by_the_next_key_under_the_current_key_id_is_refused() -> None:
    with pytest.raises(L.BadSignature):  # the key id pins the key: no trying each one
        verify(token(NEXT_SIGNER, kid=KID))


@pytest.mark.parametrize("forged", [
    # JWT-shaped tokens with alg none or HS256 keyed by the public key: the
    # version fixes Ed25519, so there is no field to bend.
    "eyJhbGciOiJub25lIn0.eyJwbGFuIjoicHJvIn0.",
    "v1.eyJhbGciOiJIUzI1NiJ9.eyJwbGFuIjoicHJvIn0.c2ln",
    "v2.{payload}.{signature}",
    "V1.{payload}.{signature}",
])
def test_algorithm_confusion_has_nothing_to_confuse(forged: str) -> None:
    _, payload, signature = token().split(".")
    with pytest.raises(L.LeaseError) as caught:
        verify(forged.format(payload=payload, signature=signature))
    assert isinstance(caught.value, (L.MalformedToken, L.UnsupportedVersion))


def test_a_hmac_signature_keyed_with_the_public_key_is_refused() -> None:
    import hashlib
    import hmac

    public = L.public_key_text(SIGNER).encode()
    _, payload, _ = token().split(".")
    mac = hmac.new(public, L.DOMAIN + payload.encode(), hashlib.sha256).digest()
    with pytest.raises(L.BadSignature):
        verify(f"v1.{payload}.{b64(mac)}")


def test_non_canonical_base64_is_refused() -> None:
    version, payload, signature = token().split(".")
    # The last character of an unpadded segment carries spare bits; setting
    # one gives the same bytes under another spelling.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    twin = signature[:-1] + alphabet[last | 1 if last % 2 == 0 else last & ~1]
    assert base64.urlsafe_b64decode(twin + "==") == base64.urlsafe_b64decode(signature + "==")
    for bad in (f"{version}.{payload}.{twin}", f"{version}.{payload}=.{signature}",
                f"{version}.{payload}.{signature}==", f"{version}.{payload}+.{signature}"):
        with pytest.raises(L.NonCanonicalBase64):
            verify(bad)


def test_an_oversized_token_is_refused_before_anything_else() -> None:
    with pytest.raises(L.TokenTooLarge):
        verify("v1." + "A" * L.MAX_TOKEN_BYTES + ".x")


@pytest.mark.parametrize("junk", [None, 42, b"v1.a.b", "", "v1", "v1.a", "v1.a.b.c", "v1.é.b"])
def test_junk_is_a_lease_error(junk: object) -> None:
    with pytest.raises(L.LeaseError):
        verify(junk)


def test_duplicate_json_keys_are_refused_even_when_signed() -> None:
    good = json.loads(L.msgspec.json.encode(claims()))
    text = json.dumps(good, separators=(",", ":"))
    doubled = text[:-1] + ',"plan":"enterprise"}'
    with pytest.raises(L.DuplicateClaim):
        verify(resign(doubled.encode()))


def test_a_payload_whose_first_member_is_not_the_key_id_is_refused() -> None:
    good = json.loads(L.msgspec.json.encode(claims()))
    reordered = {"typ": good.pop("typ"), **good}
    with pytest.raises(L.UnknownKeyId):
        verify(resign(json.dumps(reordered, separators=(",", ":")).encode()))


@pytest.mark.parametrize("payload", [
    b'{"kid":"test-current","typ":"lease"}',  # claims missing
    b'{"kid":"test-current",' + b'"exp":NaN}',
    b'{"kid":"test-current","seats":-1}',
])
def test_malformed_claims_are_refused(payload: bytes) -> None:
    with pytest.raises(L.MalformedClaims):
        verify(resign(payload))


@pytest.mark.parametrize(("changes", "error"), [
    ({"typ": "denial"}, L.WrongType),
    ({"iss": "someone-else"}, L.WrongIssuer),
    ({"aud": "another-app"}, L.WrongAudience),
    ({"fingerprint": "fp1." + "c" * 64}, L.FingerprintMismatch),
    ({"install_id": "fp1." + "d" * 64}, L.InstallMismatch),
])
def test_claims_for_something_else_are_refused(changes: dict, error: type) -> None:
    with pytest.raises(error):
        verify(token(**changes))


def test_a_fresh_answer_must_carry_this_requests_nonce() -> None:
    assert verify(token(nonce="mine"), nonce="mine")
    with pytest.raises(L.NonceMismatch):
        verify(token(nonce="an-older-request"), nonce="mine")


def test_the_order_puts_the_signature_before_the_claims() -> None:
    # Wrong audience *and* a foreign signer: the signature is what fails.
    with pytest.raises(L.BadSignature):
        verify(token(FOREIGN, aud="another-app"))


def test_expiry_grace_and_lapse() -> None:
    tok = token()
    assert verify(tok, now=T0 + 14 * DAY - 1).in_grace is False
    assert verify(tok, now=T0 + 14 * DAY).in_grace is True
    assert verify(tok, now=T0 + 28 * DAY - 1).in_grace is True
    with pytest.raises(L.LeaseLapsed):
        verify(tok, now=T0 + 28 * DAY)


def test_not_yet_valid_and_clock_before_issue() -> None:
    with pytest.raises(L.LeaseNotYetValid):
        verify(token(nbf=T0 + DAY), now=T0 + 10)
    with pytest.raises(L.ClockBehindLease):
        verify(token(), now=T0 - L.CLOCK_SKEW - 1)
    assert verify(token(), now=T0 - L.CLOCK_SKEW + 1)  # small skew is tolerated


def test_subscription_end_ends_the_lease_before_its_expiry() -> None:
    tok = token(subscription_end=T0 + 3 * DAY)
    assert verify(tok, now=T0 + 3 * DAY - 1)
    with pytest.raises(L.SubscriptionEnded):
        verify(tok, now=T0 + 3 * DAY)


@pytest.mark.parametrize("status", ["revoked", "suspended", "expired", "anything"])
def test_a_lease_with_an_inactive_status_is_refused(status: str) -> None:
    with pytest.raises(L.LeaseInactive):
        verify(token(status=status))


def test_an_older_revision_is_refused() -> None:
    assert verify(token(rev=5), min_revision=5)
    with pytest.raises(L.RevisionReplayed):
        verify(token(rev=4), min_revision=5)


def test_decode_accepts_denials_only_where_asked() -> None:
    denial = token(typ="denial", code="REVOKED", status="revoked")
    assert decode(denial, TRUST, types=frozenset({"lease", "denial"}), binding=BINDING).code == "REVOKED"
    with pytest.raises(L.WrongType):
        decode(denial, TRUST, types=frozenset({"lease"}), binding=BINDING)


def test_random_mutations_only_ever_raise_lease_errors() -> None:
    rng = random.Random(6)
    original = token()
    refused = 0
    for _ in range(3000):
        chars = list(original)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(chars))
            action = rng.random()
            if action < 0.6:
                chars[i] = rng.choice("AZaz09-_.=+/é{}\"")
            elif action < 0.8:
                del chars[i]
            else:
                chars.insert(i, rng.choice("A.-_"))
        mutated = "".join(chars)
        try:
            verify(mutated)
        except L.LeaseError:
            refused += 1
        else:
            assert mutated == original
    assert refused > 2900


def test_errors_have_distinct_codes() -> None:
    errors = [getattr(L, name) for name in L.__all__
              if isinstance(getattr(L, name), type) and issubclass(getattr(L, name), L.LeaseError)
              and getattr(L, name) is not L.LeaseError]
    assert len(errors) == 20
    assert len({error.code for error in errors}) == len(errors)
    assert len({error.__name__ for error in errors}) == len(errors)


def test_sign_refuses_a_bad_key_id() -> None:
    with pytest.raises(ValueError):
        L.sign(claims(kid='x","y'), SIGNER)

