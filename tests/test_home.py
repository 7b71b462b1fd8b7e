"""The app home: a private folder, server.json, and one server per home."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from server.home import (HomeError, ServerInfo, prepare_home, read_server_info, remove_server_info,
                         running_instance, write_server_info)
from tests.server_process import free_port

JOBDECK = Path(sys.executable).parent / "jobdeck"
REPO = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the folder ---------------------------------------------------------------

def test_prepare_home_creates_a_private_folder_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        home = prepare_home(tmp_path / "deep" / "er" / "home")
    finally:
        os.umask(old)
    assert home.is_dir() and mode(home) == 0o700
    assert list(home.iterdir()) == []  # the write probe is cleaned up


def test_an_existing_open_folder_is_made_private(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    prepare_home(home)
    assert mode(home) == 0o700


@pytest.mark.parametrize("where", ["under-a-file", "is-a-file"])
def test_an_unusable_home_is_a_clear_error(tmp_path, where):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    home = blocker / "home" if where == "under-a-file" else blocker
    with pytest.raises(HomeError) as caught:
        prepare_home(home)
    message = str(caught.value)
    assert str(home) in message and "--home" in message and "JOBDECK_HOME" in message
    assert blocker.read_text() == "not a folder"


# -- server.json --------------------------------------------------------------

def test_server_json_is_written_read_and_removed(tmp_path):
    home = prepare_home(tmp_path / "home")
    written = write_server_info(home, 4321, "http://127.0.0.1:4321")
    path = home / "server.json"
    assert mode(path) == 0o600
    data = json.loads(path.read_text())
    assert data == {"pid": os.getpid(), "port": 4321, "url": "http://127.0.0.1:4321",
                    "started_at": written.started_at}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", written.started_at)
    assert read_server_info(home) == written
    remove_server_info(home)
    assert not path.exists() and read_server_info(home) is None
    remove_server_info(home)  # nothing to remove: no error


def test_another_process_s_server_json_is_not_removed(tmp_path):
    home = prepare_home(tmp_path / "home")
    other = {"pid": os.getpid() + 1, "port": 1, "url": "http://127.0.0.1:1", "started_at": "x"}
    (home / "server.json").write_text(json.dumps(other))
    remove_server_info(home)
    assert (home / "server.json").exists()


@pytest.mark.parametrize("content", ["", "{", "[]", '{"pid": "x", "port": 1, "url": "u", "started_at": "s"}',
                                     '{"pid": 1}'])
def test_an_unreadable_server_json_means_no_server(tmp_path, content):
    home = prepare_home(tmp_path / "home")
    (home / "server.json").write_text(content)
    assert read_server_info(home) is None and running_instance(home) is None


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_stale_server_json_from_a_dead_process_means_no_server(tmp_path):
    home = prepare_home(tmp_path / "home")
    port = free_port()
    info = {"pid": dead_pid(), "port": port, "url": f"http://127.0.0.1:{port}", "started_at": "x"}
    (home / "server.json").write_text(json.dumps(info))
    assert read_server_info(home) == ServerInfo(**info)
    assert running_instance(home) is None


def test_a_live_process_that_does_not_answer_means_no_server(tmp_path):
    home = prepare_home(tmp_path / "home")
    port = free_port()
    write_server_info(home, port, f"http://127.0.0.1:{port}")  # this test's own pid: alive
    assert running_instance(home, timeout=2) is None


# -- one server per home, for real ----------------------------------------------

@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The jobdeck processes' environment; BROWSER is a stub that records what it was asked to open."""
    browser = tmp_path / "browser.sh"
    browser.write_text('#!/bin/sh\nprintf "%s\\n" "$1" >> "$(dirname "$0")/opened.txt"\n')
    browser.chmod(0o755)
    return {**os.environ, "JOBDECK_HOME": str(tmp_path / "home"),
            "JOBDECK_CONFIG": str(tmp_path / "absent.toml"), "BROWSER": str(browser)}


def opened(tmp_path: Path) -> list[str]:
    record = tmp_path / "opened.txt"
    return record.read_text().split() if record.exists() else []


def start(env: dict[str, str], *args: str) -> tuple[subprocess.Popen, ServerInfo]:
    home = Path(env["JOBDECK_HOME"])
    process = subprocess.Popen([str(JOBDECK), "--no-browser", "--port", "0", *args], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"jobdeck exited early ({process.returncode}):\n{process.stdout.read()}")
        info = read_server_info(home)
        if info is not None and info.pid == process.pid:
            with urllib.request.urlopen(f"{info.url}/api/v1/health", timeout=5) as response:
                assert response.status == 200
            return process, info
        time.sleep(0.05)
    stop(process)
    pytest.fail("jobdeck did not start in time")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    if process.stdout:
        process.stdout.close()


def jobdeck(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(JOBDECK), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)


def test_a_second_jobdeck_finds_the_running_one_and_starts_nothing(env, tmp_path):
    home = Path(env["JOBDECK_HOME"])
    server, info = start(env)
    try:
        assert running_instance(home) == info
        second = jobdeck(env, "--no-browser")
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout and info.url in second.stdout
        assert opened(tmp_path) == []  # --no-browser means no browser, here too
        assert server.poll() is None and read_server_info(home) == info
    finally:
        stop(server)


def test_a_second_jobdeck_opens_the_running_one_signed_in(env, tmp_path):
    home = Path(env["JOBDECK_HOME"])
    server, info = start(env)
    try:
        second = jobdeck(env)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        [page_uri] = opened(tmp_path)
        assert page_uri.startswith("file://") and "token" not in page_uri  # never on a command line
        page = Path(unquote(urlsplit(page_uri).path))
        assert page.parent == home / "login" and mode(page) == 0o600 and mode(page.parent) == 0o700
        login = re.search(r'url=([^"]+)"', page.read_text()).group(1).replace("&amp;", "&")
        assert login.startswith(f"{info.url}/login?token=")

        parts = urlsplit(login)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        cookie = response.getheader("set-cookie") or ""
        connection.close()
        assert response.status in (302, 303) and cookie.startswith("jobdeck_session=")
        assert not page.exists()  # spent: the private redirect file is gone
        assert server.poll() is None and read_server_info(home) == info
    finally:
        stop(server)


def test_a_stale_server_json_is_replaced_by_the_new_server(env):
    home = prepare_home(Path(env["JOBDECK_HOME"]))
    port = free_port()
    (home / "server.json").write_text(json.dumps(
        {"pid": dead_pid(), "port": port, "url": f"http://127.0.0.1:{port}", "started_at": "x"}))
    server, info = start(env)
    try:
        assert info.pid == server.pid and info.port != 0
        assert mode(home / "server.json") == 0o600
    finally:
        stop(server)
    assert not (home / "server.json").exists()


def test_open_without_a_running_server_says_how_to_start_one(env):
    done = jobdeck(env, "open")
    assert done.returncode == 1 and "not running" in done.stderr and "jobdeck" in done.stderr
