"""License service: validate requests per second and p99 latency of one
service process, against a trivial JSON endpoint (``/health``) of the same
server in the same run, reported as a ratio.

The service runs as ``jobdeck-license serve`` in its own process (uvicorn,
one worker) on PostgreSQL when ``JOBDECK_BENCH_POSTGRES_URL`` (or
``JOBDECK_TEST_POSTGRES_URL``) names one, else on SQLite (noted in the
result). Each validate is the full path: rate-limit counter, key lookup,
seat and machine checks, lease renewal, usage row, commit, Ed25519 signature.
The load comes from this process: ``CONCURRENCY`` requests in flight over
keep-alive connections, round-robin over ``MACHINES`` activated machines.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONCURRENCY = 16
MACHINES = 100
REQUESTS = 3000
WARMUP = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _prepare(url: str, secrets_file: Path) -> list[str]:
    from license.service.db import create_engine, make_sessions, migrate
    from license.service.issuing import issue_license
    from license.service.signing import KeyRing

    await migrate(url)
    ring = KeyRing.load(secrets_file)
    engine = create_engine(url)
    keys = []
    try:
        async with make_sessions(engine).begin() as session:
            for _ in range(MACHINES // 2):
                _, key = await issue_license(session, ring.key_secret, plan="pro", now=int(time.time()))
                keys.append(key)
    finally:
        await engine.dispose()
    return keys


def _body(key: str, n: int) -> dict:
    return {"key": key, "fingerprint": f"fp1.{n:064d}", "installId": f"fp1.{n:064x}",
            "nonce": secrets.token_urlsafe(18), "platform": "linux"}


async def _load(base: str, make_request, total: int) -> tuple[float, list[float]]:
    import httpx

    latencies: list[float] = []
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        async def worker() -> None:
            for n in counter:
                method, path, body = make_request(n)
                started = time.perf_counter()
                response = await http.request(method, path, json=body)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    return total / elapsed, latencies


def _p99_ms(latencies: list[float]) -> float:
    return round(statistics.quantiles(latencies, n=100)[98] * 1000, 2)


async def _measure(base: str, keys: list[str]) -> dict:
    import httpx

    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(300):
            try:
                if (await http.get("/health")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        for n in range(MACHINES):
            answer = await http.post("/v1/activate", json=_body(keys[n // 2], n))
            if answer.status_code != 200:
                raise RuntimeError(f"activation failed: {answer.status_code} {answer.text[:200]}")

    def validate(n: int):
        machine = n % MACHINES
        return "POST", "/v1/validate", _body(keys[machine // 2], machine)

    def health(n: int):
        return "GET", "/health", None

    await _load(base, validate, WARMUP)
    await _load(base, health, WARMUP)
    validate_rps, validate_lat = await _load(base, validate, REQUESTS)
    health_rps, health_lat = await _load(base, health, REQUESTS)
    return {"validate": {"rps": round(validate_rps), "p50_ms": round(statistics.median(validate_lat) * 1000, 2),
                         "p99_ms": _p99_ms(validate_lat)},
            "trivial_json": {"rps": round(health_rps), "p50_ms": round(statistics.median(health_lat) * 1000, 2),
                             "p99_ms": _p99_ms(health_lat)},
            "rps_ratio": round(validate_rps / health_rps, 3),
            "p99_ratio": round(_p99_ms(validate_lat) / _p99_ms(health_lat), 2)}


def run() -> dict:
    postgres = os.environ.get("JOBDECK_BENCH_POSTGRES_URL") or os.environ.get("JOBDECK_TEST_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as tmp:
        secrets_file = Path(tmp) / "secrets.json"
        from license.service.signing import KeyRing

        KeyRing.generate().save(secrets_file)
        url = postgres or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        keys = asyncio.run(_prepare(url, secrets_file))
        port = _free_port()
        env = {**os.environ, "JOBDECK_LICENSE_REQUESTS_PER_MINUTE": str(10**9),
               "JOBDECK_LICENSE_FAILED_ACTIVATIONS_PER_HOUR": str(10**9)}
        server = subprocess.Popen(
            [sys.executable, "-m", "license.service.cli", "serve", "--no-migrate", "--port", str(port),
             "--database-url", url, "--secrets-file", str(secrets_file)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            result = asyncio.run(_measure(f"http://127.0.0.1:{port}", keys))
        finally:
            server.terminate()
            server.wait(timeout=30)
    database = "postgresql" if postgres else "sqlite"
    result = {"database": database, "concurrency": CONCURRENCY, "requests": REQUESTS, **result}
    if not postgres:
        result["note"] = ("no PostgreSQL URL given (JOBDECK_BENCH_POSTGRES_URL): measured on SQLite, "
                          "whose single writer serialises every validate")
    return result
