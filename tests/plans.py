"""The plan a test runs on: attach a fixed license status to the app's one
feature gate (``app.state.entitlements``), as the license client would."""

from __future__ import annotations

import time

from license.entitlements import PRO
from license.state import State, Status

YEAR = 365 * 86_400


def pro(app) -> None:
    """Pro, active for a year from the real clock."""
    app.state.entitlements.attach(lambda: Status(state=State.ACTIVE, reason="active", plan="pro",
                                                 entitlements=frozenset(PRO), valid_until=int(time.time()) + YEAR),
                                  lambda: int(time.time()))


def lapse(app) -> None:
    """A Pro license that lapsed (offline too long): its features off, nothing else."""
    app.state.entitlements.attach(lambda: Status(state=State.LAPSED, reason="offline_too_long", plan="pro",
                                                 entitlements=frozenset(PRO)))
