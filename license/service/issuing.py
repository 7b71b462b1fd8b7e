"""Making licenses, seats, organisations and admin tokens (CLI, admin routes,
Stripe). Each returns the new secret once; only its hash is stored.

Every change to what a lease says bumps the license's revision (``ver``):
the app refuses a lease with a lower revision than one it has seen.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from license.keys import generate_key, hash_key, key_prefix

from .hashing import digest
from .models import AdminToken, License, Machine, MachineEvent, Organisation, Seat, new_id
from .policies import policy_for

__all__ = ["issue_license", "assign_seat", "release_seat", "set_status", "bump",
           "create_organisation", "create_admin_token", "admin_token_hash", "ADMIN_TOKEN_PREFIX",
           "deactivate_machine", "SeatsFull"]

ADMIN_TOKEN_PREFIX = "jdla_"


class SeatsFull(ValueError):
    """Every seat is assigned: buy more (the Stripe quantity) or release one."""


def bump(license: License, now: int) -> None:
    license.ver += 1
    license.updated_at = now


async def issue_license(session: AsyncSession, secret: bytes, *, plan: str, now: int, seats: int = 1,
                        org_id: str | None = None, owner_email: str | None = None,
                        expires_at: int | None = None, machines_per_seat: int | None = None,
                        status: str = "active") -> tuple[License, str | None]:
    """A new license. Pro/Free get their key (returned once); Team and
    Enterprise get seats that an admin assigns to members (:func:`assign_seat`)."""
    policy = policy_for(plan)
    if seats < 1:
        raise ValueError("a license has at least one seat")
    if not policy.per_member:
        seats = 1
    key = None if policy.per_member else generate_key()
    license = License(id=new_id("lic"), plan=plan, org_id=org_id, owner_email=owner_email,
                      seats=seats, machines_per_seat=machines_per_seat, status=status,
                      expires_at=expires_at, ver=1, created_at=now, updated_at=now,
                      key_hash=hash_key(key, secret) if key else None,
                      key_prefix=key_prefix(key) if key else None)
    session.add(license)
    await session.flush()
    if key is not None:
        session.add(Seat(id=new_id("seat"), license_id=license.id, key_hash=license.key_hash,
                         key_prefix=license.key_prefix, assigned_at=now))
        await session.flush()
    return license, key


async def assign_seat(session: AsyncSession, secret: bytes, license: License, member_id: str,
                      now: int) -> tuple[Seat, str]:
    """Give a member their own key on a Team/Enterprise license."""
    if not policy_for(license.plan).per_member:
        raise ValueError("only Team and Enterprise licenses have member seats")
    taken = await session.scalar(select(func.count()).select_from(Seat).where(
        Seat.license_id == license.id, Seat.released_at.is_(None)))
    if taken >= license.seats:
        raise SeatsFull(f"all {license.seats} seats of {license.id} are assigned")
    key = generate_key()
    seat = Seat(id=new_id("seat"), license_id=license.id, member_id=member_id,
                key_hash=hash_key(key, secret), key_prefix=key_prefix(key), assigned_at=now)
    session.add(seat)
    await session.flush()
    return seat, key


async def deactivate_machine(session: AsyncSession, machine: Machine, actor: str, now: int) -> None:
    """An admin's deactivation: not a self-service transfer, so not capped."""
    if machine.deactivated_at is None:
        machine.deactivated_at = now
        session.add(MachineEvent(license_id=machine.license_id, seat_id=machine.seat_id,
                                 machine_id=machine.id, kind="admin_deactivate", actor=actor, at=now))


async def release_seat(session: AsyncSession, seat: Seat, actor: str, now: int) -> None:
    """The member's key stops working; their machines are let go."""
    seat.released_at = now
    machines = (await session.execute(select(Machine).where(
        Machine.seat_id == seat.id, Machine.deactivated_at.is_(None)))).scalars().all()
    for machine in machines:
        await deactivate_machine(session, machine, actor, now)


def set_status(license: License, status: str, now: int) -> bool:
    if license.status == status:
        return False
    license.status = status
    bump(license, now)
    return True


async def create_organisation(session: AsyncSession, name: str, now: int) -> Organisation:
    org = Organisation(id=new_id("org"), name=name, created_at=now)
    session.add(org)
    await session.flush()
    return org


def admin_token_hash(secret: bytes, token: str) -> str:
    return digest(secret, "admin-token", token)


async def create_admin_token(session: AsyncSession, secret: bytes, org_id: str, name: str,
                             now: int) -> tuple[AdminToken, str]:
    token = ADMIN_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = AdminToken(id=new_id("tok"), org_id=org_id, token_hash=admin_token_hash(secret, token),
                     name=name, created_at=now)
    session.add(row)
    await session.flush()
    return row, token
