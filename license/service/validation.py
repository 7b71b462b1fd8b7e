"""Validation without a write transaction (``/v1/validate``, ``/v1/refresh``).

The same decisions as :func:`license.service.machines.validate`, read in ONE
statement: the seat by key hash, its license, the machine by (license,
fingerprint hash) and, as correlated counts, the seat's place among the
license's seats and the machine's among its seat's live machines (all on
unique or indexed columns). It runs outside any transaction (see
:func:`license.service.db.reader`), so a validation that changes nothing
costs one round trip and no commit. Nothing is cached between requests:
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

from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import aliased

from .context import ServiceContext
from .machines import Hashed, LicenseRequest, Outcome, _is_live, _status_denial, machine_limit
from .models import License, Machine, Seat
from .policies import POLICIES, policy_for

__all__ = ["validate", "RENEW_AFTER"]

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


@lru_cache(maxsize=1)
def _statement():
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
               or_(other.lease_expires_at.is_(None), other.lease_expires_at + grace > bindparam("now")),
               or_(other.activated_at < Machine.activated_at,
                   and_(other.activated_at == Machine.activated_at, other.id < Machine.id)))
        .scalar_subquery())
    return (select(*_LICENSE, *_SEAT, *_MACHINE, seats_before, machines_before)
            .select_from(Seat)
            .join(License, License.id == Seat.license_id)
            .outerjoin(Machine, and_(Machine.license_id == Seat.license_id,
                                     Machine.fingerprint_hash == bindparam("fingerprint")))
            .where(Seat.key_hash == bindparam("key")))


@lru_cache(maxsize=1)
def _renewal():
    return (update(Machine)
            .where(Machine.id == bindparam("machine"), Machine.deactivated_at.is_(None),
                   Machine.seat_id == bindparam("seat"), Machine.install_hash == bindparam("install"))
            .values(last_seen_at=bindparam("now"), lease_issued_at=bindparam("now"),
                    lease_expires_at=bindparam("expires")))


def _split(row) -> tuple[LicenseState, SeatState, MachineState | None, int, int]:
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
    async with ctx.reader.connect() as connection:
        row = (await connection.execute(_statement(), {"key": hashed.key,
                                                       "fingerprint": hashed.fingerprint,
                                                       "now": now})).first()
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
