"""Validation without a write transaction (``/v1/validate``, ``/v1/refresh``).

The same decisions as :func:`license.service.machines.validate`, read in ONE
statement: the seat by key hash, its license, the machine by (license,
fingerprint hash) and, as correlated counts, the seat's place among the
license's seats and the machine's among its seat's live machines (all on
unique or indexed columns). It runs outside any transaction, so a
validation that changes nothing costs one round trip and no commit.
Validations that arrive together share that statement (:class:`Lookups`:
one row of a ``wanted`` table per request, so one round trip answers them
all). Nothing is cached between requests:
the next validation after a revocation, a Stripe event, a deactivation or an
admin change reads the new state, and every answer is signed for its own
nonce and fingerprint by the route.

Renewal is lazy: the machine's row (last seen, lease issued, lease expiry)
is written only when its stored lease was issued more than ``RENEW_AFTER``
ago, and the lease handed out carries the stored expiry. So a lease may be
up to ``RENEW_AFTER`` shorter than the policy's lifetime, and never longer
than what the database holds: seat reclaim (expiry + grace passed) never
frees a place before the last lease handed out and its grace have run out.
``last_seen_at`` is as stale as ``RENEW_AFTER`` for a machine that checks in
more often than that.

The renewal is one guarded UPDATE (still not deactivated, same seat, same
install). When it matches no row, or the machine's place was freed and must
be taken back (an activation, which locks the license), :func:`validate`
returns ``None`` and the route runs the transactional path instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from sqlalchemy import (BigInteger, Integer, String, and_, bindparam, case, func, literal, or_, select,
                        union_all, update)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import aliased
from sqlalchemy.util import greenlet_spawn

from .batching import Batcher
from .context import ServiceContext
from .machines import Hashed, LicenseRequest, Outcome, _is_live, _status_denial, machine_limit
from .models import License, Machine, Seat
from .policies import POLICIES, policy_for

__all__ = ["validate", "Lookups", "RENEW_AFTER", "MAX_BATCH"]

RENEW_AFTER = 15 * 60  # seconds


@dataclass(slots=True)
class LicenseState:
    """What validation and the lease need of a license row."""

    id: str
    plan: str
    seats: int
    machines_per_seat: int | None
    status: str
    expires_at: int | None
    period_end: int | None
    ver: int


@dataclass(slots=True)
class SeatState:
    id: str
    released_at: int | None


@dataclass(slots=True)
class MachineState:
    id: str
    seat_id: str
    install_hash: str
    activated_at: int
    lease_issued_at: int | None
    lease_expires_at: int | None
    deactivated_at: int | None


_LICENSE = [License.id, License.plan, License.seats, License.machines_per_seat, License.status,
            License.expires_at, License.period_end, License.ver]
_SEAT = [Seat.id, Seat.released_at]
_MACHINE = [Machine.id, Machine.seat_id, Machine.install_hash, Machine.activated_at,
            Machine.lease_issued_at, Machine.lease_expires_at, Machine.deactivated_at]


# Validations per statement (a power of two); more go as several statements
# at once, on several connections. A cap well under the number of requests
# in flight matters: with one statement for everything that arrived in a
# turn, every request waited on the same reply while the process had nothing
# else to do, and they all came back together (a convoy that kept the
# process idle a sixth of the time). Smaller statements come back staggered,
# so signing the first answers overlaps the database's work on the rest.
MAX_BATCH = 32


@lru_cache(maxsize=MAX_BATCH)
def _statement(size: int):
    """The lookup of ``size`` validations: ``wanted`` holds each request's
    position, key hash, fingerprint hash and time; a row comes back for each
    position whose key exists (at most one: seat keys and (license,
    fingerprint) are unique)."""
    # SELECTs of parameters joined by UNION ALL, not VALUES: SQLAlchemy cannot
    # cache a statement with a VALUES list and would compile it every time.
    rows = [select(literal(i, Integer).label("n"), bindparam(f"k{i}", type_=String).label("key_hash"),
                   bindparam(f"f{i}", type_=String).label("fingerprint_hash"),
                   bindparam(f"t{i}", type_=BigInteger).label("now"))
            for i in range(size)]
    wanted = (union_all(*rows) if size > 1 else rows[0]).cte("wanted")
    earlier_seat, other = aliased(Seat), aliased(Machine)
    seats_before = (
        select(func.count()).select_from(earlier_seat)
        .where(earlier_seat.license_id == Seat.license_id, earlier_seat.released_at.is_(None),
               or_(earlier_seat.assigned_at < Seat.assigned_at,
                   and_(earlier_seat.assigned_at == Seat.assigned_at, earlier_seat.id < Seat.id)))
        .scalar_subquery())
    grace = case({plan: policy.grace for plan, policy in POLICIES.items()}, value=License.plan, else_=0)
    machines_before = (  # machines.live_clause and machines._machine_rank, with the plan's grace
        select(func.count()).select_from(other)
        .where(other.seat_id == Machine.seat_id, other.deactivated_at.is_(None),
               or_(other.lease_expires_at.is_(None), other.lease_expires_at + grace > wanted.c.now),
               or_(other.activated_at < Machine.activated_at,
                   and_(other.activated_at == Machine.activated_at, other.id < Machine.id)))
        .scalar_subquery())
    return (select(wanted.c.n, *_LICENSE, *_SEAT, *_MACHINE, seats_before, machines_before)
            .select_from(wanted)
            .join(Seat, Seat.key_hash == wanted.c.key_hash)
            .join(License, License.id == Seat.license_id)
            .outerjoin(Machine, and_(Machine.license_id == Seat.license_id,
                                     Machine.fingerprint_hash == wanted.c.fingerprint_hash)))


class Lookups:
    """The validation reads of one app, batched (:class:`~license.service.batching.Batcher`).

    Each batch size's statement is compiled once for the database and sent
    by the driver on a connection of the engine's pool, outside any
    transaction (one SELECT reads one snapshot). SQLAlchemy's own
    connection and execution would cost several times the query itself
    (about 150 µs of CPU per batch against 30 on PostgreSQL), and would
    rebuild the statement's cache key on every execution."""

    def __init__(self, engine: AsyncEngine):
        self._engine = engine
        self._batcher: Batcher[tuple[str, str, int], Sequence | None] = Batcher(self._read,
                                                                               max_size=MAX_BATCH)
        self._compiled: dict[int, tuple[str, tuple[str, ...], dict]] = {}

    async def find(self, key_hash: str, fingerprint_hash: str, now: int) -> Sequence | None:
        """The row for one validation, or ``None`` when no seat has the key."""
        return await self._batcher.submit((key_hash, fingerprint_hash, now))

    def _sql(self, size: int) -> tuple[str, tuple[str, ...], dict]:
        """(SQL, parameter names in positional order, the values it holds itself)."""
        found = self._compiled.get(size)
        if found is None:
            compiled = _statement(size).compile(dialect=self._engine.dialect)
            found = self._compiled[size] = (str(compiled), tuple(compiled.positiontup), compiled.params)
        return found

    async def _read(self, wanted: Sequence[tuple[str, str, int]]) -> list[Sequence | None]:
        # Sizes are rounded up to a power of two, so that a connection
        # prepares seven statements, not one per size it happens to see;
        # the padding rows (NULL key hash) match no seat.
        sql, order, parameters = self._sql(1 << (len(wanted) - 1).bit_length())
        parameters = dict(parameters)
        for n, (key_hash, fingerprint_hash, now) in enumerate(wanted):
            parameters[f"k{n}"], parameters[f"f{n}"], parameters[f"t{n}"] = key_hash, fingerprint_hash, now
        arguments = tuple(parameters[name] for name in order)
        connection = await self._engine.raw_connection()
        try:
            rows = await self._fetch(connection.driver_connection, sql, arguments)
        except BaseException:
            await greenlet_spawn(connection.invalidate)  # in an unknown state: never reused
            raise
        await greenlet_spawn(connection.close)  # back to the pool
        found: list[Sequence | None] = [None] * len(wanted)
        for row in rows:
            found[row[0]] = row
        return found

    async def _fetch(self, driver_connection, sql: str, arguments: tuple) -> list[Sequence]:
        if self._engine.dialect.name == "postgresql":  # asyncpg
            return await driver_connection.fetch(sql, *arguments)
        async with driver_connection.execute(sql, arguments) as cursor:  # aiosqlite, autocommit
            return await cursor.fetchall()


