"""HTTP routes under ``/v1``: one module per resource."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response

from ..context import ServiceContext
from ..hashing import digest

__all__ = ["json_response", "error", "client_address", "context_of"]


def context_of(request: Request) -> ServiceContext:
    return request.app.state.ctx


def json_response(ctx: ServiceContext, data: Any, status: int = 200, *, signed: bool = False,
                  headers: dict[str, str] | None = None) -> Response:
    """JSON bytes; ``signed`` adds ``JobDeck-Signature: <kid>.<sig>``, a
    detached Ed25519 signature over the exact body (KeyRing.sign_body)."""
    body = msgspec.json.encode(data)
    headers = dict(headers or {})
    if signed:
        headers["JobDeck-Signature"] = ctx.keys.sign_body(body)
    headers.setdefault("Cache-Control", "no-store")
    return Response(content=body, status_code=status, media_type="application/json", headers=headers)


def error(ctx: ServiceContext, status: int, code: str, message: str,
          headers: dict[str, str] | None = None) -> Response:
    return json_response(ctx, {"error": {"code": code, "message": message}}, status, headers=headers)


def client_address(ctx: ServiceContext, request: Request) -> str:
    if ctx.config.trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]  # the hop our own load balancer appended
    return request.client.host if request.client else "unknown"


def client_hash(ctx: ServiceContext, request: Request) -> str:
    return digest(ctx.keys.key_secret, "client", client_address(ctx, request))
