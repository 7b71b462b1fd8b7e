"""Stripe webhooks through signed events (the ``stripe`` package's own
offline helper builds the Stripe-Signature header): the whole purchase
lifecycle, duplicates, stale snapshots and tampering, on both databases."""

from __future__ import annotations

import asyncio
import json
import secrets
import time

import stripe
from sqlalchemy import func, select

from license.service.models import License, Organisation, StripeEvent
from license.service.policies import DAY
from license.state import State

from .harness import STRIPE_SECRET, binding

T = 1_760_000_000  # Stripe's event times: any increasing values will do


def event(kind: str, obj: dict, created: int, event_id: str | None = None) -> dict:
    return {"id": event_id or f"evt_{secrets.token_hex(8)}", "object": "event", "type": kind,
            "created": created, "livemode": False, "data": {"object": obj}}


def subscription(status: str, *, quantity: int = 1, period_end: int, plan: str = "pro",
                 sub: str = "sub_1") -> dict:
    return {"id": sub, "object": "subscription", "customer": "cus_1", "status": status,
            "metadata": {"plan": plan},
            "items": {"data": [{"quantity": quantity, "current_period_end": period_end,
                                "price": {"id": "price_x"}}]}}


def invoice(*, charge: str = "ch_1", period_end: int, sub: str = "sub_1") -> dict:
    return {"id": f"in_{secrets.token_hex(4)}", "object": "invoice", "customer": "cus_1",
            "subscription": sub, "charge": charge,
            "lines": {"data": [{"period": {"start": period_end - 30 * DAY, "end": period_end}}]}}


def checkout(*, plan: str = "pro", sub: str = "sub_1", email: str = "buyer@example.com") -> dict:
    return {"id": "cs_1", "object": "checkout.session", "mode": "subscription", "subscription": sub,
            "customer": "cus_1", "customer_details": {"email": email}, "metadata": {"plan": plan}}


async def send(service, evt: dict, *, secret: str = STRIPE_SECRET, tamper=None, timestamp=None):
    payload = json.dumps(evt)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    if tamper is not None:
        payload = tamper(payload)
    return await service.post("/v1/stripe/webhook", payload.encode(),
                              headers={"Stripe-Signature": header})


async def outcome(service, evt: dict) -> str:
    response = await send(service, evt)
    assert response.status_code == 200, response.text
    return response.json()["outcome"]


async def license_of(service, sub: str = "sub_1") -> License:
    async with service.ctx.sessions() as session:
        return (await session.execute(select(License).where(
            License.stripe_subscription_id == sub))).scalar_one()


async def test_the_whole_purchase_lifecycle(service):
    now = service.ctx.now()
    assert await outcome(service, event("checkout.session.completed", checkout(), T)) == "created"
    [delivered] = service.delivered
    assert delivered.kind == "license_key" and delivered.email == "buyer@example.com"
    client = service.client(binding(1))
    await client.start()
    assert (await client.activate(delivered.secret)).ok
    assert client.status().state is State.ACTIVE

    async def refreshed() -> State:
        service.clock.advance(60)
        await client.refresh(force=True)
        return client.status().state

    period_end = now + 30 * DAY
    assert await outcome(service, event("customer.subscription.created",
                                        subscription("active", period_end=period_end), T + 1)) == "applied"
    assert await outcome(service, event("invoice.paid", invoice(period_end=period_end), T + 2)) == "applied"
    assert await refreshed() is State.ACTIVE
    assert client.status().subscription_end == period_end + 3 * DAY
    # Payment fails: past due, still licensed, warned.
    assert await outcome(service, event("invoice.payment_failed", invoice(period_end=period_end), T + 3)) == "applied"
    assert await refreshed() is State.PAST_DUE and client.status().paid
    await outcome(service, event("customer.subscription.updated",
                                 subscription("past_due", period_end=period_end), T + 4))
    assert (await license_of(service)).status == "past_due"
    # Unpaid: expired, applied at once through a signed denial.
    unpaid = event("customer.subscription.updated", subscription("unpaid", period_end=period_end), T + 5)
    await outcome(service, unpaid)
    assert await refreshed() is State.EXPIRED
    # Paid again.
    next_end = period_end + 30 * DAY
    await outcome(service, event("invoice.paid", invoice(charge="ch_2", period_end=next_end), T + 6))
    await outcome(service, event("customer.subscription.updated",
                                 subscription("active", period_end=next_end), T + 7))
    assert await refreshed() is State.ACTIVE
    assert client.status().subscription_end == next_end + 3 * DAY
    # A duplicate of the unpaid event changes nothing.
    assert await outcome(service, unpaid) == "duplicate"
    # A stale snapshot (older than the one applied) is ignored.
    assert await outcome(service, event("customer.subscription.updated",
                                        subscription("unpaid", period_end=period_end), T + 5)) == "stale"
    assert (await license_of(service)).status == "active"
    # Cancelled.
    await outcome(service, event("customer.subscription.deleted",
                                 subscription("canceled", period_end=next_end), T + 8))
    assert await refreshed() is State.EXPIRED
    # Revisions only went up, and every event id was recorded once.
    async with service.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(StripeEvent)) == 10