@lru_cache(maxsize=1)
def _renewal():
    return (update(Machine)
            .where(Machine.id == bindparam("machine"), Machine.deactivated_at.is_(None),
                   Machine.seat_id == bindparam("seat"), Machine.install_hash == bindparam("install"))
            .values(last_seen_at=bindparam("now"), lease_issued_at=bindparam("now"),
                    lease_expires_at=bindparam("expires")))


def _split(row) -> tuple[LicenseState, SeatState, MachineState | None, int, int]:
    row = row[1:]  # the request's position in its batch
    n_license, n_seat = len(_LICENSE), len(_LICENSE) + len(_SEAT)
    license = LicenseState(*row[:n_license])
    seat = SeatState(*row[n_license:n_seat])
    machine = MachineState(*row[n_seat:n_seat + len(_MACHINE)]) if row[n_seat] is not None else None
    return license, seat, machine, row[-2], row[-1]


def needs_renewal(machine: MachineState, lifetime: int, now: int) -> bool:
    if machine.lease_issued_at is None or machine.lease_expires_at is None:
        return True
    return machine.lease_expires_at < now + lifetime - RENEW_AFTER


async def validate(ctx: ServiceContext, request: LicenseRequest, hashed: Hashed) -> Outcome | None:
    """The outcome, or ``None`` when the transactional path must decide."""
    now = ctx.now()
    if not hashed.key_well_formed:
        return Outcome("NOT_FOUND")
    row = await ctx.lookups.find(hashed.key, hashed.fingerprint, now)
    if row is None:
        return Outcome("NOT_FOUND")
    license, seat, machine, seats_before, machines_before = _split(row)
    denial = _status_denial(license, now)
    if denial:
        return Outcome(denial, license, seat)
    if seat.released_at is not None or seats_before >= license.seats:
        return Outcome("SEAT_NOT_ASSIGNED", license, seat)
    if (machine is None or machine.deactivated_at is not None or machine.seat_id != seat.id
            or machine.install_hash != hashed.install):
        return Outcome("NO_MACHINE", license, seat)
    if not _is_live(license, machine, now):
        return None  # its place was freed: taking it back is an activation
    if machines_before >= machine_limit(license):
        return Outcome("TOO_MANY_MACHINES", license, seat, machine)
    lifetime = policy_for(license.plan).lease_lifetime
    if needs_renewal(machine, lifetime, now):
        async with ctx.engine.begin() as connection:
            renewed = await connection.execute(_renewal(), {
                "machine": machine.id, "seat": seat.id, "install": hashed.install, "now": now,
                "expires": now + lifetime})
        if renewed.rowcount != 1:
            return None  # changed under us (deactivated, reinstalled): decide under the lock
        machine.lease_issued_at, machine.lease_expires_at = now, now + lifetime
    return Outcome("PAST_DUE" if license.status == "past_due" else "VALID", license, seat, machine)
