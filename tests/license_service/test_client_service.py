"""The app's own LicenseClient against the real service app (in-process,
``httpx.ASGITransport``), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import secrets

import pytest
from cryptography.exceptions import InvalidSignature

from license.entitlements import is_enabled
from license.keys import generate_key
from license.lease import Trust, decode
from license.service.issuing import set_status
from license.service.models import License, Machine
from license.service.policies import DAY
from license.service.signing import RESPONSE_DOMAIN
from license.state import State

from .harness import Harness, binding, request_body


async def revoke(service, license_id: str) -> None:
    async with service.ctx.sessions.begin() as session:
        set_status(await session.get(License, license_id), "revoked", service.ctx.now())


async def test_activation_refresh_and_deactivation(service):
    license, key = await service.issue("pro")
    client = service.client(binding(1))
    assert (await client.start()).state is State.UNLICENSED
    result = await client.activate(key)
    assert result.ok, result
    status = client.status()
    assert (status.state, status.plan, status.license_id) == (State.ACTIVE, "pro", license.id)
    assert is_enabled(status, "insights.salary", client.now()).on
    service.clock.advance(DAY + 60)
    assert client.refresh_due()
    refreshed = await client.refresh()
    assert refreshed.ok and refreshed.code == "ok"
    assert client.status().expires_at == service.ctx.now() + 14 * DAY
    gone = await client.deactivate()
    assert gone.ok and client.status().state is State.UNLICENSED
    async with service.ctx.sessions() as session:
        machines = (await session.execute(Machine.__table__.select())).all()
    assert [m.deactivated_at for m in machines] == [service.ctx.now()]


async def test_a_client_restarting_refreshes_its_lease(service):
    _, key = await service.issue("pro")
    first = service.client(binding(1))
    await first.start()
    await first.activate(key)
    service.clock.advance(3 * DAY)
    again = service.client(binding(1), store=first._store)
    status = await again.start()
    assert status.state is State.ACTIVE and status.checked_at == service.ctx.now()


async def test_revoke_is_a_signed_denial_applied_at_once(service):
    license, key = await service.issue("pro")
    client = service.client(binding(1))
    await client.start()
    await client.activate(key)
    await revoke(service, license.id)
    result = await client.refresh(force=True)
    assert not result.ok and result.code == "REVOKED"
    status = client.status()
    assert status.state is State.REVOKED and not status.paid  # at once, lease or not


async def test_past_due_keeps_working_with_a_warning(service):
    license, key = await service.issue("pro")
    client = service.client(binding(1))
    await client.start()
    await client.activate(key)
    async with service.ctx.sessions.begin() as session:
        set_status(await session.get(License, license.id), "past_due", service.ctx.now())
    assert (await client.refresh(force=True)).ok
    assert client.status().state is State.PAST_DUE and client.status().paid


async def test_a_third_machine_is_refused_and_the_client_stays_unlicensed(service):
    _, key = await service.issue("pro")
    for n in (1, 2):
        made = service.client(binding(n))
        await made.start()
        assert (await made.activate(key)).ok
    third = service.client(binding(3))
    await third.start()
    result = await third.activate(key)
    assert (result.ok, result.code) == (False, "MACHINE_LIMIT_EXCEEDED")
    assert third.status().state is State.UNLICENSED


async def test_an_unknown_key_is_refused_by_a_signed_answer(service):
    client = service.client(binding(1))
    await client.start()
    result = await client.activate(generate_key())
    assert (result.ok, result.code) == (False, "NOT_FOUND")


def _verify_detached(response, trust: Trust) -> None:
    kid, signature = response.headers["JobDeck-Signature"].split(".")
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    trust.keys[kid].verify(raw, RESPONSE_DOMAIN + response.content)


async def test_every_response_is_signed(service):
    """Every outcome of the token routes is a token that verifies against the
    published key set; the machine list and the key set carry a detached
    signature over their exact bytes."""
    published = (await service.http.get("/v1/keys")).json()
    trust = Trust.from_text(published["keys"])
    org, _ = await service.organisation()
    pro, key = await service.issue("pro")
    team, _ = await service.issue("team", seats=1, org_id=org)
    member = await service.member_key(team, "m@example.com")
    seen: dict[str, str] = {}

    async def ask(path: str, key: str, n: int) -> None:
        machine = binding(n)
        body = request_body(key, machine)
        response = await service.post(path, body)
        assert set(response.json()) == {"token"}
        claims = decode(response.json()["token"], trust, types=frozenset({"lease", "denial"}),
                        binding=machine, nonce=body["nonce"])
        seen[claims.code] = claims.typ

    await ask("/v1/validate", generate_key(), 1)  # NOT_FOUND
    await ask("/v1/validate", key, 1)  # NO_MACHINE
    await ask("/v1/activate", key, 1)
    await ask("/v1/activate", key, 2)
    await ask("/v1/activate", key, 3)  # MACHINE_LIMIT_EXCEEDED
    await ask("/v1/activate", member, 1)  # FINGERPRINT_TAKEN? no: another license, its own machine
    await ask("/v1/refresh", key, 1)
    for _ in range(3):
        await ask("/v1/deactivate", key, 2)
        await ask("/v1/activate", key, 2)
    await ask("/v1/deactivate", key, 2)  # DEACTIVATIONS_LIMIT_EXCEEDED
    for status in ("past_due", "suspended", "expired", "revoked"):
        async with service.ctx.sessions.begin() as session:
            set_status(await session.get(License, pro.id), status, service.ctx.now())
        await ask("/v1/validate", key, 1)
    assert seen == {"NOT_FOUND": "denial", "NO_MACHINE": "denial", "VALID": "lease",
                    "MACHINE_LIMIT_EXCEEDED": "denial", "DEACTIVATED": "denial",
                    "DEACTIVATIONS_LIMIT_EXCEEDED": "denial", "PAST_DUE": "lease",
                    "SUSPENDED": "denial", "EXPIRED": "denial", "REVOKED": "denial"}
    machines = await service.post("/v1/machines", {"key": key})
    assert machines.status_code == 200 and len(machines.json()["machines"]) == 2
    _verify_detached(machines, trust)
    _verify_detached(await service.post("/v1/machines", {"key": generate_key()}), trust)
    _verify_detached(await service.http.get("/v1/keys"), trust)
    tampered = await service.post("/v1/machines", {"key": key})
    tampered._content = tampered.content.replace(b'"live":true', b'"live":false', 1)
    with pytest.raises(InvalidSignature):
        _verify_detached(tampered, trust)


async def test_key_rotation(service, database_url, keyring, clock):
    """Apps pin current and next. After a rotation the service signs with the
    old next key: pinned apps keep working; the published set moves on."""
    _, key = await service.issue("pro")
    pinned = Trust.from_text(keyring.public_keys())
    first_kid = keyring.current
    client = service.client(binding(1), trust=pinned)
    await client.start()
    assert (await client.activate(key)).ok
    # An app that pinned only the key being retired.
    stale = service.client(binding(2), trust=Trust({first_kid: pinned.keys[first_kid]}))
    await stale.start()
    assert (await stale.activate(key)).ok
    rotated = keyring.rotated()
    assert rotated.current == keyring.next and rotated.key_secret == keyring.key_secret
    after = Harness(database_url, rotated, clock)
    async with after.running():
        published = (await after.http.get("/v1/keys")).json()
        assert (published["current"], published["next"]) == (rotated.current, rotated.next)
        assert first_kid not in published["keys"]
        transport = after.client()._transport
        client._transport = stale._transport = transport
        clock.advance(DAY + 1)
        result = await client.refresh()
        assert result.ok, result
        assert client.status().state is State.ACTIVE
        assert decode(client._record.lease, pinned, types=frozenset({"lease"}),
                      binding=binding(1)).kid == rotated.current
        # To the stale app the new answers cannot be verified: they are
        # noise (unreachable), never a denial; its lease runs its course.
        outcome = await stale.refresh()
        assert (outcome.ok, outcome.code) == (False, "unknown_key")
        assert stale.status().state is State.ACTIVE


async def test_answers_echo_the_nonce_so_replays_are_refused(service):
    _, key = await service.issue("pro")
    client = service.client(binding(1))
    await client.start()
    await client.activate(key)
    old = await service.post("/v1/validate", request_body(key, binding(1), nonce=secrets.token_urlsafe(18)))
    replayed = old.content

    async def replay(path: str, body: bytes):
        from license.client import Reply

        return Reply(200, replayed)

    client._transport = replay
    result = await client.refresh(force=True)
    assert not result.ok and result.code == "nonce_mismatch"
    assert client.status().state is State.ACTIVE
