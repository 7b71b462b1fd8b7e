"""The service's tables (LICENSING.md "Objects"), SQLAlchemy 2 declarative.

Times are epoch seconds (integers sort and compare the same on SQLite and
PostgreSQL). Secrets never reach a row: license keys, admin tokens,
fingerprints, install ids and client addresses are stored as keyed hashes
(:func:`license.service.hashing.digest`). The schema itself is created by the
Alembic migrations, which a test keeps in step with these classes.
"""

from __future__ import annotations

import secrets

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "Organisation", "AdminToken", "Member", "License", "Seat", "Machine",
           "MachineEvent", "StripeEvent", "StripeCharge", "ApiUsage", "AuditEntry", "new_id",
           "LICENSE_STATUSES"]

LICENSE_STATUSES = ("active", "past_due", "suspended", "expired", "revoked")
# Names for constraints, so migrations are the same on every database.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}
Serial = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements INTEGER only
Hash = String(64)
Id = String(32)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[int] = mapped_column(BigInteger)


class AdminToken(Base):
    """An organisation's admin API credential, stored hashed, shown once."""
    __tablename__ = "admin_tokens"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    token_hash: Mapped[str] = mapped_column(Hash, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("org_id", "email"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[int] = mapped_column(BigInteger)
    removed_at: Mapped[int | None] = mapped_column(BigInteger)


class License(Base):
    __tablename__ = "licenses"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    # Pro/Free: the key people type. Team/Enterprise: none (each seat has its own).
    key_hash: Mapped[str | None] = mapped_column(Hash, unique=True)
    key_prefix: Mapped[str | None] = mapped_column(String(9))
    plan: Mapped[str] = mapped_column(String(16))
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_email: Mapped[str | None] = mapped_column(String(320))
    seats: Mapped[int] = mapped_column(Integer)
    machines_per_seat: Mapped[int | None] = mapped_column(Integer)  # overrides the policy
    status: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[int | None] = mapped_column(BigInteger)  # contract end; None = none
    period_end: Mapped[int | None] = mapped_column(BigInteger)  # paid through (Stripe)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    stripe_status: Mapped[str | None] = mapped_column(String(32))
    stripe_snapshot_at: Mapped[int | None] = mapped_column(BigInteger)  # newest event applied
    ver: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class Seat(Base):
    """A share of a license. Pro has one, holding the license key; Team and
    Enterprise seats are members, each with their own key."""
    __tablename__ = "seats"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    license_id: Mapped[str] = mapped_column(ForeignKey("licenses.id"), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), index=True)
    key_hash: Mapped[str] = mapped_column(Hash, unique=True)
    key_prefix: Mapped[str] = mapped_column(String(9))
    assigned_at: Mapped[int] = mapped_column(BigInteger)
    released_at: Mapped[int | None] = mapped_column(BigInteger)


class Machine(Base):
    __tablename__ = "machines"
    __table_args__ = (UniqueConstraint("license_id", "fingerprint_hash"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    license_id: Mapped[str] = mapped_column(ForeignKey("licenses.id"), index=True)
    seat_id: Mapped[str] = mapped_column(ForeignKey("seats.id"), index=True)
    fingerprint_hash: Mapped[str] = mapped_column(Hash)
    install_hash: Mapped[str] = mapped_column(Hash, index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(32))
    activated_at: Mapped[int] = mapped_column(BigInteger)
    last_seen_at: Mapped[int] = mapped_column(BigInteger)
    lease_issued_at: Mapped[int | None] = mapped_column(BigInteger)
    lease_expires_at: Mapped[int | None] = mapped_column(BigInteger)
    deactivated_at: Mapped[int | None] = mapped_column(BigInteger)
    clone_of: Mapped[str | None] = mapped_column(Id)  # same install id seen on another fingerprint


class MachineEvent(Base):
    """Activations, reinstalls, clones, transfers (self-service deactivations), reclaims."""
    __tablename__ = "machine_events"
    __table_args__ = (Index("ix_machine_events_seat_kind_at", "seat_id", "kind", "at"),)
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    license_id: Mapped[str] = mapped_column(Id, index=True)
    seat_id: Mapped[str] = mapped_column(Id)
    machine_id: Mapped[str] = mapped_column(Id)
    kind: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(40))  # self, admin:<token id>, cli, system
    at: Mapped[int] = mapped_column(BigInteger)


class StripeEvent(Base):
    """Each Stripe event id, recorded in the transaction that applied it."""
    __tablename__ = "stripe_events"
    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    created: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[int] = mapped_column(BigInteger)
    license_id: Mapped[str | None] = mapped_column(Id)
    outcome: Mapped[str] = mapped_column(String(32))


class StripeCharge(Base):
    """Which license a charge paid for, so refunds and disputes find it."""
    __tablename__ = "stripe_charges"
    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    license_id: Mapped[str] = mapped_column(ForeignKey("licenses.id"), index=True)


class ApiUsage(Base):
    __tablename__ = "api_usage"
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(BigInteger, index=True)
    route: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str | None] = mapped_column(Hash, index=True)
    license_id: Mapped[str | None] = mapped_column(Id, index=True)
    client_hash: Mapped[str | None] = mapped_column(Hash)
    code: Mapped[str] = mapped_column(String(40))
    http_status: Mapped[int] = mapped_column(Integer)
    latency_us: Mapped[int] = mapped_column(BigInteger)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(BigInteger, index=True)
    org_id: Mapped[str | None] = mapped_column(Id, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
