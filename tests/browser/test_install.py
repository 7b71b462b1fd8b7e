"""Installability: Chromium finds nothing missing, and the manifest is complete."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_ARGS

PWA = Path(__file__).resolve().parents[2] / "pwa"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_manifest_declares_what_an_install_needs_and_the_files_match():
    manifest = json.loads((PWA / "manifest.webmanifest").read_text(encoding="utf-8"))
    for key in ("name", "short_name", "description", "start_url", "scope", "theme_color", "background_color"):
        assert manifest[key], key
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith(manifest["scope"])
    pngs = [i for i in manifest["icons"] if i["type"] == "image/png"]
    for icon in pngs + manifest["screenshots"]:
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert png_size(PWA / icon["src"].lstrip("/")) == (width, height), icon["src"]
    assert {(i["sizes"], i.get("purpose", "any")) for i in pngs} >= {
        ("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    assert {s["url"] for s in manifest["shortcuts"]} == {"/#/search", "/#/jobs"}
    assert {s["form_factor"] for s in manifest["screenshots"]} == {"narrow", "wide"}


@pytest.fixture
def persistent(playwright_instance, chromium_path, tmp_path):
    # A normal (incognito-like) context always reports "in incognito"; a profile on disk does not.
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield context
    context.close()


def test_chromium_reports_no_installability_errors(persistent, server):
    page = persistent.pages[0] if persistent.pages else persistent.new_page()
    page.goto(server.login_url())
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    cdp = persistent.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and manifest["errors"] == []
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    # The worker in charge is ours, with a versioned shell cache.
    keys = page.evaluate("caches.keys()")
    assert len(keys) == 1 and keys[0].startswith("jobdeck-shell-")
