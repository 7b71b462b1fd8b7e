"""The API usage log and the audit log: hashes and ids, never secrets."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from .models import ApiUsage, AuditEntry

__all__ = ["record_usage", "audit"]


def record_usage(session: AsyncSession, *, at: int, route: str, code: str, http_status: int,
                 latency_us: int, key_hash: str | None = None, license_id: str | None = None,
                 client_hash: str | None = None) -> None:
    session.add(ApiUsage(at=at, route=route, key_hash=key_hash, license_id=license_id,
                         client_hash=client_hash, code=code, http_status=http_status,
                         latency_us=latency_us))


def audit(session: AsyncSession, *, at: int, org_id: str | None, actor: str, action: str,
          target: str | None = None, **detail: Any) -> None:
    """One admin action. ``detail`` must hold no secret (keys, tokens):
    callers pass ids, counts and prefixes only."""
    session.add(AuditEntry(at=at, org_id=org_id, actor=actor, action=action, target=target,
                           detail=json.dumps(detail, sort_keys=True, separators=(",", ":"))))
