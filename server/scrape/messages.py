"""The worker's stdout protocol: one msgspec JSON message per line."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

__all__ = ["BoardStarted", "BoardResult", "BoardFailed", "Message", "decoder"]

FailureKind = Literal["blocked", "network", "timeout", "invalid", "no_rows", "error"]


class BoardStarted(msgspec.Struct, tag="board.started"):
    site: str
    attempt: int = 1


class BoardResult(msgspec.Struct, tag="board.result"):
    site: str
    rows: list[dict[str, Any]]
    warnings: list[str] = []


class BoardFailed(msgspec.Struct, tag="board.failed"):
    site: str
    kind: FailureKind
    error: str
    warnings: list[str] = []


Message = BoardStarted | BoardResult | BoardFailed
decoder = msgspec.json.Decoder(Message)
