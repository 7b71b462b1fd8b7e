"""Insight answers kept per connection until the store changes.

An insight over the whole store reads tens of thousands of rows; asking the
same question again before anything changed gives the same answer, so the
answer is kept. Whether anything changed is asked of SQLite itself, for
free: ``PRAGMA data_version`` changes when another connection (or process)
commits, and ``Connection.total_changes`` when this connection writes. Both
are per connection, so each connection keeps its own answers; the server's
few readers each compute an answer once per change of the store.

An answer also keys on the UTC day, for insights whose window ends "today"
when the store is empty. Answers are shared objects: callers must not
modify them.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Callable, TypeVar

__all__ = ["cached", "clear", "store_token"]

T = TypeVar("T")

MAX_CONNECTIONS = 8     # connections with answers kept (the oldest slot goes first)
MAX_ANSWERS = 32        # answers kept per connection


class _Slot:
    """One connection's answers. It holds the connection, so its id cannot be reused while the slot lives."""

    def __init__(self, conn: sqlite3.Connection, token: tuple) -> None:
        self.conn = conn
        self.token = token
        self.answers: OrderedDict[tuple, Any] = OrderedDict()


_slots: OrderedDict[int, _Slot] = OrderedDict()
_lock = threading.Lock()


def store_token(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes whenever the database this connection sees may have changed."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def clear() -> None:
    with _lock:
        _slots.clear()


def _slot(conn: sqlite3.Connection) -> _Slot:
    token = store_token(conn)
    with _lock:
        slot = _slots.get(id(conn))
        if slot is None or slot.conn is not conn:
            slot = _slots[id(conn)] = _Slot(conn, token)
            while len(_slots) > MAX_CONNECTIONS:
                _slots.popitem(last=False)
        elif slot.token != token:
            slot.token = token
            slot.answers.clear()
        _slots.move_to_end(id(conn))
        return slot


def cached(fn: Callable[..., T]) -> Callable[..., T]:
    """Keep ``fn(conn, *args)``'s answer until the store changes (``fn.__wrapped__`` always computes).

    Arguments are keyed by their ``repr``: the filters and options are
    dataclasses whose repr names every field.
    """

    @functools.wraps(fn)
    def wrapper(conn: sqlite3.Connection, *args: Any, **kwargs: Any) -> T:
        slot = _slot(conn)
        key = (fn.__qualname__, repr(args), repr(sorted(kwargs.items())),
               datetime.now(timezone.utc).date().toordinal())
        with _lock:
            if key in slot.answers:
                slot.answers.move_to_end(key)
                return slot.answers[key]
        answer = fn(conn, *args, **kwargs)
        with _lock:
            if slot.token == store_token(conn):  # nothing written while computing
                slot.answers[key] = answer
                while len(slot.answers) > MAX_ANSWERS:
                    slot.answers.popitem(last=False)
        return answer

    return wrapper
