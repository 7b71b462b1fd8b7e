"""The PWA's files: found, hashed, and served.

The hashes give the release a version. The service worker is served from the
root with no-cache and that version written into it, so a new release (any
changed file) installs a new worker, which replaces the old cache. Hashing
every file takes a few milliseconds, so the server leaves it to the first
request for the worker instead of doing it before it can answer at all.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path

from litestar import Response, get
from litestar.datastructures import CacheControlHeader
from litestar.handlers import HTTPRouteHandler
from litestar.static_files import create_static_files_router

from .pwa_dir import find_pwa_dir

__all__ = ["Assets", "find_pwa_dir", "asset_routes"]

# Files the service worker must have to open the app offline.
SHELL_SUFFIXES = (".html", ".js", ".mjs", ".css", ".webmanifest", ".png", ".svg", ".json")
# Served, but not needed to open the app: the API reference and store screenshots.
NOT_PRECACHED = ("/vendor/rapidoc/", "/screenshots/")
NO_CACHE = CacheControlHeader(no_cache=True)


class Assets:
    """The PWA folder; its files are hashed on first use of ``hashes`` or ``version``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def scan(cls, root: Path) -> "Assets":
        """The folder with its files hashed now."""
        assets = cls(root)
        assets.version  # noqa: B018  (computes and keeps it)
        return assets

    @cached_property
    def hashes(self) -> dict[str, str]:
        """URL path -> short content hash, for every file of the shell."""
        hashes = {}
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and path.suffix in SHELL_SUFFIXES and path.name != "sw.js" \
                    and "__pycache__" not in path.parts:
                url = "/" + path.relative_to(self.root).as_posix()
                hashes[url] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return hashes

    @cached_property
    def version(self) -> str:
        return hashlib.sha256(json.dumps(self.hashes, sort_keys=True).encode()).hexdigest()[:12]

    def service_worker(self) -> str:
        """sw.js with the release version and the precache list written in."""
        shell = sorted(url for url in self.hashes if not url.startswith(NOT_PRECACHED))
        header = (f"const VERSION = {json.dumps(self.version)};\n"
                  f"const SHELL = {json.dumps(['/', *[u for u in shell if u != '/index.html']])};\n")
        return header + (self.root / "sw.js").read_text(encoding="utf-8")


def asset_routes(assets: Assets) -> list:
    @get("/sw.js", include_in_schema=False, cache_control=NO_CACHE, sync_to_thread=False)
    def service_worker() -> Response[str]:
        return Response(assets.service_worker(), media_type="text/javascript",
                        headers={"Service-Worker-Allowed": "/"})

    static = create_static_files_router(
        path="/", directories=[assets.root], html_mode=True, name="pwa",
        cache_control=NO_CACHE, include_in_schema=False)
    routes: list[HTTPRouteHandler] = [service_worker]
    return [*routes, static]
