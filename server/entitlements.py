"""The server's one feature gate: ``Entitlements.check(name)``.

Every gated route asks here, never a plan name and never the license client
directly, so the licensing code can change what feeds the status without
touching a feature. Until a license client is attached the status is
"unlicensed" (Free); tests attach a fixed status to exercise both sides.
A feature that is off never hides or deletes data: callers only refuse new
work, and they say why with the decision's reason.
"""

from __future__ import annotations

from typing import Callable

import msgspec

from license.entitlements import FREE_ACTIVE_APPLICATIONS, Decision, is_enabled
from license.state import State, Status

from .clock import now
from .errors import ApiError

__all__ = ["Access", "Entitlements", "FREE_ACTIVE_APPLICATIONS", "FREE", "FeatureOff"]

FREE = Status(state=State.UNLICENSED, reason="no_license")


class Access(msgspec.Struct):
    """Whether a feature is on now and why (a stable reason code), as the API tells the app."""
    on: bool
    reason: str


class FeatureOff(ApiError):
    """402: the feature needs a plan that includes it. The body names the
    entitlement and the reason (a stable code the PWA turns into words)."""

    def __init__(self, name: str, reason: str, message: str | None = None, **facts: object):
        super().__init__(402, "feature_not_in_plan", message or f"This needs JobDeck Pro ({name}).",
                         details={"entitlement": name, "reason": reason, **facts})


class Entitlements:
    def __init__(self, status: Callable[[], Status] = lambda: FREE,
                 clock: Callable[[], float] = now):
        self._status = status
        self._clock = clock

    def attach(self, status: Callable[[], Status], clock: Callable[[], float] | None = None) -> None:
        """Feed decisions from ``status`` and ``clock`` (the license client's
        status and trusted time)."""
        self._status = status
        if clock is not None:
            self._clock = clock

    def now(self) -> int:
        return int(self._clock())

    def status(self) -> Status:
        return self._status()

    def check(self, name: str) -> Decision:
        return is_enabled(self._status(), name, self.now())

    def access(self, name: str) -> Access:
        decision = self.check(name)
        return Access(on=decision.on, reason=decision.reason)

    def require(self, name: str, message: str | None = None, **facts: object) -> None:
        """Refuse unless ``name`` is on; ``facts`` go into the 402's details
        (a Free limit, say) so the app can word the refusal itself."""
        decision = self.check(name)
        if not decision.on:
            raise FeatureOff(name, decision.reason, message, **facts)
