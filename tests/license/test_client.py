"""The client state machine against a stand-in service: activation, refresh,
grace, signed denials, and the answers it must not believe."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from license.client import ACTIVATE, DEACTIVATE, VALIDATE, Reply, httpx_transport
from license.entitlements import is_enabled
from license.keys import KeyFormatError, generate_key
from license.state import State

from .conftest import KEY
from .fakes import BINDING, DAY, FOREIGN, HOUR, token

LEASE_ENDS = 14 * DAY
GRACE_ENDS = 28 * DAY


def on(client, name: str = "insights.salary"):
    return is_enabled(client.status(), name, client.now())


async def test_activation_turns_pro_on_and_stores_the_lease(client, store, service) -> None:
    status = client.status()
    assert status.state is State.ACTIVE and status.plan == "pro"
    assert on(client) == (True, "active")
    assert on(client, "sso") == (False, "not_in_plan")
    path, request = service.requests[-1]
    assert path == ACTIVATE
    assert request["fingerprint"] == BINDING.fingerprint and request["installId"] == BINDING.install_id
    saved = await store.load()
    assert saved.key == KEY and saved.lease and saved.revision == 1


async def test_a_mistyped_key_is_refused_before_any_network_call(make_client, service) -> None:
    client = make_client()
    await client.start()
    typo = KEY[:-1] + ("0" if KEY[-1] != "0" else "1")
    with pytest.raises(KeyFormatError) as caught:
        await client.activate(typo)
    assert caught.value.code == "check"
    assert service.requests == []


async def test_a_refused_activation_keeps_the_current_license(client, service, store) -> None:
    service.deny("MACHINE_LIMIT_EXCEEDED")
    result = await client.activate(generate_key())
    assert not result.ok and result.code == "MACHINE_LIMIT_EXCEEDED"
    assert client.status().state is State.ACTIVE
    assert (await store.load()).key == KEY


async def test_refresh_at_start_every_24_hours_and_only_online(make_client, client, service, clock) -> None:
    online = True
    again = make_client(online=lambda: online)
    before = len(service.requests)
    await again.start()
    assert [p for p, _ in service.requests[before:]] == [VALIDATE]  # at start
    assert (await again.refresh()).code == "not_due"
    clock.advance(DAY)
    online = False
    assert (await again.refresh()).code == "offline"
    assert len(service.requests) == before + 1
    online = True
    assert (await again.refresh()).code == "ok"
    assert len(service.requests) == before + 2


async def test_on_demand_refresh_picks_up_a_plan_change_at_once(client, service) -> None:
    service.lease(plan="enterprise", entitlements=("sso", "team", "insights.salary"))
    service.rev = 2
    assert (await client.refresh(force=True)).ok
    assert on(client, "sso").on and client.status().plan == "enterprise"


async def test_the_background_loop_refreshes_when_due_and_stops(client, service, clock) -> None:
    stop = asyncio.Event()

    async def transport(path, body):
        reply = await service(path, body)
        stop.set()
        return reply

    client._transport = transport
    clock.advance(DAY + 1)
    before = len(service.requests)
    await client.run(stop, tick=3600)
    assert len(service.requests) == before + 1


UNREACHABLE = {
    "network": lambda s: s.unreachable(),
    "timeout": lambda s: s.hang(),
    "408": lambda s: s.fail(408), "429": lambda s: s.fail(429),
    "500": lambda s: s.fail(500), "503": lambda s: s.fail(503),
    "garbage": lambda s: s.raw(200, b"<html>captive portal</html>"),
}


@pytest.mark.parametrize("failure", list(UNREACHABLE))
async def test_grace_while_unreachable_then_lapse(client, service, clock, failure: str) -> None:
    client._timeout = 0.01  # the "timeout" case: the service never answers
    UNREACHABLE[failure](service)
    clock.advance(LEASE_ENDS + HOUR)
    await client.refresh(force=True)
    assert client.status().state is State.GRACE
    assert on(client) == (True, "grace")
    clock.advance(GRACE_ENDS - LEASE_ENDS)
    await client.refresh(force=True)
    assert client.status().state is State.LAPSED
    assert on(client) == (False, "lapsed")


@pytest.mark.parametrize(("code", "state"), [
    ("REVOKED", State.REVOKED), ("SUSPENDED", State.SUSPENDED), ("EXPIRED", State.EXPIRED),
    ("NOT_FOUND", State.INVALID), ("FINGERPRINT_SCOPE_MISMATCH", State.FINGERPRINT_MISMATCH),
])
async def test_a_signed_denial_applies_at_once_and_survives_a_restart(
        client, service, make_client, code: str, state: State) -> None:
    service.deny(code)
    result = await client.refresh(force=True)
    assert result.code == code
    assert client.status().state is state  # although the lease has 14 days left
    assert not on(client).on
    offline = make_client(online=lambda: False)
    assert (await offline.start()).state is state
    service.lease()
    service.rev = 2  # reinstated
    assert (await client.refresh(force=True)).ok
    assert client.status().state is State.ACTIVE


@pytest.mark.parametrize("http_status", [408, 429, 500, 503])
async def test_a_busy_status_is_unreachable_whatever_its_body_says(client, service, clock,
                                                                  http_status: int) -> None:
    service.deny("TOO_MANY_MACHINES", http_status=http_status)  # signed, but sent with a busy status
    clock.advance(LEASE_ENDS + HOUR)
    result = await client.refresh(force=True)
    assert result.code == "unreachable"
    assert client.status().state is State.GRACE


async def test_a_5xx_keeps_the_lease_but_a_signed_denial_does_not(client, service) -> None:
    service.fail(503)
    await client.refresh(force=True)
    assert client.status().state is State.ACTIVE
    service.deny("REVOKED")
    await client.refresh(force=True)
    assert client.status().state is State.REVOKED


@pytest.mark.parametrize("forged", [
    b'{"valid": true, "code": "VALID"}',
    b'{"valid": true, "code": "VALID", "token": null}',
    b'{"token": "v1.eyJ2YWxpZCI6dHJ1ZX0.AAAA"}',
    "foreign",
])
async def test_a_proxy_rewriting_the_answer_to_valid_changes_nothing(
        client, service, clock, forged) -> None:
    service.unreachable()
    clock.advance(GRACE_ENDS + HOUR)
    await client.refresh(force=True)
    assert client.status().state is State.LAPSED
    if forged == "foreign":  # a well-formed token signed by a key the app does not trust
        forged = msgspec.json.encode({"token": token(FOREIGN, iat=int(clock()), nbf=int(clock()),
                                                     exp=int(clock()) + LEASE_ENDS)})
    service.raw(200, forged)
    result = await client.refresh(force=True)
    assert not result.ok
    assert client.status().state is State.LAPSED and not on(client).on


async def test_a_replayed_answer_is_ignored(client, service, clock) -> None:
    captured = service.answers[-1]  # the activation's lease, for an older nonce
    service.deny("REVOKED")
    await client.refresh(force=True)
    service.raw(200, captured)
    result = await client.refresh(force=True)
    assert result.code == "nonce_mismatch"
    assert client.status().state is State.REVOKED


async def test_an_older_revision_from_the_service_is_ignored(client, service, store) -> None:
    service.rev = 5
    await client.refresh(force=True)
    newest = (await store.load()).lease
    service.rev = 3  # a lagging replica, say
    result = await client.refresh(force=True)
    assert (result.ok, result.code) == (False, "revision_replayed")
    assert (await store.load()).lease == newest and (await store.load()).revision == 5


async def test_an_older_lease_restored_into_the_database_is_ignored(
        client, service, store, make_client) -> None:
    old = (await store.load()).lease  # revision 1
    service.rev = 4
    await client.refresh(force=True)
    record = await store.load()
    record.lease = old
    await store.save(record)
    restored = make_client(online=lambda: False)
    status = await restored.start()
    assert (status.state, status.reason) == (State.INVALID, "revision_replayed")


async def test_a_refusal_to_renew_stops_renewal_and_forfeits_grace(client, service, clock) -> None:
    service.deny("TOO_MANY_MACHINES")  # the admin lowered the seat count
    await client.refresh(force=True)
    assert client.status().state is State.ACTIVE  # never killed at once
    clock.advance(LEASE_ENDS + HOUR)
    service.unreachable()
    await client.refresh(force=True)
    status = client.status()
    assert (status.state, status.reason) == (State.EXPIRED, "too_many_machines")


async def test_the_subscription_end_in_the_lease_ends_it_offline(client, service, clock) -> None:
    service.lease(subscription_end=int(clock()) + 3 * DAY)
    service.rev = 2
    await client.refresh(force=True)
    service.unreachable()
    clock.advance(3 * DAY)
    await client.refresh(force=True)
    assert (client.status().state, client.status().reason) == (State.EXPIRED, "subscription_ended")


async def test_past_due_works_with_a_warning(client, service) -> None:
    service.lease(status="past_due", code="PAST_DUE")
    service.rev = 2
    await client.refresh(force=True)
    assert client.status().state is State.PAST_DUE
    assert on(client) == (True, "past_due")


async def test_a_lease_copied_to_another_machine_does_not_count(client, make_client) -> None:
    from license.lease import Binding

    elsewhere = make_client(binding=Binding("fp1." + "e" * 64, BINDING.install_id),
                            online=lambda: False)
    status = await elsewhere.start()
    assert status.state is State.FINGERPRINT_MISMATCH and not is_enabled(
        status, "alerts", elsewhere.now()).on


async def test_deactivation_needs_the_services_signed_word(client, service, store) -> None:
    service.unreachable()
    assert (await client.deactivate()).code == "unreachable"
    assert client.status().state is State.ACTIVE
    service.raw(200, b'{"token": "forged"}')
    assert not (await client.deactivate()).ok
    service.deny("DEACTIVATED")
    result = await client.deactivate()
    assert result.ok and result.status.state is State.UNLICENSED
    assert service.requests[-1][0] == DEACTIVATE
    assert (await store.load()).key is None


async def test_nothing_escapes_as_an_exception(client, service, store, make_client) -> None:
    service.unreachable(RuntimeError("a bug in a transport"))
    assert (await client.refresh(force=True)).code == "unreachable"
    record = await store.load()
    record.lease = "v1.junk"
    await store.save(record)
    status = await make_client(online=lambda: False).start()
    assert status.state is State.INVALID


async def test_state_changes_are_announced_once(make_client, service) -> None:
    seen = []
    client = make_client(on_change=seen.append)
    await client.start()
    await client.activate(KEY)
    await client.refresh(force=True)
    service.deny("SUSPENDED")
    await client.refresh(force=True)
    assert [s.state for s in seen] == [State.UNLICENSED, State.ACTIVE, State.SUSPENDED]


async def test_the_httpx_transport_posts_json_to_the_service(make_client, service) -> None:
    import httpx

    async def handler(request: httpx.Request) -> httpx.Response:
        reply: Reply = await service(request.url.path, request.content)
        return httpx.Response(reply.status, content=reply.body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler),
                                 base_url="http://license.invalid") as http:
        client = make_client(transport=httpx_transport(http))
        await client.start()
        assert (await client.activate(KEY)).ok
    assert client.status().state is State.ACTIVE
