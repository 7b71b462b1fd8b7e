"""License service: validate requests per second and p50/p95/p99 latency of
one service process, against a trivial JSON endpoint (``GET /health``) of the
same server in the same run as the ceiling (issue 6: at least 40 % of the
ceiling, p99 under 25 ms, at 50 concurrent clients).

The server is ``jobdeck-license serve`` (uvicorn, one worker) in its own
process, on PostgreSQL when ``JOBDECK_BENCH_POSTGRES_URL`` (or
``JOBDECK_TEST_POSTGRES_URL``) names one, else on SQLite (noted in the
result); its rate-limit counters are in Redis when ``JOBDECK_BENCH_REDIS_URL``
(or ``JOBDECK_TEST_REDIS_URL``) names one, as in production. The limits are
raised so that every request is counted but none is refused.

The load generator is this process: ``CLIENTS`` keep-alive HTTP/1.1
connections on raw asyncio streams (lighter than an HTTP library, so the
client takes less of the CPU it shares with the server), each sending its
next request when the previous answer is in. Each validate is for one of
``MACHINES`` machines activated beforehand on ``LICENSES`` Pro licenses,
with a fresh nonce, and gets the full path: rate-limit counter, key, seat and
machine lookup, usage row, Ed25519-signed lease. A sample of the answers is
verified (signature, nonce, fingerprint) before the measured rounds.

Rounds interleave the two endpoints (alternating which goes first), so both
see the same machine weather; rps is requests over wall time per endpoint,
latencies are pooled over the rounds. The load generator's own CPU (and the
server's, read from /proc where there is one) is reported beside the figures:
on a machine with few cores the client competes with the server, which
lowers both figures, the ceiling more.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLIENTS = 50
LICENSES = 200
MACHINES = 2 * LICENSES  # Pro: two machines each
ROUNDS = 6
ROUND_SECONDS = 4.0
WARMUP_SECONDS = 2.0
TARGET_RATIO, TARGET_P99_MS = 0.40, 25.0


def _binding(n: int) -> tuple[str, str]:
    return f"fp1.{n:064d}", f"fp1.{n:064x}"


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
            for _ in range(LICENSES):
                _, key = await issue_license(session, ring.key_secret, plan="pro", now=int(time.time()))
                keys.append(key)
    finally:
        await engine.dispose()
    return keys


class Connection:
    """One keep-alive HTTP/1.1 connection; one request in flight at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str):
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer, f"{host}:{port}")

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw[9:12])
        length = None
        for line in raw.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            raise RuntimeError(f"{path}: an answer without Content-Length: {raw[:200]!r}")
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


