"""API tokens, one-time login tokens and browser sessions.

Only SHA-256 hashes are stored: every secret is 256 random bits, so a plain
hash cannot be reversed, and a stolen database grants nothing.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time

import msgspec

from ..clock import iso
from .database import Database

__all__ = ["ApiToken", "new_secret", "hash_secret", "create_api_token", "list_api_tokens",
           "revoke_api_token", "delete_api_token", "find_api_token", "create_login_token",
           "spend_login_token", "create_session", "find_session", "delete_session"]

TOKEN_PREFIX = "jdk_"
LOGIN_TOKEN_SECONDS = 120


class ApiToken(msgspec.Struct, rename="camel"):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _api_token(row) -> ApiToken:
    return ApiToken(id=row["id"], name=row["name"], prefix=row["prefix"],
                    scopes=json.loads(row["scopes"]), created_at=iso(row["created_at"]),
                    last_used_at=iso(row["last_used_at"]), revoked_at=iso(row["revoked_at"]))


async def create_api_token(db: Database, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """Create a token; returns it and the secret, which is never shown again."""
    secret = new_secret(TOKEN_PREFIX)
    now = int(time.time())
    async with db.write() as conn:
        cursor = await conn.execute(
            "INSERT INTO api_tokens (name, prefix, token_hash, scopes, created_at) "
            "VALUES (:name, :prefix, :hash, :scopes, :now)",
            {"name": name, "prefix": secret[:10], "hash": hash_secret(secret),
             "scopes": json.dumps(scopes), "now": now})
        token_id = cursor.lastrowid
    return ApiToken(token_id, name, secret[:10], scopes, iso(now), None, None), secret


async def list_api_tokens(db: Database) -> list[ApiToken]:
    rows = await db.fetch_all("SELECT * FROM api_tokens ORDER BY id")
    return [_api_token(row) for row in rows]


async def revoke_api_token(db: Database, token_id: int) -> bool:
    async with db.write() as conn:
        cursor = await conn.execute(
            "UPDATE api_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
            {"now": int(time.time()), "id": token_id})
        return cursor.rowcount == 1


async def delete_api_token(db: Database, token_id: int) -> bool:
    """Remove a token outright (one a command made for itself and no longer needs)."""
    async with db.write() as conn:
        cursor = await conn.execute("DELETE FROM api_tokens WHERE id = ?", (token_id,))
        return cursor.rowcount == 1


async def find_api_token(db: Database, secret: str) -> ApiToken | None:
    row = await db.fetch_one("SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                             (hash_secret(secret),))
    return None if row is None else _api_token(row)


async def create_login_token(db: Database) -> str:
    """A single-use token, valid two minutes, for the browser the CLI opens."""
    secret = new_secret()
    now = int(time.time())
    async with db.write() as conn:
        await conn.execute("DELETE FROM login_tokens WHERE expires_at < ?", (now,))
        await conn.execute("INSERT INTO login_tokens (token_hash, expires_at) VALUES (?, ?)",
                           (hash_secret(secret), now + LOGIN_TOKEN_SECONDS))
    return secret


async def spend_login_token(db: Database, secret: str) -> bool:
    """True once for a valid token: it is deleted in the same transaction.

    The lookup is by hash, so no comparison of the secret itself can leak its
    prefix through timing.
    """
    async with db.write() as conn:
        cursor = await conn.execute(
            "DELETE FROM login_tokens WHERE token_hash = ? AND expires_at >= ?",
            (hash_secret(secret), int(time.time())))
        return cursor.rowcount == 1


async def create_session(db: Database, days: int) -> str:
    secret = new_secret()
    now = int(time.time())
    async with db.write() as conn:
        await conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
        await conn.execute("INSERT INTO sessions (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
                           (hash_secret(secret), now, now + days * 86400))
    return secret


async def find_session(db: Database, secret: str) -> bool:
    row = await db.fetch_one("SELECT 1 FROM sessions WHERE token_hash = ? AND expires_at >= ?",
                             (hash_secret(secret), int(time.time())))
    return row is not None


async def delete_session(db: Database, secret: str) -> None:
    async with db.write() as conn:
        await conn.execute("DELETE FROM sessions WHERE token_hash = ?", (hash_secret(secret),))
