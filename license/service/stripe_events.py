"""Applying Stripe events to licenses (LICENSING.md "Stripe").

Stripe delivers at least once and out of order, so:

- each event id is recorded in the transaction that applies it (a
  duplicate finds its id and changes nothing; two deliveries racing meet at
  the primary key);
- the license row is locked while an event is applied, like an activation;
- an event older than the newest one already applied to the license (by
  Stripe's ``created``) is stale and ignored. Checkout completion never
  moves that mark: it carries no subscription state.

A license made by an event gets a new key (Pro) or an organisation with an
admin token (Team/Enterprise), handed to the deliverer after the commit.
Revoked is the service's own verdict: no Stripe event lifts it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .context import IssuedSecret, ServiceContext, log
from .issuing import bump, create_admin_token, create_organisation, issue_license, set_status
from .machines import lock_license
from .models import License, Organisation, StripeCharge, StripeEvent
from .policies import POLICIES, policy_for

__all__ = ["apply_event", "STATUS_MAP", "HANDLED"]

STATUS_MAP = {"trialing": "active", "active": "active", "past_due": "past_due",
              "unpaid": "expired", "canceled": "expired", "incomplete_expired": "expired",
              "paused": "suspended"}
Obj = dict[str, Any]


def _id(value: Any) -> str | None:
    """Stripe fields are an id or, when expanded, an object with one."""
    if isinstance(value, dict):
        return value.get("id")
    return value if isinstance(value, str) else None


def _plan(ctx: ServiceContext, obj: Obj) -> str:
    plan = (obj.get("metadata") or {}).get("plan")
    if plan not in POLICIES:
        items = ((obj.get("items") or {}).get("data")) or []
        price = _id((items[0].get("price") if items else None))
        plan = ctx.config.stripe_price_plans.get(price or "", "pro")
    return plan


def _quantity(subscription: Obj) -> int:
    items = ((subscription.get("items") or {}).get("data")) or []
    total = sum(int(item.get("quantity") or 0) for item in items)
    return max(1, total or int(subscription.get("quantity") or 1))


def _period_end(subscription: Obj) -> int | None:
    end = subscription.get("current_period_end")
    if end is None:  # newer API versions keep the period on the items
        items = ((subscription.get("items") or {}).get("data")) or []
        ends = [item["current_period_end"] for item in items if item.get("current_period_end")]
        end = max(ends) if ends else None
    return int(end) if end is not None else None


def _invoice_subscription(invoice: Obj) -> str | None:
    found = _id(invoice.get("subscription"))
    if found is None:  # newer API versions: parent.subscription_details
        details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
        found = _id(details.get("subscription"))
    return found


async def _by_subscription(session: AsyncSession, subscription_id: str | None) -> License | None:
    if not subscription_id:
        return None
    found = await session.scalar(select(License.id).where(
        License.stripe_subscription_id == subscription_id))
    return await lock_license(session, found) if found else None


async def _by_charge(session: AsyncSession, charge: Obj) -> License | None:
    found = await session.scalar(select(StripeCharge.license_id).where(StripeCharge.id == charge["id"]))
    if found is None and _id(charge.get("customer")):
        found = await session.scalar(select(License.id).where(
            License.stripe_customer_id == _id(charge["customer"])).order_by(License.created_at.desc()))
    return await lock_license(session, found) if found else None


def _stale(license: License, created: int) -> bool:
    return license.stripe_snapshot_at is not None and created < license.stripe_snapshot_at


async def _create(ctx: ServiceContext, session: AsyncSession, *, subscription_id: str,
                  customer: str | None, email: str | None, plan: str, seats: int, metadata: Obj,
                  issued: list[IssuedSecret]) -> License:
    now = ctx.now()
    org_id = None
    if policy_for(plan).per_member:
        wanted = metadata.get("org_id")
        org = await session.get(Organisation, wanted) if wanted else None
        if org is None:
            org = await create_organisation(session, metadata.get("org_name") or email or customer
                                            or "Organisation", now)
            _, token = await create_admin_token(session, ctx.keys.key_secret, org.id, "owner", now)
            issued.append(IssuedSecret("admin_token", None, org.id, email, token, customer))
        org_id = org.id
    license, key = await issue_license(session, ctx.keys.key_secret, plan=plan, now=now, seats=seats,
                                       org_id=org_id, owner_email=email)
    license.stripe_subscription_id, license.stripe_customer_id = subscription_id, customer
    if key is not None:
        issued.append(IssuedSecret("license_key", license.id, org_id, email, key, customer))
    log.info("stripe: license %s (%s) made for subscription %s", license.id, plan, subscription_id)
    return license


async def _checkout_completed(ctx, session, obj: Obj, created: int, issued) -> tuple[str, License | None]:
    subscription_id = _id(obj.get("subscription"))
    if obj.get("mode") != "subscription" or not subscription_id:
        return "ignored", None
    license = await _by_subscription(session, subscription_id)
    customer = _id(obj.get("customer"))
    email = (obj.get("customer_details") or {}).get("email") or obj.get("customer_email")
    if license is not None:
        license.stripe_customer_id = license.stripe_customer_id or customer
        license.owner_email = license.owner_email or email
        return "linked", license
    metadata = obj.get("metadata") or {}
    plan = metadata.get("plan") if metadata.get("plan") in POLICIES else "pro"
    seats = int(metadata.get("seats") or 1)
    return "created", await _create(ctx, session, subscription_id=subscription_id, customer=customer,
                                    email=email, plan=plan, seats=seats, metadata=metadata,
                                    issued=issued)


async def _subscription(ctx, session, obj: Obj, created: int, issued, *, kind: str) -> tuple[str, License | None]:
    license = await _by_subscription(session, obj["id"])
    outcome = "applied"
    if license is None:
        license = await _create(ctx, session, subscription_id=obj["id"], customer=_id(obj.get("customer")),
                                email=None, plan=_plan(ctx, obj), seats=_quantity(obj),
                                metadata=obj.get("metadata") or {}, issued=issued)
        outcome = "created"
    elif _stale(license, created):
        return "stale", license
    now = ctx.now()
    license.stripe_snapshot_at, license.stripe_status = created, obj.get("status")
    if license.status == "revoked":
        return "revoked", license
    status = {"deleted": "expired", "paused": "suspended"}.get(kind) or STATUS_MAP.get(obj.get("status"))
    changed = False
    if status and license.status != status:
        license.status, changed = status, True
    seats = _quantity(obj) if policy_for(license.plan).per_member else 1
    period_end = _period_end(obj)
    if seats != license.seats:  # lowering never ends a running machine: surplus seats stop renewing
        license.seats, changed = seats, True
    if period_end is not None and period_end != license.period_end:
        license.period_end, changed = period_end, True
    if changed:
        bump(license, now)
    return outcome, license


async def _invoice(ctx, session, obj: Obj, created: int, issued, *, paid: bool) -> tuple[str, License | None]:
    license = await _by_subscription(session, _invoice_subscription(obj))
    if license is None:
        return "unmatched", None
    if _stale(license, created):
        return "stale", license
    license.stripe_snapshot_at = created
    now = ctx.now()
    if paid:
        charge = _id(obj.get("charge"))
        if charge and await session.get(StripeCharge, charge) is None:
            session.add(StripeCharge(id=charge, license_id=license.id))
        ends = [int(line["period"]["end"]) for line in ((obj.get("lines") or {}).get("data") or [])
                if (line.get("period") or {}).get("end")]
        if ends and max(ends) > (license.period_end or 0):
            license.period_end = max(ends)
            bump(license, now)
        if license.status in ("past_due", "expired") and license.stripe_status != "canceled":
            set_status(license, "active", now)
            license.stripe_status = "active"
        return "applied", license
    if license.status == "active":
        set_status(license, "past_due", now)
    return "applied", license


async def _charge_refunded(ctx, session, obj: Obj, created: int, issued) -> tuple[str, License | None]:
    license = await _by_charge(session, obj)
    if license is None:
        return "unmatched", None
    if _stale(license, created):
        return "stale", license
    if not obj.get("refunded"):  # partly refunded: a goodwill credit, the license stays
        return "noted", license
    license.stripe_snapshot_at = created
    if license.status != "revoked":
        set_status(license, "expired", ctx.now())
    return "applied", license


async def _dispute_created(ctx, session, obj: Obj, created: int, issued) -> tuple[str, License | None]:
    license = await _by_charge(session, {"id": _id(obj.get("charge")) or ""})
    if license is None:
        return "unmatched", None
    if license.status != "revoked":  # suspended until the dispute is settled by hand
        set_status(license, "suspended", ctx.now())
    return "applied", license


def _sub(kind: str):
    async def handler(ctx, session, obj, created, issued):
        return await _subscription(ctx, session, obj, created, issued, kind=kind)
    return handler


def _inv(paid: bool):
    async def handler(ctx, session, obj, created, issued):
        return await _invoice(ctx, session, obj, created, issued, paid=paid)
    return handler


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _sub("created"),
    "customer.subscription.updated": _sub("updated"),
    "customer.subscription.deleted": _sub("deleted"),
    "customer.subscription.paused": _sub("paused"),
    "customer.subscription.resumed": _sub("resumed"),
    "invoice.paid": _inv(True),
    "invoice.payment_failed": _inv(False),
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
}
HANDLED = frozenset(HANDLERS)


async def apply_event(ctx: ServiceContext, event: Obj) -> str:
    """Apply one verified event; return what happened (for the answer and
    tests): created, applied, linked, stale, duplicate, ignored, unmatched, …"""
    event_id, kind, created = str(event["id"]), str(event["type"]), int(event["created"])
    obj = event["data"]["object"]
    for attempt in range(3):
        issued: list[IssuedSecret] = []
        try:
            async with ctx.sessions.begin() as session:
                if await session.get(StripeEvent, event_id) is not None:
                    return "duplicate"
                handler = HANDLERS.get(kind)
                outcome, license = ("ignored", None) if handler is None else await handler(
                    ctx, session, obj, created, issued)
                session.add(StripeEvent(id=event_id, type=kind[:64], created=created,
                                        received_at=ctx.now(), outcome=outcome,
                                        license_id=license.id if license else None))
            break
        except IntegrityError:
            # A concurrent delivery of this event (its id) or of another event
            # making the same license (the subscription id) committed first:
            # start again and see what is there now.
            if attempt == 2:
                raise
    log.info("stripe %s %s: %s", kind, event_id, outcome)
    for secret in issued:
        try:
            await ctx.deliver(secret)
        except Exception:  # recorded and committed: a lost delivery is fixed by issuing anew
            log.exception("stripe: delivering a %s for %s failed", secret.kind,
                          secret.license_id or secret.org_id)
    return outcome
