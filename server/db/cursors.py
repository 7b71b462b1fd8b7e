"""Sync cursors, ``<database id>.<change number>``, shared by every
incremental feed (jobs, applications). The numbers come from one counter
(``sync_state``, migration 0002); a cursor from another database starts the
replica over.
"""

from __future__ import annotations

from ..errors import ApiError

__all__ = ["parse_cursor"]


def parse_cursor(cursor: str | None, db_id: str) -> tuple[int, bool]:
    """(change number to read after, reset?)."""
    if not cursor:
        return 0, True
    owner, _, seq = cursor.partition(".")
    if not seq.isdigit() or len(seq) > 18:
        raise ApiError(400, "bad_cursor", "That sync cursor is not valid; sync again without one.")
    if owner != db_id:
        return 0, True
    return int(seq), False