async def test_subscription_events_before_checkout_make_the_license(service):
    end = service.ctx.now() + 30 * DAY
    assert await outcome(service, event("customer.subscription.created",
                                        subscription("active", period_end=end), T)) == "created"
    assert await outcome(service, event("checkout.session.completed", checkout(), T + 1)) == "linked"
    license = await license_of(service)
    assert (license.status, license.period_end, license.owner_email) == ("active", end, "buyer@example.com")
    assert [d.kind for d in service.delivered] == ["license_key"]


async def test_tampered_unsigned_and_replayed_events_are_refused(service):
    evt = event("checkout.session.completed", checkout(), T)
    tampered = await send(service, evt, tamper=lambda p: p.replace("buyer@", "thief@"))
    assert tampered.status_code == 400 and tampered.json()["error"]["code"] == "BAD_SIGNATURE"
    wrong_secret = await send(service, evt, secret="whsec_other")
    assert wrong_secret.status_code == 400
    missing = await service.post("/v1/stripe/webhook", json.dumps(evt).encode())
    assert missing.status_code == 400
    old = await send(service, evt, timestamp=int(time.time()) - 3600)  # outside the 5-minute window
    assert old.status_code == 400
    async with service.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(StripeEvent)) == 0
        assert await session.scalar(select(func.count()).select_from(License)) == 0
    assert service.delivered == []


async def test_the_same_event_delivered_at_once_applies_once(service):
    evt = event("checkout.session.completed", checkout(), T)
    outcomes = await asyncio.gather(*(outcome(service, evt) for _ in range(6)))
    assert sorted(outcomes) == ["created"] + ["duplicate"] * 5
    assert len(service.delivered) == 1


async def test_team_seats_follow_the_subscription_quantity(service):
    end = service.ctx.now() + 30 * DAY
    await outcome(service, event("checkout.session.completed", checkout(plan="team"), T))
    [token] = service.delivered
    assert token.kind == "admin_token" and token.org_id
    await outcome(service, event("customer.subscription.updated",
                                 subscription("active", quantity=5, period_end=end, plan="team"), T + 1))
    license = await license_of(service)
    assert (license.plan, license.seats, license.org_id) == ("team", 5, token.org_id)
    before = license.ver
    await outcome(service, event("customer.subscription.updated",
                                 subscription("active", quantity=3, period_end=end, plan="team"), T + 2))
    license = await license_of(service)
    assert license.seats == 3 and license.ver > before
    async with service.ctx.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Organisation)) == 1


async def test_pause_resume_refund_and_dispute(service):
    end = service.ctx.now() + 30 * DAY
    await outcome(service, event("checkout.session.completed", checkout(), T))
    await outcome(service, event("invoice.paid", invoice(charge="ch_9", period_end=end), T + 1))
    await outcome(service, event("customer.subscription.paused", subscription("paused", period_end=end), T + 2))
    assert (await license_of(service)).status == "suspended"
    await outcome(service, event("customer.subscription.resumed", subscription("active", period_end=end), T + 3))
    assert (await license_of(service)).status == "active"
    await outcome(service, event("charge.dispute.created", {"id": "dp_1", "charge": "ch_9"}, T + 4))
    assert (await license_of(service)).status == "suspended"
    await outcome(service, event("customer.subscription.updated", subscription("active", period_end=end), T + 5))
    partial = {"id": "ch_9", "object": "charge", "customer": "cus_1", "refunded": False}
    assert await outcome(service, event("charge.refunded", partial, T + 6)) == "noted"
    assert (await license_of(service)).status == "active"
    full = {**partial, "refunded": True}
    assert await outcome(service, event("charge.refunded", full, T + 7)) == "applied"
    assert (await license_of(service)).status == "expired"


async def test_a_revoked_license_stays_revoked(service):
    end = service.ctx.now() + 30 * DAY
    await outcome(service, event("checkout.session.completed", checkout(), T))
    async with service.ctx.sessions.begin() as session:
        (await session.get(License, (await license_of(service)).id)).status = "revoked"
    assert await outcome(service, event("customer.subscription.updated",
                                        subscription("active", period_end=end), T + 1)) == "revoked"
    assert (await license_of(service)).status == "revoked"


async def test_unknown_event_types_are_recorded_and_ignored(service):
    assert await outcome(service, event("customer.created", {"id": "cus_9"}, T)) == "ignored"
