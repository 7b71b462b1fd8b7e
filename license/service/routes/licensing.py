"""The routes the app calls: validate, refresh, activate, deactivate, list
machines, and the public key set. Every answer of the first four is
``{"token": "v1.…"}`` (a lease or a signed denial); the machine list and the
key set carry a detached signature header. Busy answers (429) are never
signed: the app treats them as "unreachable" whatever they say.

Validation reads in one statement and writes only when the lease is due for
renewal (:mod:`license.service.validation`); every other outcome that
changes state runs in a transaction. Usage rows go to the buffered usage
log (:class:`license.service.usage.UsageLog`), never into the request's
transaction. Validate and refresh, the bulk of the traffic, are plain ASGI
routes (:mod:`.raw`); all four answer through :func:`answer`.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated, Awaitable, Callable

import msgspec
from litestar import Request, Response, get, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from license.lease import ISSUER

from ..app import MAX_BODY
from ..context import ServiceContext, log
from ..hashing import key_digest
from ..leases import claims_for
from ..machines import (Hashed, LicenseRequest, Outcome, activate, deactivate, find_seat,
                        live_clause, validate)
from ..models import Machine
from ..validation import validate as validate_quickly
from . import (Reply, client_address, client_hash, context_of, error, error_reply, json_reply,
               json_response, to_response)
from .raw import raw_post

__all__ = ["ROUTES", "RAW_ROUTES"]

Action = Callable[[ServiceContext, AsyncSession, LicenseRequest, Hashed], Awaitable[Outcome]]
_HTTP = {"VALID": 200, "PAST_DUE": 200, "DEACTIVATED": 200, "NOT_FOUND": 404}
MINUTE, HOUR = 60, 3600


class MachinesRequest(msgspec.Struct, rename="camel"):
    key: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]


async def _throttled(ctx: ServiceContext, client: str) -> Reply | None:
    """60 requests per minute per client address (``client``: its hash; configurable)."""
    decision = await ctx.limiter.hit(f"ip:{client}", ctx.config.requests_per_minute, MINUTE)
    if decision.allowed:
        return None
    return _busy(ctx, decision.retry_after, "Too many requests from this address.")


def _busy(ctx: ServiceContext, retry_after: int, message: str) -> Reply:
    return error_reply(ctx, 429, "RATE_LIMITED", f"{message} Try again in {retry_after} s.",
                       headers={"Retry-After": str(retry_after)})


def _log_refusal(ctx: ServiceContext, client: str, route: str, code: str, status: int,
                 started: float, key_hash: str | None = None) -> None:
    ctx.usage.record(at=ctx.now(), route=route, code=code, http_status=status,
                     latency_us=int((time.perf_counter() - started) * 1e6), key_hash=key_hash,
                     client_hash=client)


async def answer(ctx: ServiceContext, address: str, body: bytes, route: str, action: Action) -> Reply:
    """The signed answer of validate, refresh, activate or deactivate to
    ``body`` from a client at ``address``, whichever way it was served."""
    started = time.perf_counter()
    client = client_hash(ctx, address)
    busy = await _throttled(ctx, client)
    if busy is not None:
        _log_refusal(ctx, client, route, "RATE_LIMITED", 429, started)
        return busy
    try:
        data = msgspec.json.decode(body, type=LicenseRequest)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        _log_refusal(ctx, client, route, "BAD_REQUEST", 400, started)
        return error_reply(ctx, 400, "BAD_REQUEST", f"Not a license request: {exc}")
    hashed = Hashed.of(ctx.keys.key_secret, data)
    failures = f"fail:{hashed.key}"
    if route == "activate":  # 10 failed activations per key per hour
        if await ctx.limiter.count(failures, HOUR) >= ctx.config.failed_activations_per_hour:
            _log_refusal(ctx, client, route, "RATE_LIMITED", 429, started, hashed.key)
            return _busy(ctx, HOUR - ctx.now() % HOUR, "Too many failed activations for this key.")
    outcome = await validate_quickly(ctx, data, hashed) if action is validate else None
    if outcome is None:
        async with ctx.sessions.begin() as session:
            outcome = await action(ctx, session, data, hashed)
    # Signed after the commit: no lease for a state that did not persist.
    now = ctx.now()
    token = ctx.keys.sign_claims(claims_for(outcome, data, ctx.keys.current, now))
    status = _HTTP.get(outcome.code, 200 if route == "deactivate" else 403)
    ctx.usage.record(at=now, route=route, code=outcome.code, http_status=status,
                     latency_us=int((time.perf_counter() - started) * 1e6), key_hash=hashed.key,
                     license_id=outcome.license.id if outcome.license else None, client_hash=client)
    if route == "activate" and not outcome.leased:
        await ctx.limiter.add(failures, HOUR)
    # Validations are the bulk of the traffic and each is in the usage log
    # already: a line apiece only when debugging. Changes are logged.
    log.log(logging.DEBUG if action is validate else logging.INFO,
            "%s %s: %s", route, hashed.key_prefix, outcome.code)
    return json_reply(ctx, {"token": token}, status)


async def _answer(request: Request, route: str, action: Action) -> Response:
    ctx = context_of(request)
    body = await request.body()
    return to_response(await answer(ctx, client_address(ctx, request), body, route, action))


async def _validate(ctx: ServiceContext, address: str, body: bytes) -> Reply:
    return await answer(ctx, address, body, "validate", validate)


async def _refresh(ctx: ServiceContext, address: str, body: bytes) -> Reply:
    """The same as validate: a valid machine gets a fresh lease either way."""
    return await answer(ctx, address, body, "refresh", validate)


# The bulk of the traffic, served without Litestar's request and response
# objects (routes/raw.py); same answers, same limits.
validate_route = raw_post("/validate", _validate, max_body=MAX_BODY, name="validate")
refresh_route = raw_post("/refresh", _refresh, max_body=MAX_BODY, name="refresh")


@post("/activate", status_code=200)
async def activate_route(request: Request) -> Response:
    return await _answer(request, "activate", activate)


@post("/deactivate", status_code=200)
async def deactivate_route(request: Request) -> Response:
    return await _answer(request, "deactivate", deactivate)


@post("/machines", status_code=200)
async def machines_route(request: Request) -> Response:
    """The machines of the caller's seat (Pro: the license), for the app's
    "my devices" screen. Needs the key: a key lists only its own seat."""
    ctx, started = context_of(request), time.perf_counter()
    client = client_hash(ctx, client_address(ctx, request))
    busy = await _throttled(ctx, client)
    if busy is not None:
        return to_response(busy)
    try:
        data = msgspec.json.decode(await request.body(), type=MachinesRequest)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        return error(ctx, 400, "BAD_REQUEST", f"Not a machine list request: {exc}")
    key_hash, well_formed = key_digest(ctx.keys.key_secret, data.key)
    async with ctx.sessions.begin() as session:
        found = await find_seat(session, key_hash) if well_formed else None
        now = ctx.now()
        if found is None:
            code, status, body = "NOT_FOUND", 404, {"error": {"code": "NOT_FOUND",
                                                              "message": "No license has this key."}}
        else:
            seat, license = found
            rows = (await session.execute(select(Machine).where(Machine.seat_id == seat.id)
                                          .order_by(Machine.activated_at, Machine.id))).scalars().all()
            live = set((await session.execute(select(Machine.id).where(
                Machine.seat_id == seat.id, live_clause(license, now)))).scalars())
            code, status = "OK", 200
            body = {"licenseId": license.id, "seatId": seat.id, "machines": [
                {"id": m.id, "name": m.name, "platform": m.platform, "activatedAt": m.activated_at,
                 "lastSeenAt": m.last_seen_at, "leaseExpiresAt": m.lease_expires_at,
                 "deactivatedAt": m.deactivated_at, "live": m.id in live} for m in rows]}
    ctx.usage.record(at=now, route="machines", code=code, http_status=status,
                     latency_us=int((time.perf_counter() - started) * 1e6), key_hash=key_hash,
                     client_hash=client)
    return json_response(ctx, body, status, signed=True)


@get("/keys")
async def keys_route(request: Request) -> Response:
    """The public key set: current (signing now) and next (signing after the
    next rotation). Apps pin both."""
    ctx = context_of(request)
    keys = ctx.keys
    return json_response(ctx, {"issuer": ISSUER, "current": keys.current, "next": keys.next,
                               "keys": keys.public_keys()}, signed=True)


RAW_ROUTES = [validate_route, refresh_route]
ROUTES = [validate_route, refresh_route, activate_route, deactivate_route, machines_route, keys_route]
