"""The app home: a private folder, and ``server.json`` for a single instance.

``server.json`` says which process serves which URL. A second ``jobdeck``
reads it and opens the browser on the running server instead of starting
another; a file left by a process that died is replaced.
"""

from __future__ import annotations

import json
import os
import stat
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["HomeError", "ServerInfo", "prepare_home", "read_server_info", "write_server_info",
           "remove_server_info", "running_instance", "write_private"]


class HomeError(RuntimeError):
    """The home folder cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    port: int
    url: str
    started_at: str


def prepare_home(home: Path) -> Path:
    """Create the home folder, private to this user (0700)."""
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix" and stat.S_IMODE(home.stat().st_mode) != 0o700:
            home.chmod(0o700)
        probe = home / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise HomeError(
            f"JobDeck cannot write to its home folder {home} ({exc.strerror or exc}). "
            "Fix its permissions or choose another with --home or JOBDECK_HOME.") from None
    return home


def write_private(path: Path, text: str) -> None:
    """Write a file only this user can read (0600), replacing it atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _server_file(home: Path) -> Path:
    return home / "server.json"


def write_server_info(home: Path, port: int, url: str) -> ServerInfo:
    info = ServerInfo(pid=os.getpid(), port=port, url=url,
                      started_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    write_private(_server_file(home), json.dumps(asdict(info), indent=2))
    return info


def read_server_info(home: Path) -> ServerInfo | None:
    try:
        data = json.loads(_server_file(home).read_text(encoding="utf-8"))
        return ServerInfo(pid=int(data["pid"]), port=int(data["port"]),
                          url=str(data["url"]), started_at=str(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_server_info(home: Path) -> None:
    """Remove server.json if it is this process's own."""
    info = read_server_info(home)
    if info is not None and info.pid == os.getpid():
        _server_file(home).unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_instance(home: Path, timeout: float = 1.5) -> ServerInfo | None:
    """The server recorded in server.json, if it is alive and answering."""
    info = read_server_info(home)
    if info is None or not _pid_alive(info.pid):
        return None
    import urllib.error  # only here: a start with no server recorded skips it
    import urllib.request

    try:
        with urllib.request.urlopen(f"{info.url}/api/v1/health", timeout=timeout) as response:
            return info if response.status == 200 else None
    except (OSError, urllib.error.URLError):
        return None
