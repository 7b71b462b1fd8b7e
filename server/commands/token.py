"""``jobdeck token create|list|revoke``: API tokens for scripts."""

from __future__ import annotations

import argparse

from ..db import Database
from ..db.credentials import create_api_token, list_api_tokens, revoke_api_token
from ..settings import Settings

__all__ = ["token"]


def _when(stamp: str | None) -> str:
    return "-" if stamp is None else stamp.replace("T", " ")[:16] + " UTC"


async def token(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.database_path)
    await db.open()
    try:
        if args.token_command == "create":
            scopes = ["read"] if args.read_only else ["read", "write"]
            created, secret = await create_api_token(db, args.name, scopes)
            print(f"Created token {created.id} ({created.name}, {', '.join(scopes)}).")
            print("Copy it now; it will not be shown again:")
            print(secret)
            return 0
        if args.token_command == "list":
            tokens = await list_api_tokens(db)
            if not tokens:
                print("No API tokens. Create one with `jobdeck token create NAME`.")
            for t in tokens:
                state = f"revoked {_when(t.revoked_at)}" if t.revoked_at else "active"
                print(f"{t.id:>4}  {t.name:<24} {t.prefix}…  {','.join(t.scopes):<10} "
                      f"created {_when(t.created_at)}  {state}")
            return 0
        if await revoke_api_token(db, args.id):
            print(f"Revoked token {args.id}.")
            return 0
        print(f"No active token with id {args.id}.")
        return 1
    finally:
        await db.close()
