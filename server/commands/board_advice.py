"""A board that did not deliver, worded for the terminal as the app words it.

The wording is the app's own English catalog (what happened: the board's
state; what to try: the advice for its kind of failure), so ``jobdeck search``
and the app's run progress never drift apart. The choice of advice follows
``adviceKey`` in pwa/lib/progress.js.
"""

from __future__ import annotations

import json
from functools import cache

from ..pwa_dir import find_pwa_dir

__all__ = ["advice_key", "board_failure", "board_said"]

_KINDS = ("blocked", "network", "timeout", "invalid", "no_rows", "error")


@cache
def _english() -> dict[str, str]:
    return json.loads((find_pwa_dir() / "i18n" / "en.json").read_text(encoding="utf-8"))


def advice_key(state: str, kind: str | None) -> str | None:
    """The catalog key of the advice for a board that ended in ``state`` with
    failure ``kind``; none for a board cancelled (nothing to try)."""
    if state == "cancelled":
        return None
    kind = kind or ("error" if state == "failed" else state)
    return f"advice.{kind if kind in _KINDS else 'error'}"


def board_failure(state: str, kind: str | None, error: str | None) -> str:
    """"Failed: The board could not be reached. Check your internet connection, then try again."
    The board's own message only when the catalog cannot be read."""
    try:
        english = _english()
    except (OSError, RuntimeError, ValueError):
        return f"{state.upper()}: {error}"
    happened = english.get(f"runState.board.{state}", state)
    advice = advice_key(state, kind)
    return f"{happened}: {english[advice]}" if advice else happened


def board_said(error: str) -> str:
    """The board's own message, under the app's label for it."""
    try:
        label = _english()["run.details"]
    except (OSError, RuntimeError, ValueError):
        label = "What the board said"
    return f"{label}: {error}"
