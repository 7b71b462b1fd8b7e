"""Validate and refresh are served as plain ASGI (license/service/routes/raw.py):
the same limits and refusals as the Litestar routes, the same answers."""

from __future__ import annotations

import httpx
import pytest

from license.keys import generate_key
from license.service.ratelimit import MemoryLimiter

from .harness import Harness, binding, request_body


async def test_only_post_is_answered(service):
    for path in ("/v1/validate", "/v1/refresh"):
        answer = await service.http.get(path)
        assert answer.status_code == 405
        assert answer.headers["allow"] == "POST"
        assert answer.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


async def test_a_body_over_the_limit_is_refused_whether_announced_or_streamed(service):
    announced = await service.http.post("/v1/validate", content=b"{" + b" " * 70_000 + b"}")
    assert announced.status_code == 413

    async def chunks():  # no Content-Length: counted as it arrives
        for _ in range(80):
            yield b" " * 1000

    streamed = await service.http.post("/v1/refresh", content=chunks())
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "BODY_TOO_LARGE"


async def test_a_body_in_several_chunks_is_read_whole(service):
    _, key = await service.issue("pro")
    body = httpx.Request("POST", "/", json=request_body(key, binding(1))).content

    async def chunks():
        for start in range(0, len(body), 16):
            yield body[start:start + 16]

    answer = await service.http.post("/v1/validate", content=chunks())
    assert answer.status_code == 403  # NO_MACHINE: a signed denial, so the body was parsed
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("trusted", [True, False])
async def test_the_forwarded_address_counts_only_behind_our_own_balancer(database_url, keyring, clock,
                                                                         trusted):
    harness = Harness(database_url, keyring, clock, limiter=MemoryLimiter(clock),
                      requests_per_minute=1, trust_forwarded_for=trusted)
    async with harness.running():
        def ask(hop: str):
            return harness.post("/v1/validate", request_body(generate_key(), binding(1)),
                                headers={"X-Forwarded-For": f"198.51.100.1, {hop}"})

        assert (await ask("192.0.2.1")).status_code == 404
        assert (await ask("192.0.2.1")).status_code == 429
        # Another last hop is another client only when the header is trusted.
        assert (await ask("192.0.2.2")).status_code == (404 if trusted else 429)


async def test_every_spelling_of_the_path_reaches_the_same_route(service):
    """The app calls validate and refresh before its router; a spelling the
    direct table does not hold goes through the router to the same code."""
    _, key = await service.issue("pro")
    assert (await service.call("/v1/activate", key, binding(1))).code == "VALID"
    for path in ("/v1/validate", "/v1/validate/", "/v1/refresh", "/v1/refresh/"):
        assert (await service.call(path, key, binding(1))).code == "VALID", path
        assert (await service.call(path, key, binding(2))).code == "NO_MACHINE", path


@pytest.mark.parametrize("path", ["/v1/validate", "/v1/validate/"])
async def test_an_unexpected_failure_is_a_clear_500_and_logged(service, monkeypatch, caplog, path):
    _, key = await service.issue("pro")

    async def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(service.ctx.lookups, "find", broken)
    answer = await service.post(path, request_body(key, binding(1)))
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "INTERNAL_ERROR"
    assert "the database went away" in caplog.text
