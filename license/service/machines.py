"""Validation, activation and deactivation (LICENSING.md "Seats and machines").

Each function runs inside the caller's transaction and returns an
:class:`Outcome`; the route signs it. Activation and deactivation lock the
license row first (:func:`lock_license`), so the checks and the write are
atomic per license: on PostgreSQL ``SELECT … FOR UPDATE`` queues concurrent
requests for one license; on SQLite every transaction already holds the
write lock (``BEGIN IMMEDIATE``, see :mod:`license.service.db`).

A machine is *live* while it is not deactivated and its last lease expiry
plus the offline grace has not passed; only live machines fill a seat, so a
machine that went away frees its place without anyone acting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .context import ServiceContext, log
from .hashing import digest, key_digest_and_prefix
from .models import License, Machine, MachineEvent, Seat, new_id
from .policies import Policy, policy_for

__all__ = ["LicenseRequest", "Hashed", "Outcome", "validate", "activate", "deactivate",
           "lock_license", "find_seat", "machine_limit", "live_clause", "LEASED_CODES"]

LEASED_CODES = frozenset({"VALID", "PAST_DUE"})


class LicenseRequest(msgspec.Struct, rename="camel", forbid_unknown_fields=False):
    """What the app sends (license/README.md "Wire protocol")."""

    key: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    fingerprint: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    install_id: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    nonce: Annotated[str, msgspec.Meta(min_length=8, max_length=128)]
    platform: Annotated[str, msgspec.Meta(max_length=32)] = ""
    name: Annotated[str, msgspec.Meta(max_length=200)] | None = None


@dataclass(frozen=True)
class Hashed:
    """The request's identifiers as the database knows them."""

    key: str
    key_well_formed: bool
    fingerprint: str
    install: str
    key_prefix: str  # what logs may show

    @classmethod
    def of(cls, secret: bytes, request: LicenseRequest) -> Hashed:
        key_hash, well_formed, prefix = key_digest_and_prefix(secret, request.key)
        return cls(key_hash, well_formed, digest(secret, "fingerprint", request.fingerprint),
                   digest(secret, "install", request.install_id), prefix)


@dataclass
class Outcome:
    code: str
    license: License | None = None
    seat: Seat | None = None
    machine: Machine | None = None

    @property
    def leased(self) -> bool:
        return self.code in LEASED_CODES


def policy_of(license: License) -> Policy:
    return policy_for(license.plan)


def machine_limit(license: License) -> int:
    return license.machines_per_seat or policy_of(license).machines_per_seat


def live_clause(license: License, now: int):
    """SQL: the machine fills a place (not deactivated, lease + grace not past)."""
    grace = policy_of(license).grace
    return and_(Machine.deactivated_at.is_(None),
                or_(Machine.lease_expires_at.is_(None), Machine.lease_expires_at + grace > now))


def _is_live(license: License, machine: Machine, now: int) -> bool:
    return machine.deactivated_at is None and (
        machine.lease_expires_at is None or machine.lease_expires_at + policy_of(license).grace > now)


async def find_seat(session: AsyncSession, key_hash: str) -> tuple[Seat, License] | None:
    row = (await session.execute(
        select(Seat, License).join(License, Seat.license_id == License.id)
        .where(Seat.key_hash == key_hash))).first()
    return None if row is None else (row[0], row[1])


async def lock_license(session: AsyncSession, license_id: str) -> License:
    """Re-read the license row under a row lock (a no-op clause on SQLite,
    whose transactions already hold the write lock)."""
    return (await session.execute(
        select(License).where(License.id == license_id).with_for_update()
        .execution_options(populate_existing=True))).scalar_one()


def _status_denial(license: License, now: int) -> str | None:
    if license.status in ("revoked", "suspended", "expired"):
        return license.status.upper()
    if license.expires_at is not None and now >= license.expires_at:
        return "EXPIRED"
    return None


async def _seat_in_force(session: AsyncSession, license: License, seat: Seat) -> bool:
    """Released seats are out; so are seats beyond the license's count
    (a lowered Stripe quantity), newest first."""
    if seat.released_at is not None:
        return False
    earlier = await session.scalar(
        select(func.count()).select_from(Seat).where(
            Seat.license_id == license.id, Seat.released_at.is_(None),
            or_(Seat.assigned_at < seat.assigned_at,
                and_(Seat.assigned_at == seat.assigned_at, Seat.id < seat.id))))
    return earlier < license.seats


async def _machine_rank(session: AsyncSession, license: License, machine: Machine, now: int) -> int:
    return await session.scalar(
        select(func.count()).select_from(Machine).where(
            Machine.seat_id == machine.seat_id, live_clause(license, now),
            or_(Machine.activated_at < machine.activated_at,
                and_(Machine.activated_at == machine.activated_at, Machine.id < machine.id))))


def _renew(license: License, machine: Machine, now: int) -> None:
    machine.last_seen_at = machine.lease_issued_at = now
    machine.lease_expires_at = now + policy_of(license).lease_lifetime


def _event(session: AsyncSession, machine: Machine, kind: str, actor: str, now: int) -> None:
    session.add(MachineEvent(license_id=machine.license_id, seat_id=machine.seat_id,
                             machine_id=machine.id, kind=kind, actor=actor, at=now))


async def _machine(session: AsyncSession, license_id: str, fingerprint: str) -> Machine | None:
    return (await session.execute(select(Machine).where(
        Machine.license_id == license_id, Machine.fingerprint_hash == fingerprint))).scalar_one_or_none()


