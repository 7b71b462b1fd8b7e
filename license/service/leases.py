"""Turn an :class:`~license.service.machines.Outcome` into signed claims:
a lease when the machine may work, a signed denial otherwise. Both echo the
request's nonce, fingerprint and install id (the app checks all three)."""

from __future__ import annotations

from license.lease import AUDIENCE, ISSUER, Claims

from .machines import LicenseRequest, Outcome, policy_of
from .models import License

__all__ = ["claims_for", "subscription_end"]


def subscription_end(license: License) -> int | None:
    """Period end + the policy's margin (Pro/Team: 3 days; Enterprise: the
    contract end itself); a license without either has no end."""
    if license.period_end is not None:
        end = license.period_end + policy_of(license).subscription_margin
        return min(end, license.expires_at) if license.expires_at is not None else end
    return license.expires_at


def claims_for(outcome: Outcome, request: LicenseRequest, kid: str, now: int) -> Claims:
    license, machine = outcome.license, outcome.machine
    common = dict(kid=kid, iss=ISSUER, aud=AUDIENCE, code=outcome.code, nonce=request.nonce,
                  fingerprint=request.fingerprint, install_id=request.install_id, iat=now, nbf=now)
    if outcome.leased:
        policy = policy_of(license)
        return Claims(typ="lease", license_id=license.id, machine_id=machine.id, plan=license.plan,
                      entitlements=policy.entitlements, seats=license.seats, status=license.status,
                      exp=machine.lease_expires_at, grace=policy.grace,
                      subscription_end=subscription_end(license), rev=license.ver, **common)
    return Claims(typ="denial", license_id=license.id if license else "",
                  machine_id=machine.id if machine else "", plan=license.plan if license else "",
                  entitlements=(), seats=license.seats if license else 0,
                  status=license.status if license else "unknown", exp=now, grace=0,
                  subscription_end=None, rev=license.ver if license else 0, **common)
