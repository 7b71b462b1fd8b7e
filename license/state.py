"""The client's states, its persisted record, and the pure rules between them.

:func:`evaluate` turns the stored record, the verified lease (or the error
that verifying it gave) and the current time into a :class:`Status`. No I/O,
no exceptions: every failure is a state (LICENSING.md "Client states").

Time is the *trusted* time: local time plus the offset to the service's clock
measured at the last signed answer (``Record.skew``). A clock that is simply
wrong then neither flags an honest user nor helps a dishonest one; setting it
back afterwards moves trusted time back too, which the high-water mark catches.
"""

from __future__ import annotations

import enum

import msgspec

from .lease import (Claims, ClockBehindLease, FingerprintMismatch, InstallMismatch, LeaseError,
                    LeaseInactive, LeaseLapsed, LeaseNotYetValid, RevisionReplayed,
                    SubscriptionEnded, check_time)

__all__ = ["State", "PAID_STATES", "Record", "Status", "evaluate", "advance_high_water",
           "HARD_DENIALS", "CLOCK_TOLERANCE", "HIGH_WATER_STEP"]

CLOCK_TOLERANCE = 3600  # LICENSING.md: more than an hour below the high-water is tampering
HIGH_WATER_STEP = 86400  # how far local time alone may push the high-water at once


class State(enum.StrEnum):
    UNLICENSED = "UNLICENSED"
    ACTIVE = "ACTIVE"
    PAST_DUE = "PAST_DUE"  # works, with a billing warning
    GRACE = "GRACE"  # lease expired, service unreachable, within grace
    EXPIRED = "EXPIRED"
    LAPSED = "LAPSED"  # offline too long
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    FINGERPRINT_MISMATCH = "FINGERPRINT_MISMATCH"
    CLOCK_TAMPERED = "CLOCK_TAMPERED"
    INVALID = "INVALID"


PAID_STATES = frozenset({State.ACTIVE, State.PAST_DUE, State.GRACE})

# Signed denials that apply at once, whatever the stored lease says. Other
# signed codes (NO_MACHINE, TOO_MANY_MACHINES, ...) only stop renewals: the
# lease runs out, without grace, since the service did answer.
HARD_DENIALS = {
    "REVOKED": State.REVOKED,
    "SUSPENDED": State.SUSPENDED,
    "EXPIRED": State.EXPIRED,
    "NOT_FOUND": State.INVALID,
    "FINGERPRINT_SCOPE_MISMATCH": State.FINGERPRINT_MISMATCH,
}
_INACTIVE = {"revoked": State.REVOKED, "suspended": State.SUSPENDED, "expired": State.EXPIRED}


class Record(msgspec.Struct, kw_only=True):
    """What the client persists (one row: ``license_state``)."""

    key: str | None = None  # canonical license key: a bearer secret, never logged
    lease: str | None = None  # the newest accepted lease token
    license_id: str | None = None  # whose revisions ``revision`` counts
    revision: int = 0  # highest revision accepted: older leases are ignored
    high_water: int = 0  # trusted time never to fall more than an hour below
    skew: int = 0  # service time minus local time at the last signed answer
    checked_at: int | None = None  # trusted time of the last signed answer
    attempted_at: int | None = None  # trusted time of the last refresh attempt
    outcome: str | None = None  # how that attempt ended: ok, unreachable, or a code
    denial: str | None = None  # a hard signed denial in force
    refusal: str | None = None  # a signed "no renewal" for the current lease

    def __repr__(self) -> str:  # the key must not reach a log through a repr
        rest = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__struct_fields__
                         if name not in ("key", "lease"))
        return f"Record(key={'<set>' if self.key else None}, {rest})"


