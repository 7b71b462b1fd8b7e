"""Validation without a write transaction, lazy lease renewal, and the
buffered usage log (license/service/validation.py, usage.py), on SQLite
and PostgreSQL."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest
from sqlalchemy import func, select, text

from license.keys import generate_key, hash_key, key_prefix
from license.service.app import create_service
from license.service.config import ServiceConfig
from license.service.hashing import key_digest_and_prefix
from license.service.issuing import set_status
from license.service.machines import lock_license
from license.service.models import ApiUsage, License, Machine
from license.service.usage import UsageLog
from license.service.validation import RENEW_AFTER

from .harness import BASE, GENEROUS, Harness, binding, request_body


async def _usage_rows(ctx) -> int:
    async with ctx.sessions() as session:
        return await session.scalar(select(func.count()).select_from(ApiUsage))


def test_display_form_keys_hash_as_hash_key_does():
    secret = secrets.token_bytes(32)
    for _ in range(200):
        key = generate_key()
        for typed in (key, key.lower(), key.replace("-", " ")):
            assert key_digest_and_prefix(secret, typed) == (hash_key(key, secret), True, key_prefix(key))
    wrong_check = key[:-1] + ("0" if key[-1] != "0" else "1")
    key_hash, well_formed, prefix = key_digest_and_prefix(secret, wrong_check)
    assert not well_formed and prefix == "JDK-?????"


async def test_a_validation_that_changes_nothing_writes_nothing(service):
    _, key = await service.issue("pro")
    lease = await service.call("/v1/activate", key, binding(1))
    before = await service.get(Machine, lease.machine_id)
    service.clock.advance(RENEW_AFTER - 1)
    again = await service.call("/v1/validate", key, binding(1))
    after = await service.get(Machine, lease.machine_id)
    assert again.code == "VALID" and again.nonce != lease.nonce
    assert (after.lease_issued_at, after.last_seen_at) == (before.lease_issued_at, before.last_seen_at)
    # The lease never outlives what the database holds (seat reclaim counts from it).
    assert again.exp == after.lease_expires_at == lease.exp


async def test_an_older_lease_is_renewed_and_the_lease_carries_the_stored_expiry(service):
    _, key = await service.issue("pro")
    lease = await service.call("/v1/activate", key, binding(1))
    service.clock.advance(RENEW_AFTER + 1)
    renewed = await service.call("/v1/validate", key, binding(1))
    machine = await service.get(Machine, lease.machine_id)
    assert renewed.exp == machine.lease_expires_at == lease.exp + RENEW_AFTER + 1
    assert machine.last_seen_at == machine.lease_issued_at == service.ctx.now()


async def test_revocation_is_seen_by_the_very_next_validation(service):
    license, key = await service.issue("pro")
    await service.call("/v1/activate", key, binding(1))
    assert (await service.call("/v1/validate", key, binding(1))).code == "VALID"
    async with service.ctx.sessions.begin() as session:  # what `jobdeck-license revoke` does
        set_status(await lock_license(session, license.id), "revoked", service.ctx.now())
    denied = await service.call("/v1/validate", key, binding(1))
    assert (denied.typ, denied.code, denied.status) == ("denial", "REVOKED", "revoked")


async def test_a_change_made_through_one_instance_is_seen_by_another(service, database_url):
    """Two service processes on one database: nothing is cached between
    requests, so neither can answer from a stale state."""
    license, key = await service.issue("pro")
    await service.call("/v1/activate", key, binding(1))
    other = Harness(database_url, service.keys, service.clock)
    async with other.running():
        assert (await other.call("/v1/validate", key, binding(1))).code == "VALID"
        await service.call("/v1/deactivate", key, binding(1))
        assert (await other.call("/v1/validate", key, binding(1))).code == "NO_MACHINE"


async def test_validation_reads_while_another_transaction_holds_the_write_lock(service):
    _, key = await service.issue("pro")
    await service.call("/v1/activate", key, binding(1))
    async with service.ctx.sessions.begin() as session:
        await lock_license(session, (await session.scalars(select(License.id))).one())
        claims = await service.call("/v1/validate", key, binding(1))
    assert claims.code == "VALID"


@pytest.fixture
async def unhurried(database_url, keyring, clock):
    """The service with a usage log that flushes only when told (or full)."""
    harness = Harness(database_url, keyring, clock)
    harness.ctx.usage = UsageLog(harness.ctx.engine, interval=3600)
    async with harness.running():
        yield harness


async def test_usage_rows_are_buffered_then_written_in_one_flush(unhurried):
    _, key = await unhurried.issue("pro")
    await unhurried.call("/v1/activate", key, binding(1))
    for _ in range(5):
        await unhurried.call("/v1/validate", key, binding(1))
    await unhurried.post("/v1/validate", b"{not json")
    assert len(unhurried.ctx.usage) == 7 and await _usage_rows(unhurried.ctx) == 0
    assert await unhurried.ctx.usage.flush() == 7
    assert len(unhurried.ctx.usage) == 0 and await _usage_rows(unhurried.ctx) == 7
    async with unhurried.ctx.sessions() as session:
        rows = (await session.execute(select(ApiUsage.code, ApiUsage.key_hash))).all()
    assert sorted(code for code, _ in rows) == sorted(["VALID"] * 6 + ["BAD_REQUEST"])
    assert {key_hash for code, key_hash in rows if code == "VALID"} == {
        hash_key(key, unhurried.keys.key_secret)}  # hashed keys only


async def test_the_usage_report_includes_rows_not_yet_flushed(unhurried):
    org, token = await unhurried.organisation()
    license, _ = await unhurried.issue("team", seats=1, org_id=org)
    member = await unhurried.member_key(license, "ann@example.com")
    await unhurried.call("/v1/activate", member, binding(1))
    report = (await unhurried.http.get(f"/v1/orgs/{org}/usage",
                                       headers={"Authorization": f"Bearer {token}"})).json()
    assert [(c["route"], c["code"], c["count"]) for c in report["calls"]] == [("activate", "VALID", 1)]


async def test_a_full_buffer_flushes_without_waiting_for_the_clock(service):
    usage = UsageLog(service.ctx.engine, interval=3600, max_rows=3)
    for n in range(3):
        usage.record(at=n, route="validate", code="VALID", http_status=200, latency_us=1)
    while len(usage) or usage._flushes:  # the flush task the third row started
        await asyncio.sleep(0)
    assert await _usage_rows(service.ctx) == 3
    await usage.close()
    await usage.close()  # twice is fine


async def test_usage_rows_wait_while_the_database_refuses_them(service):
    usage = UsageLog(service.ctx.engine, interval=3600)
    for n in range(5):
        usage.record(at=n, route="validate", code="VALID", http_status=200, latency_us=1,
                     key_hash=f"{n:064x}", license_id=None, client_hash="c" * 64)
    async with service.ctx.engine.begin() as connection:
        await connection.execute(text("ALTER TABLE api_usage RENAME TO api_usage_away"))
    try:
        assert await usage.flush() == 0
        assert len(usage) == 5
    finally:
        async with service.ctx.engine.begin() as connection:
            await connection.execute(text("ALTER TABLE api_usage_away RENAME TO api_usage"))
    assert await usage.flush() == 5 and len(usage) == 0
    async with service.ctx.sessions() as session:
        stored = (await session.execute(select(ApiUsage.at, ApiUsage.key_hash, ApiUsage.client_hash)
                                        .order_by(ApiUsage.at))).all()
    assert [tuple(row) for row in stored] == [(n, f"{n:064x}", "c" * 64) for n in range(5)]
    assert service.ctx.engine.pool.checkedout() == 0


async def test_an_orderly_shutdown_loses_no_usage_row(database_url, keyring, clock):
    harness = Harness(database_url, keyring, clock)
    async with harness.running():
        _, key = await harness.issue("pro")
        await harness.call("/v1/activate", key, binding(1))
        for _ in range(20):
            await harness.call("/v1/validate", key, binding(1))
    check = Harness(database_url, keyring, clock)
    async with check.running():
        assert await _usage_rows(check.ctx) == 21


async def test_the_lifespan_flushes_usage_on_shutdown(database_url, keyring):
    app = create_service(ServiceConfig(database_url=database_url, **GENEROUS), keys=keyring)
    app.state.ctx.usage = UsageLog(app.state.ctx.engine, interval=3600)  # only shutdown writes
    async with app.lifespan():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as http:
            for _ in range(4):
                response = await http.post("/v1/validate", json=request_body(generate_key(), binding(1)))
                assert response.status_code == 404
    assert await _rows_at(database_url) == 4


async def _rows_at(database_url: str) -> int:
    from license.service.db import create_engine

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.scalar(select(func.count()).select_from(ApiUsage))
    finally:
        await engine.dispose()


async def test_validations_that_arrive_together_share_one_read_and_each_get_their_own_answer(unhurried):
    """A batch mixing valid machines, a revoked license, an unknown machine
    and an unknown key: one database round trip, and no answer taken from a
    neighbour. (The usage log flushes only when told, so the one connection
    taken from the pool is the read's.)"""
    from sqlalchemy import event

    service = unhurried
    valid, valid_key = await service.issue("pro")
    revoked, revoked_key = await service.issue("pro")
    for key, n in ((valid_key, 1), (valid_key, 2), (revoked_key, 3)):
        await service.call("/v1/activate", key, binding(n))
    async with service.ctx.sessions.begin() as session:
        set_status(await lock_license(session, revoked.id), "revoked", service.ctx.now())
    asked = [(valid_key, 1, "VALID"), (revoked_key, 3, "REVOKED"), (valid_key, 2, "VALID"),
             (valid_key, 9, "NO_MACHINE"), (generate_key(), 1, "NOT_FOUND"), (valid_key, 1, "VALID")]
    checkouts = []
    pool = service.ctx.engine.sync_engine.pool

    def count(*args):
        checkouts.append(args)

    event.listen(pool, "checkout", count)
    try:
        answers = await asyncio.gather(*(service.call("/v1/validate", key, binding(n))
                                         for key, n, _ in asked))
    finally:
        event.remove(pool, "checkout", count)
    assert [answer.code for answer in answers] == [code for _, _, code in asked]
    assert [answer.license_id for answer in answers[:3]] == [valid.id, revoked.id, valid.id]
    assert answers[0].machine_id == answers[5].machine_id != answers[2].machine_id
    assert len(checkouts) == 1  # one read for all six


async def test_a_revocation_between_two_batches_is_seen_by_the_second(service):
    license, key = await service.issue("pro")
    for n in (1, 2):
        await service.call("/v1/activate", key, binding(n))
    first = await asyncio.gather(*(service.call("/v1/validate", key, binding(n)) for n in (1, 2)))
    assert [claims.code for claims in first] == ["VALID", "VALID"]
    async with service.ctx.sessions.begin() as session:
        set_status(await lock_license(session, license.id), "revoked", service.ctx.now())
    second = await asyncio.gather(*(service.call("/v1/validate", key, binding(n)) for n in (1, 2)))
    assert [claims.code for claims in second] == ["REVOKED", "REVOKED"]
