"""``POST /v1/stripe/webhook``: Stripe's events, verified with the ``stripe``
package before anything is read from them."""

from __future__ import annotations

import json

from litestar import Request, Response, post

from ..context import log
from ..stripe_events import apply_event
from . import context_of, error, json_response

__all__ = ["ROUTES"]


@post("/stripe/webhook", status_code=200)
async def stripe_webhook(request: Request) -> Response:
    import stripe  # only the webhook needs it

    ctx = context_of(request)
    secret = ctx.config.stripe_webhook_secret
    if not secret:
        return error(ctx, 404, "NOT_CONFIGURED", "This service takes no Stripe events.")
    payload = await request.body()
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, request.headers.get("stripe-signature"), secret,
                                              tolerance=ctx.config.stripe_tolerance)
        event = json.loads(text)
        event["id"], event["type"], event["created"], event["data"]["object"]  # noqa: B018 - shape check
    except stripe.SignatureVerificationError:
        log.warning("stripe: a webhook call with a bad signature was refused")
        return error(ctx, 400, "BAD_SIGNATURE", "The Stripe-Signature header does not verify.")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return error(ctx, 400, "BAD_EVENT", "Not a Stripe event.")
    outcome = await apply_event(ctx, event)
    return json_response(ctx, {"received": True, "outcome": outcome})


ROUTES = [stripe_webhook]
