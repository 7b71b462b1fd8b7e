"""is_enabled: the one answer to "is X on now"."""

from __future__ import annotations

import pytest

from license.entitlements import ENTITLEMENTS, PLAN_ENTITLEMENTS, is_enabled
from license.state import PAID_STATES, State, Status

from .fakes import DAY, T0

# ARCHITECTURE.md "Free, Pro, Team, Enterprise", word for word.
PRO = {"filters.advanced", "tracking.unlimited", "tracking.reminders", "insights.salary",
       "insights.company", "insights.trends", "resume.match", "alerts", "export.full"}
TEAM = PRO | {"team"}
ENTERPRISE = TEAM | {"sso", "branding", "license.offline_file", "api.tokens.scoped"}


def status(state: State = State.ACTIVE, plan: str = "pro", reason: str | None = None) -> Status:
    return Status(state=state, reason=reason or state.value.lower(), plan=plan,
                  entitlements=frozenset(PLAN_ENTITLEMENTS[plan]), valid_until=T0 + DAY)


def test_the_names_are_exactly_the_architectures() -> None:
    assert set(PLAN_ENTITLEMENTS["free"]) == set()
    assert set(PLAN_ENTITLEMENTS["pro"]) == PRO
    assert set(PLAN_ENTITLEMENTS["team"]) == TEAM
    assert set(PLAN_ENTITLEMENTS["enterprise"]) == ENTERPRISE == ENTITLEMENTS


@pytest.mark.parametrize("plan", ["free", "pro", "team", "enterprise"])
def test_each_plan_turns_on_its_own_entitlements_only(plan: str) -> None:
    for name in ENTERPRISE:
        decision = is_enabled(status(plan=plan), name, T0)
        assert decision.on == (name in PLAN_ENTITLEMENTS[plan]), (plan, name)
        assert decision.reason == ("active" if decision.on else "not_in_plan")


def test_unlicensed_has_none_of_the_paid_features() -> None:
    unlicensed = Status(state=State.UNLICENSED, reason="unlicensed")
    assert {is_enabled(unlicensed, name, T0) for name in ENTERPRISE} == {(False, "unlicensed")}


@pytest.mark.parametrize("state", [s for s in State if s not in PAID_STATES])
def test_a_lapsed_license_turns_features_off_and_says_why(state: State) -> None:
    decision = is_enabled(status(state, plan="enterprise", reason=f"why-{state.value}"), "alerts", T0)
    assert decision == (False, f"why-{state.value}")


@pytest.mark.parametrize("state", sorted(PAID_STATES))
def test_paid_states_turn_features_on(state: State) -> None:
    assert is_enabled(status(state), "alerts", T0) == (True, state.value.lower())


def test_a_snapshot_kept_past_its_end_turns_features_off() -> None:
    assert is_enabled(status(), "alerts", T0 + DAY - 1).on
    assert is_enabled(status(), "alerts", T0 + DAY) == (False, "renewal_needed")


def test_an_unknown_name_is_a_bug_not_a_silent_no() -> None:
    with pytest.raises(ValueError, match="unknown entitlement"):
        is_enabled(status(), "insights.salaries", T0)
    with pytest.raises(ValueError):
        is_enabled(status(), "pro", T0)  # features check entitlements, never plan names
