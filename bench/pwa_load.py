"""PWA load: first and repeat load to first contentful paint, and JS shipped.

Measured in Debian's Chromium (headless, through Playwright) against the real
server on a scratch home with the sample data:

- first load: a fresh browser profile opens the app (network, no service worker);
- repeat load: the same tab reloaded once the service worker holds the shell
  (the shell from the cache, the jobs from the server), median of ROUNDS;
- JS shipped: every script the app loaded, gzipped (level 6, as a server would).

Targets (issue 4): repeat load under 300 ms; JavaScript under 150 KB gzipped.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROUNDS = 7
TARGET_REPEAT_MS = 300
TARGET_JS_KB = 150
FCP = "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"
PAINTED = "() => performance.getEntriesByName('first-contentful-paint').length > 0"


def _fcp(page) -> float:
    page.wait_for_function(PAINTED, timeout=20_000)
    return round(page.evaluate(FCP), 1)


def run() -> dict:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.server_process import ServerProcess

    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess(Path(scratch) / "home").start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(server.login_url())
                page.evaluate("import('/data/index.js').then((m) => m.data.loadDemo())")
                page.goto(f"{server.url}/#/jobs")
                first = _fcp(page)
                scripts = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
                page.evaluate("import('/data/updates.js').then((u) => u.offlineReady)")
                repeats = []
                for _ in range(ROUNDS):
                    page.reload()
                    repeats.append(_fcp(page))
                controlled = page.evaluate("navigator.serviceWorker.controller !== null")
                browser.close()
        finally:
            server.stop()

    js = sorted({urlparse(u).path for u in scripts if urlparse(u).path.endswith((".js", ".mjs"))})
    raw = gzipped = 0
    for path in js:
        body = (ROOT / "pwa" / path.lstrip("/")).read_bytes()
        raw += len(body)
        gzipped += len(gzip.compress(body, compresslevel=6))
    repeat = statistics.median(repeats)
    return {
        "first_load_fcp_ms": first,
        "repeat_load_fcp_ms": {"median": repeat, "min": min(repeats), "max": max(repeats), "rounds": ROUNDS,
                               "from_service_worker": controlled},
        "js": {"files": len(js), "raw_kb": round(raw / 1024, 1), "gzip_kb": round(gzipped / 1024, 1)},
        "targets": {"repeat_load_under_ms": TARGET_REPEAT_MS, "repeat_met": repeat < TARGET_REPEAT_MS,
                    "js_gzip_under_kb": TARGET_JS_KB, "js_met": gzipped / 1024 < TARGET_JS_KB},
    }
