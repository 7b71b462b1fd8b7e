"""The guard holds in the test process and in every subprocess the tests start,
and a refusal fails the test during which it happened, even when caught."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.network_guard import LOG_ENV, NetworkGuardError, recorded_refusals, refusals_expected


def unlogged_env() -> dict[str, str]:
    """A subprocess whose refusals are the point of the test: not recorded."""
    return {k: v for k, v in os.environ.items() if k != LOG_ENV}


def test_guard_refuses_the_internet_and_allows_loopback():
    with refusals_expected():
        with pytest.raises(NetworkGuardError):
            socket.create_connection(("93.184.216.34", 80), timeout=1)
        with pytest.raises(NetworkGuardError):
            socket.getaddrinfo("example.com", 443)
    server = socket.create_server(("127.0.0.1", 0))
    try:
        socket.create_connection(server.getsockname(), timeout=1).close()
    finally:
        server.close()


def error_in_subprocess(setup: str, attempt: str) -> str:
    """The name of the exception ``attempt`` raises in a fresh Python subprocess (with its stderr)."""
    code = f"{setup}\ntry:\n    {attempt}\nexcept Exception as exc:\n    print(type(exc).__name__)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env=unlogged_env())
    return out.stdout.strip() or out.stderr


def test_guard_holds_in_subprocesses():
    assert error_in_subprocess("import socket",
                               "socket.create_connection(('93.184.216.34', 80), timeout=1)") == "NetworkGuardError"


def test_guard_refuses_libcurl_which_bypasses_python_sockets():
    # curl_cffi (jobspy's ZipRecruiter and Glassdoor) connects from C, not through socket.
    from curl_cffi import requests as curl_requests

    with refusals_expected():
        with pytest.raises(NetworkGuardError, match="192.0.2.1"):
            curl_requests.get("http://192.0.2.1/", timeout=1)
        with pytest.raises(NetworkGuardError, match="192.0.2.1"):
            curl_requests.get("http://127.0.0.1:9/", proxies={"http": "http://192.0.2.1:3128"}, timeout=1)
    server = socket.create_server(("127.0.0.1", 0))
    try:  # loopback is allowed: the listener never answers, so curl times out
        with pytest.raises(curl_requests.exceptions.RequestException) as refused:
            curl_requests.get(f"http://127.0.0.1:{server.getsockname()[1]}/", timeout=1)
        assert not isinstance(refused.value, NetworkGuardError)
    finally:
        server.close()


def test_guard_holds_for_libcurl_in_subprocesses():
    assert error_in_subprocess("from curl_cffi import requests",
                               "requests.get('http://192.0.2.1/', timeout=1)") == "NetworkGuardError"


def test_a_refusal_caught_by_the_code_under_test_still_fails_its_test(tmp_path):
    # What jobspy does with any error: catch it and carry on. Run as its own pytest session.
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F401,F403\n")
    (tmp_path / "test_leak.py").write_text(
        "import socket\n\n"
        "def test_swallows_it():\n"
        "    try:\n        socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "    except Exception:\n        pass\n\n"
        "def test_stays_home():\n    socket.getaddrinfo('localhost', 80)\n")
    repo = str(Path(__file__).resolve().parent.parent)
    env = unlogged_env() | {"PYTHONPATH": os.pathsep.join([repo, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_leak.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "2 passed, 1 error" in done.stdout, done.stdout
    assert "ERROR at teardown of test_swallows_it" in done.stdout, done.stdout
    assert "the network guard refused: a test tried to resolve '192.0.2.1'" in done.stdout


def test_the_log_names_the_test_and_what_it_tried(tmp_path, monkeypatch):
    log = tmp_path / "refused.log"
    monkeypatch.setenv(LOG_ENV, str(log))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/test_x.py::test_y (call)")
    NetworkGuardError("a test tried to resolve 'example.com': only loopback is allowed")
    with refusals_expected():
        NetworkGuardError("not recorded")
    assert recorded_refusals(log) == [("tests/test_x.py::test_y (call)",
                                       "a test tried to resolve 'example.com': only loopback is allowed")]
