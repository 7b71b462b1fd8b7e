"""Shared fixtures: a fresh home per test, the real app factory, and a guard
that fails any connection leaving this machine."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings, load_settings
from tests import network_guard
from tests.network_guard import NetworkGuardError  # noqa: F401  (tests import it from here)

TEST_PORT = 8765
BASE_URL = f"http://127.0.0.1:{TEST_PORT}"


# -- no test reaches the internet --------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    network_guard.install()
    # Every Python subprocess a test starts loads tests/hooks/sitecustomize.py,
    # which installs the same guard there.
    hooks = str(REPO / "tests" / "hooks")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (hooks, os.environ.get("PYTHONPATH")) if p)
    os.environ["JOBDECK_TEST_HOOKS"] = str(REPO)
    # Where the guard, here and in subprocesses, writes each connection it refused.
    os.environ[network_guard.LOG_ENV] = str(Path(tempfile.mkdtemp(prefix="jobdeck-guard-")) / "refused.log")


@pytest.fixture(autouse=True)
def no_connection_leaves_this_machine(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test during which a connection was refused, even one that
    the code under test caught (after its other fixtures: servers have stopped)."""
    yield
    tried = [what for test, what in network_guard.recorded_refusals(os.environ[network_guard.LOG_ENV])
             if test.startswith(request.node.nodeid + " ")]
    if tried:
        pytest.fail("the network guard refused: " + "; ".join(tried), pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    log = os.environ.get(network_guard.LOG_ENV)
    refused = network_guard.recorded_refusals(log) if log else []
    if refused:  # also those no test's teardown saw (a server outliving its test)
        print("\nThe network guard refused connections:\n" + "\n".join(f"  {t}: {w}" for t, w in refused))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# -- the app -----------------------------------------------------------------

@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def settings(home: Path) -> Settings:
    return load_settings({"home": str(home), "port": TEST_PORT, "open_browser": False},
                         environ={}, config_file=home / "absent.toml")


@pytest.fixture
def app(settings: Settings) -> Litestar:
    from server.home import prepare_home

    prepare_home(settings.home_path)
    return create_app(settings)


@pytest.fixture
def anon(app: Litestar) -> Iterator[TestClient]:
    """A client with no credentials, as a foreign page or script would be."""
    with TestClient(app, base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def client(anon: TestClient, app: Litestar) -> TestClient:
    """A client signed in as the in-process CLI is (a bearer credential)."""
    anon.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
    return anon
