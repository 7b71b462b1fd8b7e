"""Where the PWA's files are. Light on purpose: commands that never serve
read from it too (the English catalog), without importing the web server."""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["find_pwa_dir"]


def find_pwa_dir() -> Path:
    """The ``pwa`` folder: shipped in the wheel, or beside server/ in a checkout."""
    spec = importlib.util.find_spec("pwa")
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "index.html").is_file():
            return Path(location)
    raise RuntimeError("The PWA's files are missing from this installation; reinstall JobDeck.")