async def validate(ctx: ServiceContext, session: AsyncSession, request: LicenseRequest,
                   hashed: Hashed) -> Outcome:
    """Check a machine and renew its lease (``/v1/validate``, ``/v1/refresh``)."""
    now = ctx.now()
    found = await find_seat(session, hashed.key) if hashed.key_well_formed else None
    if found is None:
        return Outcome("NOT_FOUND")
    seat, license = found
    denial = _status_denial(license, now)
    if denial:
        return Outcome(denial, license, seat)
    if not await _seat_in_force(session, license, seat):
        return Outcome("SEAT_NOT_ASSIGNED", license, seat)
    machine = await _machine(session, license.id, hashed.fingerprint)
    if (machine is None or machine.deactivated_at is not None or machine.seat_id != seat.id
            or machine.install_hash != hashed.install):
        return Outcome("NO_MACHINE", license, seat)
    if not _is_live(license, machine, now):
        # Away past its grace: its place was freed. Take it back if still free.
        return await activate(ctx, session, request, hashed)
    if await _machine_rank(session, license, machine, now) >= machine_limit(license):
        return Outcome("TOO_MANY_MACHINES", license, seat, machine)
    _renew(license, machine, now)
    return Outcome("PAST_DUE" if license.status == "past_due" else "VALID", license, seat, machine)


async def activate(ctx: ServiceContext, session: AsyncSession, request: LicenseRequest,
                   hashed: Hashed) -> Outcome:
    now = ctx.now()
    found = await find_seat(session, hashed.key) if hashed.key_well_formed else None
    if found is None:
        return Outcome("NOT_FOUND")
    seat = found[0]
    license = await lock_license(session, seat.license_id)  # serialises this license from here
    denial = _status_denial(license, now)
    if denial:
        return Outcome(denial, license, seat)
    if not await _seat_in_force(session, license, seat):
        return Outcome("SEAT_NOT_ASSIGNED", license, seat)
    machine = await _machine(session, license.id, hashed.fingerprint)
    if machine is not None and _is_live(license, machine, now):
        if machine.seat_id != seat.id:
            return Outcome("FINGERPRINT_TAKEN", license, seat)
        if machine.install_hash != hashed.install:  # same machine, new install: a reinstall
            machine.install_hash = hashed.install
            _event(session, machine, "reinstall", "self", now)
        if await _machine_rank(session, license, machine, now) >= machine_limit(license):
            return Outcome("TOO_MANY_MACHINES", license, seat, machine)
        _renew(license, machine, now)
        return Outcome("PAST_DUE" if license.status == "past_due" else "VALID", license, seat, machine)
    live = await session.scalar(select(func.count()).select_from(Machine).where(
        Machine.seat_id == seat.id, live_clause(license, now)))
    if live >= machine_limit(license):
        return Outcome("MACHINE_LIMIT_EXCEEDED", license, seat)
    clone = (await session.execute(select(Machine.id).where(
        Machine.license_id == license.id, Machine.install_hash == hashed.install,
        Machine.fingerprint_hash != hashed.fingerprint, live_clause(license, now)).limit(1))).scalar()
    platform, name = request.platform[:32], request.name
    if machine is None:
        machine = Machine(id=new_id("mach"), license_id=license.id, seat_id=seat.id,
                          fingerprint_hash=hashed.fingerprint, install_hash=hashed.install,
                          name=name, platform=platform, activated_at=now, last_seen_at=now)
        session.add(machine)
        kind = "activate"
    else:  # deactivated, or freed after its grace: the same machine comes back
        if machine.deactivated_at is None:
            _event(session, machine, "reclaimed", "system", now)
        machine.seat_id, machine.install_hash, machine.platform = seat.id, hashed.install, platform
        machine.name = name or machine.name
        machine.activated_at, machine.deactivated_at = now, None
        kind = "reactivate"
    machine.clone_of = clone
    _renew(license, machine, now)
    await session.flush()
    _event(session, machine, kind, "self", now)
    if clone is not None:
        _event(session, machine, "clone", "system", now)
        log.warning("license %s: machine %s shares its install id with %s (a cloned app home?)",
                    license.id, machine.id, clone)
    return Outcome("PAST_DUE" if license.status == "past_due" else "VALID", license, seat, machine)


async def deactivate(ctx: ServiceContext, session: AsyncSession, request: LicenseRequest,
                     hashed: Hashed) -> Outcome:
    """Self-service transfer: free this machine's place, at most
    ``transfer_limit`` times per ``transfer_window`` per seat."""
    now = ctx.now()
    found = await find_seat(session, hashed.key) if hashed.key_well_formed else None
    if found is None:
        return Outcome("NOT_FOUND")
    seat = found[0]
    license = await lock_license(session, seat.license_id)
    machine = await _machine(session, license.id, hashed.fingerprint)
    if (machine is None or machine.deactivated_at is not None or machine.seat_id != seat.id
            or machine.install_hash != hashed.install):
        return Outcome("NO_MACHINE", license, seat)
    policy = policy_of(license)
    recent = await session.scalar(select(func.count()).select_from(MachineEvent).where(
        MachineEvent.seat_id == seat.id, MachineEvent.kind == "deactivate",
        MachineEvent.actor == "self", MachineEvent.at > now - policy.transfer_window))
    if recent >= policy.transfer_limit:
        return Outcome("DEACTIVATIONS_LIMIT_EXCEEDED", license, seat, machine)
    machine.deactivated_at = now
    _event(session, machine, "deactivate", "self", now)
    return Outcome("DEACTIVATED", license, seat, machine)
