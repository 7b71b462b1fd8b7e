"""The real service app in-process, and the app's real LicenseClient wired to
it through ``httpx.ASGITransport``."""

from __future__ import annotations

import json
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

import httpx
from litestar import Litestar

from license.client import LicenseClient, httpx_transport
from license.lease import Binding, Claims, Trust, decode
from license.service.app import check_schema, create_service
from license.service.config import ServiceConfig
from license.service.context import IssuedSecret
from license.service.issuing import (assign_seat, create_admin_token, create_organisation,
                                     issue_license)
from license.service.models import License, Member, new_id
from license.service.ratelimit import Limiter
from license.service.signing import KeyRing
from license.storage import MemoryStore
from tests.license.fakes import Clock

BASE = "http://license.test"
STRIPE_SECRET = "whsec_test_" + "s" * 32
GENEROUS = dict(requests_per_minute=1_000_000, failed_activations_per_hour=1_000_000,
                stripe_webhook_secret=STRIPE_SECRET)


def fresh_sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'license.db'}"


def binding(n: int | str = 0) -> Binding:
    """A machine: the hashes license.fingerprint would send."""
    return Binding(f"fp1.{str(n).rjust(64, '0')}", f"fp1.{str(n).rjust(64, 'f')}")


def request_body(key: str, machine: Binding, nonce: str | None = None, **extra: Any) -> dict:
    return {"key": key, "fingerprint": machine.fingerprint, "installId": machine.install_id,
            "nonce": nonce or secrets.token_urlsafe(18), "platform": "linux", **extra}


class Harness:
    def __init__(self, database_url: str, keys: KeyRing, clock: Clock, *,
                 limiter: Limiter | None = None, **config: Any):
        settings = {**GENEROUS, **config}
        self.config = ServiceConfig(database_url=database_url, **settings)
        self.keys, self.clock = keys, clock
        self.delivered: list[IssuedSecret] = []
        self.app: Litestar = create_service(self.config, keys=keys, clock=clock,
                                            deliver=self._deliver, limiter=limiter)
        self.ctx = self.app.state.ctx
        self.http: httpx.AsyncClient | None = None

    async def _deliver(self, secret: IssuedSecret) -> None:
        self.delivered.append(secret)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Harness]:
        """What the app's lifespan does, done here: pytest-asyncio sets a
        fixture up and tears it down in different tasks, which the lifespan's
        task group refuses (test_app.py runs the real lifespan)."""
        await check_schema(self.ctx)
        self.ctx.usage.start()
        try:
            transport = httpx.ASGITransport(app=self.app, client=("203.0.113.7", 40000))
            async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
                self.http = http
                yield self
        finally:
            await self.ctx.usage.close()
            await self.ctx.limiter.close()
            await self.ctx.engine.dispose()

    # -- talking to it ----------------------------------------------------------

    def trust(self, keys: KeyRing | None = None) -> Trust:
        return Trust.from_text((keys or self.keys).public_keys())

    async def post(self, path: str, body: dict | bytes, **kwargs: Any) -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return await self.http.post(path, content=content,
                                    headers={"content-type": "application/json",
                                             **kwargs.pop("headers", {})}, **kwargs)

    async def call(self, path: str, key: str, machine: Binding, **extra: Any) -> Claims:
        """POST a license request; return the verified claims of the answer."""
        body = request_body(key, machine, **extra)
        response = await self.post(path, body)
        assert response.status_code < 500 and response.status_code != 429, response.text
        return decode(response.json()["token"], self.trust(), types=frozenset({"lease", "denial"}),
                      binding=machine, nonce=body["nonce"])

    def client(self, machine: Binding | None = None, *, store: MemoryStore | None = None,
               trust: Trust | None = None) -> LicenseClient:
        """The app's own license client, talking to this service in-process."""
        return LicenseClient(store=store or MemoryStore(), transport=httpx_transport(self.http),
                             binding=machine or binding(), trust=trust or self.trust(),
                             clock=self.clock, timeout=30.0)

    # -- making things directly in the database -----------------------------------

    async def issue(self, plan: str = "pro", **kwargs: Any) -> tuple[License, str | None]:
        async with self.ctx.sessions.begin() as session:
            return await issue_license(session, self.keys.key_secret, plan=plan,
                                       now=self.ctx.now(), **kwargs)

    async def organisation(self, name: str = "Acme") -> tuple[str, str]:
        """(organisation id, admin token)."""
        async with self.ctx.sessions.begin() as session:
            org = await create_organisation(session, name, self.ctx.now())
            _, token = await create_admin_token(session, self.keys.key_secret, org.id, "test",
                                                self.ctx.now())
            return org.id, token

    async def member_key(self, license: License, email: str) -> str:
        async with self.ctx.sessions.begin() as session:
            member = Member(id=new_id("mem"), org_id=license.org_id, email=email, name=email,
                            created_at=self.ctx.now())
            session.add(member)
            await session.flush()
            _, key = await assign_seat(session, self.keys.key_secret, license, member.id,
                                       self.ctx.now())
            return key

    async def get(self, model: type, ident: str):
        async with self.ctx.sessions() as session:
            return await session.get(model, ident)