class Status(msgspec.Struct, frozen=True, kw_only=True):
    """A snapshot for the API, the UI and :func:`license.entitlements.is_enabled`."""

    state: State
    reason: str  # stable code for the UI catalog: why this state
    plan: str | None = None
    entitlements: frozenset[str] = frozenset()
    license_id: str | None = None
    seats: int | None = None
    expires_at: int | None = None  # lease exp
    grace_until: int | None = None  # exp + grace, when grace can apply
    subscription_end: int | None = None
    valid_until: int | None = None  # when a paid state ends without any network answer
    checked_at: int | None = None
    outcome: str | None = None

    @property
    def paid(self) -> bool:
        return self.state in PAID_STATES


def _status(state: State, reason: str, record: Record, claims: Claims | None, **extra) -> Status:
    details = {}
    if claims is not None:
        details = dict(plan=claims.plan, license_id=claims.license_id, seats=claims.seats,
                       expires_at=claims.exp, grace_until=claims.exp + claims.grace,
                       subscription_end=claims.subscription_end)
    return Status(state=state, reason=reason, checked_at=record.checked_at,
                  outcome=record.outcome, **details, **extra)


def _paid(state: State, record: Record, claims: Claims) -> Status:
    ends = claims.exp if record.refusal else claims.exp + claims.grace
    if claims.subscription_end is not None:
        ends = min(ends, claims.subscription_end)
    return _status(state, state.value.lower(), record, claims,
                   entitlements=frozenset(claims.entitlements), valid_until=ends)


def evaluate(record: Record, lease: Claims | LeaseError | None, now: int) -> Status:
    """The state now. ``lease`` is ``record.lease`` decoded (signature, claims
    and binding checked) or the error that gave; ``now`` is trusted time."""
    if record.key is None and record.lease is None:
        return _status(State.UNLICENSED, "unlicensed", record, None)
    claims = lease if isinstance(lease, Claims) else None
    if record.denial is not None:
        return _status(HARD_DENIALS.get(record.denial, State.INVALID), record.denial.lower(),
                       record, claims)
    if now < record.high_water - CLOCK_TOLERANCE:
        return _status(State.CLOCK_TAMPERED, "clock_behind_high_water", record, claims)
    if lease is None:
        return _status(State.UNLICENSED, "no_lease", record, None)
    if isinstance(lease, (FingerprintMismatch, InstallMismatch)):
        return _status(State.FINGERPRINT_MISMATCH, lease.code, record, None)
    if isinstance(lease, LeaseError):
        return _status(State.INVALID, lease.code, record, None)
    same_license = record.license_id in (None, lease.license_id)
    try:
        in_grace = check_time(lease, now, min_revision=record.revision if same_license else 0)
    except ClockBehindLease as exc:
        return _status(State.CLOCK_TAMPERED, exc.code, record, lease)
    except LeaseInactive:
        return _status(_INACTIVE.get(lease.status, State.INVALID), lease.status, record, lease)
    except SubscriptionEnded as exc:
        return _status(State.EXPIRED, exc.code, record, lease)
    except LeaseLapsed as exc:
        if record.refusal:
            return _status(State.EXPIRED, record.refusal.lower(), record, lease)
        return _status(State.LAPSED, exc.code, record, lease)
    except (LeaseNotYetValid, RevisionReplayed) as exc:
        return _status(State.INVALID, exc.code, record, lease)
    if in_grace:
        # Grace is for an unreachable service only: a signed refusal forfeits it.
        if record.refusal:
            return _status(State.EXPIRED, record.refusal.lower(), record, lease)
        return _paid(State.GRACE, record, lease)
    return _paid(State.PAST_DUE if lease.status == "past_due" else State.ACTIVE, record, lease)


def advance_high_water(record: Record, now: int, allowance: int = HIGH_WATER_STEP) -> bool:
    """Raise the high-water towards trusted ``now`` by at most ``allowance``
    seconds, so one wrong forward jump cannot lock paid features away for
    long. Never lowers it (only a signed answer does). True when it moved."""
    if now <= record.high_water:
        return False
    record.high_water = min(now, record.high_water + allowance) if record.high_water else now
    return True
