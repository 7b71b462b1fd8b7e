"""Rate limits (LICENSING.md "Service endpoints"): 60 validate/activate per
minute per address, 10 failed activations per key per hour, answered 429
with Retry-After; counters in memory and in a real Redis."""

from __future__ import annotations

import logging
import secrets

import httpx
import pytest

from license.keys import generate_key
from license.service.ratelimit import MemoryLimiter, RedisLimiter
from license.state import State

from tests.server_process import free_port

from .harness import BASE, Harness, binding, request_body


@pytest.fixture(params=["memory", "redis"])
async def limited(request, database_url, keyring, clock):
    """The service with the real limits, counting in memory or in Redis."""
    if request.param == "redis":
        limiter = RedisLimiter(request.getfixturevalue("redis_url"), clock,
                               prefix=f"jdl:test:{secrets.token_hex(6)}:")
    else:
        limiter = MemoryLimiter(clock)
    harness = Harness(database_url, keyring, clock, limiter=limiter,
                      requests_per_minute=60, failed_activations_per_hour=10)
    async with harness.running():
        yield harness


async def test_sixty_requests_per_minute_per_address(limited):
    _, key = await limited.issue("pro")
    paths = ["/v1/validate", "/v1/activate"]
    for n in range(60):
        response = await limited.post(paths[n % 2], request_body(key, binding(1)))
        assert response.status_code != 429, (n, response.text)
    refused = await limited.post("/v1/validate", request_body(key, binding(1)))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    # Another address is counted apart.
    other = httpx.ASGITransport(app=limited.app, client=("198.51.100.9", 5000))
    async with httpx.AsyncClient(transport=other, base_url=BASE) as http:
        response = await http.post("/v1/validate", json=request_body(key, binding(1)))
        assert response.status_code == 200
    limited.clock.advance(int(refused.headers["Retry-After"]))
    assert (await limited.post("/v1/validate", request_body(key, binding(1)))).status_code == 200


async def test_brute_force_on_one_key_is_stopped_after_ten_failures(limited):
    _, key = await limited.issue("pro")
    for n in (1, 2):
        assert (await limited.call("/v1/activate", key, binding(n))).code == "VALID"
    for n in range(10):
        assert (await limited.call("/v1/activate", key, binding(10 + n))).code == "MACHINE_LIMIT_EXCEEDED"
    refused = await limited.post("/v1/activate", request_body(key, binding(99)))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= 3600
    # Validation of the machines that hold the key goes on; other keys are untouched.
    assert (await limited.call("/v1/validate", key, binding(1))).code == "VALID"
    _, other = await limited.issue("pro")
    assert (await limited.call("/v1/activate", other, binding(50))).code == "VALID"
    limited.clock.advance(3600)
    assert (await limited.call("/v1/activate", key, binding(99))).code == "MACHINE_LIMIT_EXCEEDED"


async def test_guessing_keys_is_stopped_per_key(limited):
    guess = generate_key()
    for _ in range(10):
        assert (await limited.call("/v1/activate", guess, binding(1))).code == "NOT_FOUND"
    assert (await limited.post("/v1/activate", request_body(guess, binding(1)))).status_code == 429


async def test_the_client_treats_429_as_unreachable(limited):
    _, key = await limited.issue("pro")
    client = limited.client(binding(1))
    await client.start()
    assert (await client.activate(key)).ok
    for _ in range(60):
        await limited.post("/v1/validate", request_body(key, binding(2)))
    result = await client.refresh(force=True)
    assert (result.ok, result.code) == (False, "unreachable")
    assert client.status().state is State.ACTIVE


async def test_redis_counters_expire_with_their_window(redis_url, clock):
    import redis.asyncio as redis

    prefix = f"jdl:test:{secrets.token_hex(6)}:"
    limiter = RedisLimiter(redis_url, clock, prefix=prefix)
    connection = redis.from_url(redis_url)
    try:
        for _ in range(3):
            assert (await limiter.hit("ip:a", 3, 60)).allowed
        assert not (await limiter.hit("ip:a", 3, 60)).allowed
        await limiter.add("fail:k", 3600)
        assert await limiter.count("fail:k", 3600) == 1
        await limiter.sync()
        keys = [key async for key in connection.scan_iter(match=f"{prefix}*")]
        assert len(keys) == 2
        for key in keys:
            assert 0 < await connection.ttl(key) <= 3601
    finally:
        await connection.delete(*[key async for key in connection.scan_iter(match=f"{prefix}*")] or ["-"])
        await connection.aclose()
        await limiter.close()


