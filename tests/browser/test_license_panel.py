"""The license panel end to end: the real license service as a subprocess
(SQLite, its own signing keys), the app trusting those keys as a
self-hosted service, and a person entering a key in Settings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot
from tests.server_process import ServerProcess, free_port

SERVICE = Path(sys.executable).with_name("jobdeck-license")


class LicenseService:
    def __init__(self, folder: Path):
        self.folder = folder
        self.database = f"sqlite+aiosqlite:///{folder / 'licenses.db'}"
        self.secrets = folder / "secrets.json"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def run(self, *args: str) -> str:
        done = subprocess.run([str(SERVICE), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self) -> "LicenseService":
        self.folder.mkdir(parents=True, exist_ok=True)
        self.run("keys", "create", str(self.secrets))
        self.process = subprocess.Popen(
            [str(SERVICE), "serve", "--port", str(self.port), "--secrets-file", str(self.secrets),
             "--database-url", self.database], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(300):  # wait until it listens (not a timing assertion)
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the license service did not start")

    def trusted_keys(self) -> str:
        keys = json.loads(self.run("keys", "show", str(self.secrets)))["keys"]
        return ",".join(f"{kid}={key}" for kid, key in keys.items())

    def issue(self, plan: str = "pro") -> tuple[str, str]:
        out = self.run("issue", "--secrets-file", str(self.secrets), "--database-url", self.database,
                       "--plan", plan)
        return re.search(r"license (lic_\w+)", out)[1], re.search(r"key: (JDK-[\w-]+)", out)[1]

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.communicate(timeout=30)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LicenseService]:
    started = LicenseService(tmp_path / "service").start()
    yield started
    started.stop()


@pytest.fixture
def app_server(tmp_path: Path, service: LicenseService) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "home", env={
        "JOBDECK_LICENSE_SERVICE": service.url, "JOBDECK_LICENSE_KEYS": service.trusted_keys()}).start()
    yield process
    process.stop()


def test_a_person_activates_pro_and_sees_a_revocation_explained(browser, service, app_server):
    license_id, key = service.issue("pro")
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(app_server.login_url())
    page.goto(f"{app_server.url}/#/settings")
    panel = page.get_by_test_id("license-panel")
    state = page.get_by_test_id("license-state")
    assert state.inner_text() == "Free"

    page.get_by_test_id("license-key").fill(key[:-2])  # a typo: refused before any network call
    page.get_by_test_id("license-activate").click()
    assert "not a complete license key" in page.get_by_test_id("license-error").inner_text()

    page.get_by_test_id("license-key").fill(key.lower())  # people type keys any which way
    page.get_by_test_id("license-activate").click()
    expect(state).to_have_text("Active")
    assert "JobDeck Pro" in page.get_by_test_id("license-plan").inner_text()
    assert "Salary insights" in panel.inner_text() and key not in panel.inner_text()
    panel.scroll_into_view_if_needed()
    screenshot(page, "settings-license-desktop")
    page.set_viewport_size(VIEWPORTS["phone"])
    page.reload()
    expect(state).to_have_text("Active")
    panel.scroll_into_view_if_needed()
    screenshot(page, "settings-license-phone")

    service.run("revoke", "--database-url", service.database, license_id)
    page.get_by_test_id("license-refresh").click()
    expect(state).to_have_text("Revoked")
    assert "your data stays" in panel.inner_text()
