"""The guard holds in the test process and in every subprocess the tests start."""

import socket
import subprocess
import sys

import pytest

from tests.network_guard import NetworkGuardError


def test_guard_refuses_the_internet_and_allows_loopback():
    with pytest.raises(NetworkGuardError):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
    with pytest.raises(NetworkGuardError):
        socket.getaddrinfo("example.com", 443)
    server = socket.create_server(("127.0.0.1", 0))
    try:
        socket.create_connection(server.getsockname(), timeout=1).close()
    finally:
        server.close()


def test_guard_holds_in_subprocesses():
    code = ("import socket\n"
            "try:\n    socket.create_connection(('93.184.216.34', 80), timeout=1)\n"
            "except Exception as exc:\n    print(type(exc).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "NetworkGuardError"


def test_guard_refuses_libcurl_which_bypasses_python_sockets():
    # curl_cffi (jobspy's ZipRecruiter and Glassdoor) connects from C, not through socket.
    from curl_cffi import requests as curl_requests

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
    code = ("from curl_cffi import requests\n"
            "try:\n    requests.get('http://192.0.2.1/', timeout=1)\n"
            "except Exception as exc:\n    print(type(exc).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "NetworkGuardError", out.stderr
