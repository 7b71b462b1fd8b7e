"""Who is asking: a browser session, an API token, or the CLI in-process."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from .db import Database
from .db import credentials

__all__ = ["Authenticator", "Principal"]


@dataclass(frozen=True)
class Principal:
    kind: str  # "session", "token" or "internal"
    scopes: frozenset[str]
    token_id: int | None = None


SESSION = Principal("session", frozenset({"read", "write"}))
INTERNAL = Principal("internal", frozenset({"read", "write"}))


class Authenticator:
    """Checks credentials against the database.

    ``internal_secret`` lives only in this process's memory: it lets
    ``jobdeck --get`` make an authenticated in-process request without
    writing anything to disk.
    """

    def __init__(self, db: Database, internal_secret: str) -> None:
        self.db = db
        self.internal_secret = internal_secret

    async def check_session(self, secret: str | None) -> Principal | None:
        if not secret or len(secret) > 128:
            return None
        return SESSION if await credentials.find_session(self.db, secret) else None

    async def check_bearer(self, secret: str) -> Principal | None:
        if not secret or len(secret) > 128:
            return None
        if hmac.compare_digest(secret.encode(), self.internal_secret.encode()):
            return INTERNAL
        token = await credentials.find_api_token(self.db, secret)
        if token is None:
            return None
        return Principal("token", frozenset(token.scopes), token.id)
