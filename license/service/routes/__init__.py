"""HTTP routes under ``/v1``: one module per resource."""

from __future__ import annotations

from typing import Any, NamedTuple

import msgspec
from litestar import Request, Response

from ..context import ServiceContext
from ..hashing import digest

__all__ = ["Reply", "json_reply", "error_reply", "to_response", "json_response", "error",
           "client_address", "address_of", "client_hash", "context_of"]


class Reply(NamedTuple):
    """A JSON answer before any framework sees it: the raw routes
    (:mod:`.raw`) send it as it is, the others as a Litestar ``Response``."""

    status: int
    body: bytes
    headers: dict[str, str]


def context_of(request: Request) -> ServiceContext:
    return request.app.state.ctx


def json_reply(ctx: ServiceContext, data: Any, status: int = 200, *, signed: bool = False,
               headers: dict[str, str] | None = None) -> Reply:
    """JSON bytes; ``signed`` adds ``JobDeck-Signature: <kid>.<sig>``, a
    detached Ed25519 signature over the exact body (KeyRing.sign_body)."""
    body = msgspec.json.encode(data)
    headers = dict(headers or {})
    if signed:
        headers["JobDeck-Signature"] = ctx.keys.sign_body(body)
    headers.setdefault("Cache-Control", "no-store")
    return Reply(status, body, headers)


def error_reply(ctx: ServiceContext, status: int, code: str, message: str,
                headers: dict[str, str] | None = None) -> Reply:
    return json_reply(ctx, {"error": {"code": code, "message": message}}, status, headers=headers)


def to_response(reply: Reply) -> Response:
    return Response(content=reply.body, status_code=reply.status, media_type="application/json",
                    headers=reply.headers)


def json_response(ctx: ServiceContext, data: Any, status: int = 200, *, signed: bool = False,
                  headers: dict[str, str] | None = None) -> Response:
    return to_response(json_reply(ctx, data, status, signed=signed, headers=headers))


def error(ctx: ServiceContext, status: int, code: str, message: str,
          headers: dict[str, str] | None = None) -> Response:
    return to_response(error_reply(ctx, status, code, message, headers))


def address_of(ctx: ServiceContext, forwarded_for: str | None, peer: str | None) -> str:
    """The client's address: the peer's, or behind our own load balancer
    (``trust_forwarded_for``) the last hop of ``X-Forwarded-For``."""
    if ctx.config.trust_forwarded_for and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if hops:
            return hops[-1]  # the hop our own load balancer appended
    return peer or "unknown"


def client_address(ctx: ServiceContext, request: Request) -> str:
    return address_of(ctx, request.headers.get("x-forwarded-for"),
                      request.client.host if request.client else None)


def client_hash(ctx: ServiceContext, address: str) -> str:
    return digest(ctx.keys.key_secret, "client", address)
