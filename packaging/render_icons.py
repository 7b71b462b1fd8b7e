"""Render the PWA's PNG icons and store screenshots with Chromium.

    .venv/bin/python packaging/render_icons.py [--screenshots]

(A path, not ``-m``: the name ``packaging`` is taken by the pip library.)

Icons come from pwa/icons/icon.svg: 192 and 512 px as drawn ("any"), and a
"maskable" 512 px whose glyph sits inside the safe zone (the middle 80%) on
a full-bleed background, since launchers crop maskable icons to any shape.
With --screenshots it also starts JobDeck on a scratch home with the sample
data and captures the jobs screen, narrow (phone) and wide (desktop), for the
manifest's richer install dialog. Commit the PNGs it writes.
"""

from __future__ import annotations

import argparse
import base64
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "pwa" / "icons"
SHOTS = ROOT / "pwa" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BACKGROUND = "#1f4fd1"  # the icon's own background, and the manifest's theme colour
SCREENSHOTS = {"screenshot-narrow.png": (390, 844), "screenshot-wide.png": (1280, 800)}


def _page(svg: str, size: int, *, maskable: bool) -> str:
    data = base64.b64encode(svg.encode()).decode()
    glyph = int(size * 0.72) if maskable else size  # 72% of the side fits the 80% circle
    return (f"<!doctype html><html><body style='margin:0;width:{size}px;height:{size}px;display:grid;"
            f"place-items:center;background:{BACKGROUND if maskable else 'transparent'}'>"
            f"<img src='data:image/svg+xml;base64,{data}' width='{glyph}' height='{glyph}'></body></html>")


def render_icons(browser) -> list[Path]:
    svg = (ICONS / "icon.svg").read_text(encoding="utf-8")
    written = []
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)):
        page = browser.new_page(viewport={"width": size, "height": size})
        page.set_content(_page(svg, size, maskable=maskable))
        page.wait_for_load_state("load")
        path = ICONS / name
        page.screenshot(path=str(path), omit_background=not maskable)
        page.close()
        written.append(path)
    return written


def render_screenshots(browser) -> list[Path]:
    import sys

    sys.path.insert(0, str(ROOT))
    from tests.server_process import ServerProcess

    written = []
    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess(Path(scratch) / "home").start()
        try:
            for name, (width, height) in SCREENSHOTS.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=1, color_scheme="light")
                page = context.new_page()
                page.goto(server.login_url())
                page.evaluate("fetch('/api/v1/demo', {method: 'POST'})")
                page.goto(f"{server.url}/#/jobs")
                page.wait_for_selector("[data-testid=job-row]", timeout=15_000)
                path = SHOTS / name
                page.screenshot(path=str(path))
                context.close()
                written.append(path)
        finally:
            server.stop()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", action="store_true", help="also capture the store screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            written = render_icons(browser)
            if args.screenshots:
                written += render_screenshots(browser)
        finally:
            browser.close()
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