def _validate_body(keys: list[str]) -> bytes:
    n = random.randrange(MACHINES)
    fingerprint, install = _binding(n)
    return json.dumps({"key": keys[n // 2], "fingerprint": fingerprint, "installId": install,
                       "nonce": secrets.token_urlsafe(18), "platform": "linux"}).encode()


async def _phase(connections: list[Connection], kind: str, keys: list[str],
                 seconds: float) -> dict:
    """Every connection sends requests back to back for ``seconds``."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(connection: Connection) -> None:
        while time.perf_counter() < deadline:
            if kind == "validate":
                body = _validate_body(keys)
                started = time.perf_counter()
                status, answer = await connection.request("POST", "/v1/validate", body)
            else:
                started = time.perf_counter()
                status, answer = await connection.request("GET", "/health")
            latencies.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"{kind} answered {status}: {answer[:200]!r}")

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client(c) for c in connections))
    wall = time.perf_counter() - started
    return {"kind": kind, "requests": len(latencies), "wall": wall, "latencies": latencies,
            "client_cpu": time.process_time() - cpu}


def _server_cpu(pid: int) -> float | None:
    """User + system CPU seconds of the server process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _summary(phases: list[dict]) -> dict:
    latencies = sorted(x for phase in phases for x in phase["latencies"])
    cuts = statistics.quantiles(latencies, n=100)
    wall = sum(phase["wall"] for phase in phases)
    requests = sum(phase["requests"] for phase in phases)
    summary = {"rps": round(requests / wall), "p50_ms": _ms(cuts[49]), "p95_ms": _ms(cuts[94]),
               "p99_ms": _ms(cuts[98]), "max_ms": _ms(latencies[-1]), "requests": requests,
               "client_cpu_of_one_core": round(sum(p["client_cpu"] for p in phases) / wall, 2)}
    if all(phase.get("server_cpu") is not None for phase in phases):
        summary["server_cpu_of_one_core"] = round(sum(p["server_cpu"] for p in phases) / wall, 2)
    return summary


async def _check_answers(connection: Connection, keys: list[str], public_keys: dict) -> None:
    """A few validate answers, verified the way the app does: signed by the
    service's key, bound to the request's nonce and machine, a lease."""
    from license.lease import Binding, Trust, decode

    trust = Trust.from_text(public_keys)
    for n in range(0, MACHINES, max(1, MACHINES // 10)):
        fingerprint, install = _binding(n)
        nonce = secrets.token_urlsafe(18)
        body = json.dumps({"key": keys[n // 2], "fingerprint": fingerprint, "installId": install,
                           "nonce": nonce, "platform": "linux"}).encode()
        status, answer = await connection.request("POST", "/v1/validate", body)
        claims = decode(json.loads(answer)["token"], trust, types=frozenset({"lease"}),
                        binding=Binding(fingerprint, install), nonce=nonce)
        if status != 200 or claims.code != "VALID":
            raise RuntimeError(f"validate of machine {n}: {status} {claims.code}")


async def _measure(host: str, port: int, keys: list[str], server_pid: int) -> dict:
    deadline = time.monotonic() + 60
    while True:
        try:
            probe = await Connection.open(host, port)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("the service did not start listening within 60 s") from None
            await asyncio.sleep(0.1)
    try:
        for n in range(MACHINES):
            fingerprint, install = _binding(n)
            body = json.dumps({"key": keys[n // 2], "fingerprint": fingerprint, "installId": install,
                               "nonce": secrets.token_urlsafe(18), "platform": "linux"}).encode()
            status, answer = await probe.request("POST", "/v1/activate", body)
            if status != 200:
                raise RuntimeError(f"activation failed: {status} {answer[:200]!r}")
        status, answer = await probe.request("GET", "/v1/keys")
        await _check_answers(probe, keys, json.loads(answer)["keys"])
    finally:
        probe.close()

    connections = [await Connection.open(host, port) for _ in range(CLIENTS)]
    try:
        for kind in ("validate", "health"):
            await _phase(connections, kind, keys, WARMUP_SECONDS)
        phases: dict[str, list[dict]] = {"validate": [], "health": []}
        rounds = []
        load_before = os.getloadavg()
        for index in range(ROUNDS):
            order = ("validate", "health") if index % 2 == 0 else ("health", "validate")
            row = {"round": index + 1}
            for kind in order:
                cpu = _server_cpu(server_pid)
                phase = await _phase(connections, kind, keys, ROUND_SECONDS)
                after = _server_cpu(server_pid)
                phase["server_cpu"] = None if cpu is None or after is None else after - cpu
                phases[kind].append(phase)
                row[f"{kind}_rps"] = round(phase["requests"] / phase["wall"])
            row["ratio"] = round(row["validate_rps"] / row["health_rps"], 3)
            rounds.append(row)
        load_after = os.getloadavg()
    finally:
        for connection in connections:
            connection.close()
    validate, ceiling = _summary(phases["validate"]), _summary(phases["health"])
    ratio = validate["rps"] / ceiling["rps"]
    return {"validate": validate, "ceiling_health": ceiling, "rps_ratio": round(ratio, 3),
            "round_ratio_median": statistics.median(row["ratio"] for row in rounds),
            "target": f"ratio >= {TARGET_RATIO}, validate p99 < {TARGET_P99_MS} ms",
            "meets_target": ratio >= TARGET_RATIO and validate["p99_ms"] < TARGET_P99_MS,
            "rounds": rounds,
            "machine": {"cpus": os.cpu_count(), "load_1min_before": round(load_before[0], 2),
                        "load_1min_after": round(load_after[0], 2)}}


def _run_loop(coroutine):
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def run() -> dict:
    postgres = os.environ.get("JOBDECK_BENCH_POSTGRES_URL") or os.environ.get("JOBDECK_TEST_POSTGRES_URL")
    redis_url = os.environ.get("JOBDECK_BENCH_REDIS_URL") or os.environ.get("JOBDECK_TEST_REDIS_URL")
    with tempfile.TemporaryDirectory() as tmp:
        secrets_file = Path(tmp) / "secrets.json"
        from license.service.signing import KeyRing

        KeyRing.generate().save(secrets_file)
        url = postgres or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        keys = asyncio.run(_prepare(url, secrets_file))
        from tests.server_process import free_port

        port = free_port()
        env = {**os.environ, "JOBDECK_LICENSE_REQUESTS_PER_MINUTE": str(10**9),
               "JOBDECK_LICENSE_FAILED_ACTIVATIONS_PER_HOUR": str(10**9)}
        command = [sys.executable, "-m", "license.service.cli", "serve", "--no-migrate",
                   "--port", str(port), "--database-url", url, "--secrets-file", str(secrets_file)]
        if redis_url:
            command += ["--redis-url", redis_url]
        log = Path(tmp) / "server.log"  # a file, not a pipe: a full pipe would stall the server
        with log.open("wb") as output:
            server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
            try:
                result = _run_loop(_measure("127.0.0.1", port, keys, server.pid))
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        problems = [line for line in log.read_text(errors="replace").splitlines()
                    if "Traceback" in line or "ERROR" in line]
        if problems:
            raise RuntimeError("the service logged errors: " + "; ".join(problems[:5]))
    result = {"database": "postgresql" if postgres else "sqlite",
              "rate_limit_counters": "redis" if redis_url else "memory",
              "clients": CLIENTS, "machines": MACHINES, "rounds_x_seconds": f"{ROUNDS} x {ROUND_SECONDS}",
              **result}
    if not postgres:
        result["note"] = ("no PostgreSQL URL given (JOBDECK_BENCH_POSTGRES_URL): measured on SQLite, "
                          "whose single writer serialises every write")
    return result
