"""The guard in front of every request (see the design's SECURITY.md).

Our own ASGI middleware, outermost, so no framework feature runs before it:
1. the Host header must be one of ours (DNS rebinding);
2. unsafe methods from a browser must come from our own origin (CSRF);
3. every ``/api`` route but health needs a session cookie or a bearer token;
4. every response carries a strict CSP and the other protective headers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from litestar.utils import normalize_path

from .auth import Authenticator

__all__ = ["HostPolicy", "SecurityMiddleware", "SESSION_COOKIE"]

SESSION_COOKIE = "jobdeck_session"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PUBLIC_API = frozenset({"/api/v1/health"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
       "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The API reference page is a vendored web component that styles itself inline.
SCHEMA_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

BASE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class HostPolicy:
    """Which Host values and origins are ours. The port is set once bound."""

    port: int
    extra_names: list[str] = field(default_factory=list)
    scheme: str = "http"

    def hosts(self) -> frozenset[str]:
        names = [*LOOPBACK_NAMES, *self.extra_names]
        allowed = {f"{name}:{self.port}".lower() for name in names}
        allowed.update(name.lower() for name in self.extra_names if ":" in name.strip("[]"))
        return frozenset(allowed)

    def origins(self) -> frozenset[str]:
        return frozenset(f"{self.scheme}://{host}" for host in self.hosts())


def _header(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope["headers"] if key == name]


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"), *BASE_HEADERS, (b"content-security-policy", CSP.encode())]})
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    def __init__(self, app: Callable[..., Awaitable[None]], *, policy: HostPolicy,
                 authenticator: Authenticator, max_body_bytes: int) -> None:
        self.app = app
        self.policy = policy
        self.authenticator = authenticator
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets: SSE carries the events
            await send({"type": "websocket.close", "code": 1008})
            return
        problem = await self._check(scope)
        if problem is not None:
            await _refuse(send, *problem)
            return
        await self.app(scope, receive, self._with_headers(scope, send))

    async def _check(self, scope: Scope) -> tuple[int, str, str] | None:
        hosts = _header(scope, b"host")
        # One Host, exactly ours. Forwarded headers are never consulted.
        if len(hosts) != 1 or hosts[0].lower() not in self.policy.hosts():
            return 400, "bad_host", "This server answers only to its own address."

        lengths = _header(scope, b"content-length")
        if lengths and (not lengths[0].isdigit() or int(lengths[0]) > self.max_body_bytes):
            return 413, "body_too_large", f"Request bodies are limited to {self.max_body_bytes} bytes."

        method = scope["method"]
        authorization = _header(scope, b"authorization")
        bearer = authorization[0][7:].strip() if authorization and authorization[0][:7].lower() == "bearer " else None
        if method in UNSAFE_METHODS and bearer is None and not self._same_origin(scope):
            return 403, "cross_site", "Cross-site requests are refused."

        path = _route_path(scope)
        if (path == "/api" or path.startswith("/api/")) and path not in PUBLIC_API:
            if bearer is not None:
                principal = await self.authenticator.check_bearer(bearer)
                if principal is None:
                    return 401, "unauthenticated", "That API token is unknown or revoked."
                if method not in ("GET", "HEAD") and "write" not in principal.scopes:
                    return 403, "forbidden", "That API token may only read."
            else:
                principal = await self.authenticator.check_session(_cookie(scope, SESSION_COOKIE))
                if principal is None:
                    return 401, "unauthenticated", (
                        "Sign in by opening JobDeck from the `jobdeck` command.")
            scope.setdefault("state", {})["principal"] = principal
        return None

    def _same_origin(self, scope: Scope) -> bool:
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site:
            return fetch_site[0] in ("same-origin", "none")
        origin = _header(scope, b"origin")
        return bool(origin) and origin[0].lower() in self.policy.origins()

    def _with_headers(self, scope: Scope, send: Send) -> Send:
        path = _route_path(scope)
        csp = (SCHEMA_CSP if path.startswith("/schema") else CSP).encode()
        extra = [*BASE_HEADERS, (b"content-security-policy", csp)]
        if path.startswith("/api/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in extra if h[0] not in present)]
            await send(message)

        return send_with_headers


def _route_path(scope: Scope) -> str:
    """The path as Litestar's router will match it: ``//api/v1/jobs/`` is ``/api/v1/jobs``.

    Judging the raw path instead would let ``//api/...`` reach the API unauthenticated.
    """
    return normalize_path(scope["path"])


def _cookie(scope: Scope, name: str) -> str | None:
    for header in _header(scope, b"cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
    return None
