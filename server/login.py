"""The one-time login link, carried to the browser in a temporary file.

The token must never appear on a command line (other local users can read
those), so the CLI writes a tiny HTML page that redirects to the login URL,
readable only by this user, and opens the browser on that file. The file is
removed once the token is spent, and stale ones at the next start.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

from .home import write_private

__all__ = ["write_login_redirect", "clear_login_redirects"]

STALE_SECONDS = 300


def _folder(home: Path) -> Path:
    folder = home / "login"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def write_login_redirect(home: Path, url: str) -> Path:
    page = _folder(home) / f"open-{time.time_ns()}.html"
    target = html.escape(url, quote=True)
    write_private(page, f'<!doctype html><meta charset="utf-8">'
                        f'<meta name="referrer" content="no-referrer">'
                        f'<meta http-equiv="refresh" content="0;url={target}">'
                        f'<title>Opening JobDeck…</title><a href="{target}">Open JobDeck</a>')
    return page


def clear_login_redirects(home: Path, *, older_than: float = 0) -> None:
    folder = home / "login"
    if not folder.is_dir():
        return
    cutoff = time.time() - older_than
    for page in folder.glob("open-*.html"):
        try:
            if page.stat().st_mtime <= cutoff:
                page.unlink()
        except OSError:
            pass
