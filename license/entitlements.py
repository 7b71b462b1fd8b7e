"""The one answer to "is X on now": :func:`is_enabled`.

Features check entitlement names, never plan names, so a plan can change
what it includes without touching feature code. A feature that is off says
why (``Decision.reason``, a stable code the UI turns into words in each
language); nothing here hides or deletes data, it only gates features.
"""

from __future__ import annotations

from typing import NamedTuple

from .state import PAID_STATES, Status

__all__ = ["PRO", "TEAM", "ENTERPRISE", "ENTITLEMENTS", "PLAN_ENTITLEMENTS",
           "FREE_ACTIVE_APPLICATIONS", "Decision", "is_enabled"]

# ARCHITECTURE.md "Free, Pro, Team, Enterprise"; each plan includes the one before.
PRO = ("filters.advanced", "tracking.unlimited", "tracking.reminders", "insights.salary",
       "insights.company", "insights.trends", "resume.match", "alerts", "export.full")
TEAM = (*PRO, "team")
ENTERPRISE = (*TEAM, "sso", "branding", "license.offline_file", "api.tokens.scoped")
ENTITLEMENTS = frozenset(ENTERPRISE)
# What the service puts in a lease for each plan (the service reuses this).
PLAN_ENTITLEMENTS: dict[str, tuple[str, ...]] = {
    "free": (), "pro": PRO, "team": TEAM, "enterprise": ENTERPRISE}
# Free tracks this many active applications; ``tracking.unlimited`` lifts it.
FREE_ACTIVE_APPLICATIONS = 20


class Decision(NamedTuple):
    on: bool
    reason: str  # "active", "past_due", "grace", "not_in_plan", "renewal_needed", or the state's reason


def is_enabled(state: Status, name: str, now: int) -> Decision:
    """Whether entitlement ``name`` is on at trusted time ``now`` (the
    client's ``now()``), given the client's current :class:`Status`.

    An unknown name is a programming error and raises ``ValueError``, so a
    typo in a feature gate fails its tests instead of silently turning the
    feature off.
    """
    if name not in ENTITLEMENTS:
        raise ValueError(f"unknown entitlement {name!r}; known: {', '.join(sorted(ENTITLEMENTS))}")
    if state.state not in PAID_STATES:
        return Decision(False, state.reason)
    if name not in state.entitlements:
        return Decision(False, "not_in_plan")
    # A snapshot kept past its end must not keep features on: the client's
    # next status() decides between renewal, grace and lapse.
    if state.valid_until is None or now >= state.valid_until:
        return Decision(False, "renewal_needed")
    return Decision(True, state.reason)