async def test_concurrent_hits_are_decided_exactly_and_reach_redis_together(redis_url, clock):
    """Hits are decided in the process, without waiting on Redis: exactly
    ``limit`` of them get through, and Redis gets their sum in one call."""
    import asyncio

    import redis.asyncio as redis

    prefix = f"jdl:test:{secrets.token_hex(6)}:"
    limiter = RedisLimiter(redis_url, clock, prefix=prefix)
    connection = redis.from_url(redis_url)
    try:
        decisions = await asyncio.gather(*(limiter.hit("ip:a", 60, 60) for _ in range(100)))
        assert sum(decision.allowed for decision in decisions) == 60
        assert all(decision.retry_after > 0 for decision in decisions if not decision.allowed)
        others = await asyncio.gather(*(limiter.hit(f"ip:{n}", 1, 60) for n in range(5)))
        assert all(decision.allowed for decision in others)  # counters apart
        assert [key async for key in connection.scan_iter(match=f"{prefix}*")] == []  # not sent yet
        await limiter.sync()
        [key] = [key async for key in connection.scan_iter(match=f"{prefix}ip:a:*")]
        assert int(await connection.get(key)) == 60  # the hits let through
        assert 0 < await connection.ttl(key) <= 61
        assert len([key async for key in connection.scan_iter(match=f"{prefix}*")]) == 6
    finally:
        await connection.delete(*[key async for key in connection.scan_iter(match=f"{prefix}*")] or ["-"])
        await connection.aclose()
        await limiter.close()


async def test_replicas_share_their_counts_through_redis(redis_url, clock):
    """Each replica learns the others' hits at its next exchange with Redis,
    which happens on its own within ``SYNC_SECONDS`` of a hit."""
    import asyncio

    prefix = f"jdl:test:{secrets.token_hex(6)}:"
    first, second = (RedisLimiter(redis_url, clock, prefix=prefix) for _ in range(2))
    try:
        assert all([(await first.hit("ip:a", 60, 60)).allowed for _ in range(40)])
        await first.sync()
        assert (await second.hit("ip:a", 60, 60)).allowed  # before it has heard of the first's 40
        await asyncio.sleep(first.SYNC_SECONDS * 4)  # its own exchange, unprompted
        decisions = [(await second.hit("ip:a", 60, 60)).allowed for _ in range(30)]
        assert sum(decisions) == 19 and decisions[19:] == [False] * 11
        await second.sync()
        assert await first.count("ip:a", 60) == 60  # a read brings the first up to date
        assert not (await first.hit("ip:a", 60, 60)).allowed
    finally:
        for limiter in (first, second):
            await limiter.close()
        import redis.asyncio as redis

        connection = redis.from_url(redis_url)
        await connection.delete(*[key async for key in connection.scan_iter(match=f"{prefix}*")] or ["-"])
        await connection.aclose()


async def test_a_failing_redis_falls_back_to_memory_and_the_limits_still_hold(database_url, keyring, clock):
    warnings: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warnings.append
    logging.getLogger("jobdeck.license.ratelimit").addHandler(handler)
    limiter = RedisLimiter(f"redis://127.0.0.1:{free_port()}/0", clock)  # nothing listens there
    harness = Harness(database_url, keyring, clock, limiter=limiter,
                      requests_per_minute=5, failed_activations_per_hour=10)
    async with harness.running():
        _, key = await harness.issue("pro")
        codes = [(await harness.post("/v1/activate", request_body(key, binding(1)))).status_code for _ in range(5)]
        assert codes == [200] * 5
        refused = await harness.post("/v1/validate", request_body(key, binding(1)))
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "RATE_LIMITED"
    logging.getLogger("jobdeck.license.ratelimit").removeHandler(handler)
    assert len(warnings) == 1 and "Redis failed" in warnings[0].getMessage()  # once a minute, not per request
