"""Policies (LICENSING.md "Objects", "Time and grace", "Seats and machines").

Kept in code, not in a table: a policy change is a reviewed release, and the
lease a machine holds already carries everything the app needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from license.entitlements import PLAN_ENTITLEMENTS

__all__ = ["Policy", "POLICIES", "policy_for", "DAY"]

DAY = 86400


@dataclass(frozen=True)
class Policy:
    plan: str
    machines_per_seat: int
    lease_lifetime: int
    grace: int
    transfer_limit: int  # self-service deactivations ...
    transfer_window: int  # ... within this many seconds
    subscription_margin: int  # period end + this = the lease's subscription end
    entitlements: tuple[str, ...]
    per_member: bool  # Team/Enterprise: seats are members holding their own keys


POLICIES: dict[str, Policy] = {
    "free": Policy("free", 1, 14 * DAY, 14 * DAY, 3, 30 * DAY, 3 * DAY, PLAN_ENTITLEMENTS["free"], False),
    "pro": Policy("pro", 2, 14 * DAY, 14 * DAY, 3, 30 * DAY, 3 * DAY, PLAN_ENTITLEMENTS["pro"], False),
    "team": Policy("team", 2, 14 * DAY, 14 * DAY, 3, 30 * DAY, 3 * DAY, PLAN_ENTITLEMENTS["team"], True),
    # Enterprise: the contract end is the subscription end (no margin).
    "enterprise": Policy("enterprise", 3, 30 * DAY, 30 * DAY, 3, 30 * DAY, 0,
                         PLAN_ENTITLEMENTS["enterprise"], True),
}


def policy_for(plan: str) -> Policy:
    try:
        return POLICIES[plan]
    except KeyError:
        raise ValueError(f"unknown plan {plan!r}; known: {', '.join(POLICIES)}") from None
