"""Routes served as plain ASGI: validate and refresh, the bulk of the traffic.

They skip Litestar's request object, the handler's signature model and the
response object (about a third of a validation's CPU), and the service app
calls them before its middleware and router
(:class:`~license.service.app.LicenseService`); they are registered with
Litestar too, so every other way in reaches the same code. The body is read
here, with the same size limit as every other route, an unexpected error is
answered here (500, logged), and the answer (a
:class:`~license.service.routes.Reply`) is sent as two ASGI messages.
Everything the answer says is decided by the same code as the other license
routes (:func:`license.service.routes.licensing.answer`).
"""

from __future__ import annotations

from typing import Awaitable, Callable

from litestar.handlers import asgi
from litestar.types import Receive, Scope, Send

from ..context import ServiceContext, log
from . import Reply, address_of, error_reply

__all__ = ["raw_post", "BodyTooLarge", "read_body"]

Answer = Callable[[ServiceContext, str, bytes], Awaitable[Reply]]


class BodyTooLarge(Exception):
    pass


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of a header (as Litestar's ``headers.get`` gives)."""
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole body, or :class:`BodyTooLarge` as soon as it passes ``limit``
    (announced by Content-Length or counted as it arrives)."""
    declared = _header(scope, b"content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def _send(send: Send, reply: Reply) -> None:
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(reply.body)).encode("ascii"))]
    headers += [(name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in reply.headers.items()]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body, "more_body": False})


def raw_post(path: str, answer: Answer, *, max_body: int, name: str):
    """A POST route at ``path`` whose answer is ``answer(ctx, client address, body)``."""

    async def reply(ctx: ServiceContext, scope: Scope, receive: Receive) -> Reply:
        if scope["method"] != "POST":
            return error_reply(ctx, 405, "METHOD_NOT_ALLOWED", "Use POST.", headers={"Allow": "POST"})
        try:
            body = await read_body(scope, receive, max_body)
        except BodyTooLarge:
            return error_reply(ctx, 413, "BODY_TOO_LARGE", f"The body is larger than {max_body} bytes.")
        client = scope.get("client")
        forwarded = _header(scope, b"x-forwarded-for") if ctx.config.trust_forwarded_for else None
        return await answer(ctx, address_of(ctx, forwarded, client[0] if client else None), body)

    @asgi(path, name=name, copy_scope=False)
    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        ctx: ServiceContext = scope["litestar_app"].state.ctx
        try:
            answered = await reply(ctx, scope, receive)
        except Exception:  # nothing was sent yet: a clear 500, as Litestar would give
            log.exception("%s failed", name)
            answered = error_reply(ctx, 500, "INTERNAL_ERROR",
                                   "The license service failed to answer. Try again later.")
        await _send(send, answered)

    return route
