"""Which machine and which installation this is, as hashes only.

The fingerprint is a versioned HMAC-SHA256 of the operating system's machine
id, keyed for this app: py-machineid's ``hashed_id`` construction with a
versioned app id, so the raw id (which other software can read too) never
leaves the machine and cannot be matched against another vendor's hash. The
install id is random, kept in the app home, and sent hashed as well.

Where no machine id can be read (many containers) the fingerprint falls back
to a hash of the install id: deterministic for this app home, never random,
and said so in :attr:`Fingerprint.message`. An explicit override (a setting)
beats both.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

__all__ = ["FINGERPRINT_VERSION", "Fingerprint", "machine_id", "install_id", "fingerprint",
           "keyed_hash", "INSTALL_ID_FILE", "LINUX_MACHINE_ID_PATHS"]

FINGERPRINT_VERSION = 1
_TAG = f"fp{FINGERPRINT_VERSION}."
# A new version changes every key, so hashes of two versions never collide.
_KEYS = {
    "machine": f"jobdeck.fingerprint.v{FINGERPRINT_VERSION}".encode(),
    "install": f"jobdeck.install.v{FINGERPRINT_VERSION}".encode(),
    "fallback": f"jobdeck.fingerprint-fallback.v{FINGERPRINT_VERSION}".encode(),
    "override": f"jobdeck.fingerprint-override.v{FINGERPRINT_VERSION}".encode(),
}
INSTALL_ID_FILE = "install-id"
LINUX_MACHINE_ID_PATHS = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))
_BSD_HOSTID = Path("/etc/hostid")
_INSTALL_ID = re.compile(r"[0-9a-f]{32}")
_IOREG_UUID = re.compile(r'"IOPlatformUUID"\s*=\s*"([0-9A-Fa-f-]{36})"')
FALLBACK_MESSAGE = (
    "JobDeck could not read this computer's machine id (common in containers), so this "
    "installation's own id stands in for it. Copying the app folder to another computer "
    "makes that computer look like this one. Set a machine id in the settings to choose one.")

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


@dataclass(frozen=True)
class Fingerprint:
    """What the license client sends: two hashes, and how the first was made."""

    fingerprint: str
    install_id: str
    source: str  # "machine-id", "override" or "fallback"
    message: str | None = None  # shown to the user when source is "fallback"


def keyed_hash(kind: str, value: str) -> str:
    """``fp1.`` + hex HMAC-SHA256 of ``value`` under this app's key for ``kind``."""
    digest = hmac.new(_KEYS[kind], value.encode("utf-8"), hashlib.sha256).hexdigest()
    return _TAG + digest


def _plausible(value: str | None) -> str | None:
    # systemd writes "uninitialized" on first boot; images sometimes ship zeros.
    if value is None:
        return None
    value = value.strip()
    if not 8 <= len(value) <= 256 or value.lower() == "uninitialized":
        return None
    if set(value.replace("-", "")) <= {"0"}:
        return None
    return value


def _read_first(paths: Iterable[Path]) -> str | None:
    for path in paths:
        try:
            value = _plausible(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if value:
            return value
    return None


def _macos(run: Runner) -> str | None:
    try:
        done = run(["/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice"],
                   capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    match = _IOREG_UUID.search(done.stdout or "")
    return _plausible(match[1]) if match else None


def _windows() -> str | None:  # pragma: no cover - exercised on Windows only
    import winreg  # type: ignore[import-not-found]

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography", 0,
                            winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
            return _plausible(str(winreg.QueryValueEx(key, "MachineGuid")[0]))
    except OSError:
        return None


def machine_id(*, platform: str | None = None,
               linux_paths: Iterable[Path] = LINUX_MACHINE_ID_PATHS,
               run: Runner = subprocess.run) -> str | None:
    """The raw OS machine id, or None. Raw: hash it before it goes anywhere."""
    platform = platform or sys.platform
    if platform.startswith("linux"):
        return _read_first(linux_paths)
    if platform == "darwin":
        return _macos(run)
    if platform == "win32":
        return _windows()
    if "bsd" in platform:
        return _read_first([_BSD_HOSTID])
    return None


def install_id(home: Path) -> str:
    """This installation's random id, created on first use (0600, never rewritten
    while valid: a new id is what the service counts as a reinstall)."""
    path = home / INSTALL_ID_FILE
    try:
        value = path.read_text(encoding="ascii").strip()
        if _INSTALL_ID.fullmatch(value):
            return value
    except (OSError, UnicodeDecodeError):
        pass
    value = secrets.token_hex(16)
    home.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{INSTALL_ID_FILE}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    os.replace(temporary, path)  # atomic: a reader sees the old file or the new one
    return value


def fingerprint(home: Path, *, override: str | None = None,
                read_machine_id: Callable[[], str | None] = machine_id) -> Fingerprint:
    """The fingerprint and install-id hashes for this machine and app home."""
    install = install_id(home)
    hashed_install = keyed_hash("install", install)
    if override and override.strip():
        return Fingerprint(keyed_hash("override", override.strip()), hashed_install, "override")
    raw = read_machine_id()
    if raw:
        return Fingerprint(keyed_hash("machine", raw), hashed_install, "machine-id")
    return Fingerprint(keyed_hash("fallback", install), hashed_install, "fallback", FALLBACK_MESSAGE)
