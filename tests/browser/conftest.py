"""Browser tests: the real server as a subprocess, Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from tests.browser.pro import LicenseService
from tests.server_process import ServerProcess

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).is_file():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but Chromium is missing at {CHROMIUM}")
    pytest.skip(f"Chromium not found at {CHROMIUM}: install it (Debian: apt-get install chromium)")


@pytest.fixture
def playwright_instance():
    # Per test: sync Playwright keeps an event loop running in this thread
    # while open, which would break the async tests that run after it.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser(playwright_instance, chromium_path):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "home").start()
    yield process
    process.stop()


@pytest.fixture
def servers() -> Iterator:
    """Start servers (on a given port, to restart one on the same origin); all stopped at the end."""
    started: list[ServerProcess] = []

    def start(home: Path, port: int = 0) -> ServerProcess:
        process = ServerProcess(home, port=port).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def screenshot(page, name: str) -> Path:
    """Written where a person can look at them after the suite ran."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture
def license_service(tmp_path: Path) -> Iterator[LicenseService]:
    """The real license service, for tests that need Pro (``tests.browser.pro``)."""
    started = LicenseService(tmp_path / "service").start()
    yield started
    started.stop()


@pytest.fixture
def pro_server(tmp_path: Path, license_service: LicenseService) -> Iterator[ServerProcess]:
    """The app, asking ``license_service`` and trusting its keys (Free until a key is entered)."""
    process = ServerProcess(tmp_path / "home", env=license_service.app_env()).start()
    yield process
    process.stop()
