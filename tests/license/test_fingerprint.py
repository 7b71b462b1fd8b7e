"""Fingerprint: keyed, versioned hashes of the machine id and install id."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from license import fingerprint as F

MACHINE_ID = "4c4c4544004b4d1080354ab04f503432"


def test_the_fingerprint_is_a_versioned_keyed_hash(tmp_path: Path) -> None:
    result = F.fingerprint(tmp_path, read_machine_id=lambda: MACHINE_ID)
    assert result.source == "machine-id" and result.message is None
    assert result.fingerprint.startswith("fp1.") and len(result.fingerprint) == 4 + 64
    digest = result.fingerprint[4:]
    assert MACHINE_ID not in result.fingerprint
    assert digest != hashlib.sha256(MACHINE_ID.encode()).hexdigest()  # keyed, not a bare hash
    assert F.fingerprint(tmp_path, read_machine_id=lambda: MACHINE_ID) == result  # stable


def test_another_machine_gets_another_fingerprint_and_the_same_home_keeps_its_install(
        tmp_path: Path) -> None:
    one = F.fingerprint(tmp_path, read_machine_id=lambda: MACHINE_ID)
    two = F.fingerprint(tmp_path, read_machine_id=lambda: MACHINE_ID[::-1])
    assert one.fingerprint != two.fingerprint
    assert one.install_id == two.install_id


def test_only_hashes_leave_the_machine(tmp_path: Path) -> None:
    result = F.fingerprint(tmp_path, read_machine_id=lambda: MACHINE_ID)
    raw_install = (tmp_path / F.INSTALL_ID_FILE).read_text().strip()
    sent = f"{result.fingerprint} {result.install_id}"
    assert raw_install not in sent and MACHINE_ID not in sent
    assert result.install_id.startswith("fp1.")


def test_the_install_id_is_created_once_private_and_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = F.install_id(home)
    assert F.install_id(home) == first
    if os.name == "posix":
        assert stat.S_IMODE((home / F.INSTALL_ID_FILE).stat().st_mode) == 0o600
    (home / F.INSTALL_ID_FILE).write_text("garbage")
    replaced = F.install_id(home)
    assert replaced != first and F.install_id(home) == replaced


@pytest.mark.parametrize("unreadable", [None, "", "uninitialized\n", "0" * 32, "short"])
def test_no_machine_id_falls_back_deterministically_and_says_so(
        tmp_path: Path, unreadable: str | None) -> None:
    path = tmp_path / "machine-id"
    if unreadable is not None:
        path.write_text(unreadable)
    read = lambda: F.machine_id(platform="linux", linux_paths=[path])  # noqa: E731
    first = F.fingerprint(tmp_path, read_machine_id=read)
    assert first.source == "fallback"
    assert "machine id" in first.message and "settings" in first.message
    assert F.fingerprint(tmp_path, read_machine_id=read).fingerprint == first.fingerprint
    other_home = F.fingerprint(tmp_path / "other", read_machine_id=read)
    assert other_home.fingerprint != first.fingerprint


def test_an_override_beats_the_machine_id(tmp_path: Path) -> None:
    machine = F.fingerprint(tmp_path, read_machine_id=lambda: MACHINE_ID)
    pinned = F.fingerprint(tmp_path, override="rack-7", read_machine_id=lambda: MACHINE_ID)
    assert pinned.source == "override" and pinned.fingerprint != machine.fingerprint
    assert F.fingerprint(tmp_path, override="  ", read_machine_id=lambda: MACHINE_ID) == machine


def test_linux_reads_the_first_plausible_file(tmp_path: Path) -> None:
    empty, good = tmp_path / "a", tmp_path / "b"
    empty.write_text("\n")
    good.write_text(MACHINE_ID + "\n")
    assert F.machine_id(platform="linux", linux_paths=[tmp_path / "absent", empty, good]) == MACHINE_ID


def test_macos_reads_the_platform_uuid_from_ioreg() -> None:
    uuid = "564D8A3E-0F1B-4C5E-9A2B-1234567890AB"
    calls = []

    def run(argv, **kwargs):
        calls.append(argv)
        out = f'+-o Mac  <class IOPlatformExpertDevice>\n    "IOPlatformUUID" = "{uuid}"\n'
        return subprocess.CompletedProcess(argv, 0, out, "")

    assert F.machine_id(platform="darwin", run=run) == uuid
    assert calls[0][0] == "/usr/sbin/ioreg"


def test_macos_without_ioreg_gives_none() -> None:
    def run(argv, **kwargs):
        raise FileNotFoundError(argv[0])

    assert F.machine_id(platform="darwin", run=run) is None


def test_an_unknown_platform_gives_none() -> None:
    assert F.machine_id(platform="plan9") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads this Linux machine")
def test_this_linux_machine_either_has_an_id_or_falls_back(tmp_path: Path) -> None:
    result = F.fingerprint(tmp_path)
    assert result.source in ("machine-id", "fallback")
    assert (result.message is None) == (result.source == "machine-id")
