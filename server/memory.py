"""Handing freed memory back to the operating system.

Python and SQLite free memory into the C allocator's heap, which glibc keeps
for reuse rather than returning: after a burst of work (a search run's
rows, decoded, normalised and stored) the server's resident size would stay
at its peak. ``trim`` asks glibc to return what is free; elsewhere it does
nothing.
"""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["trim"]

_malloc_trim: Callable[[int], Any] | None = None
_looked_up = False


def trim() -> bool:
    """Return the heap's free pages to the system; False where that is not possible."""
    global _malloc_trim, _looked_up
    if not _looked_up:  # ctypes is loaded on first use: it is not needed at start
        _looked_up = True
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL(None).malloc_trim  # glibc only
        except (OSError, AttributeError):
            _malloc_trim = None
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True
