"""Mosquitto's password hashes, written as mosquitto_passwd writes them, and private files."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from crossrisk.delivery.broker_files import (
    hash_password,
    password_matches,
    read_password_file,
    write_private,
)
from tests.delivery.servers import unavailable


def test_a_hash_made_by_mosquitto_passwd_is_read_and_ours_has_its_form(tmp_path: Path) -> None:
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        unavailable("mosquitto_passwd is not installed")
        return
    passwords = tmp_path / "passwd"
    passwords.touch(mode=0o600)
    subprocess.run([tool, "-b", str(passwords), "tunxi-gw", "s3cret pass"], check=True)
    theirs = read_password_file(passwords)["tunxi-gw"]
    assert password_matches("s3cret pass", theirs) and not password_matches("s3cret", theirs)
    ours = hash_password("s3cret pass", iterations=101, salt=b"\x00" * 12)
    assert ours.split("$")[1:4] == ["7", "101", "AAAAAAAAAAAAAAAA"]
    assert len(ours.split("$")[4]) == 88  # 64 bytes of PBKDF2-SHA512 in base64
    assert password_matches("s3cret pass", ours)


def test_private_files_replace_an_open_file_with_one_only_its_owner_reads(tmp_path: Path) -> None:
    target = tmp_path / "acl"
    target.write_text("old")
    target.chmod(0o644)
    write_private(target, "user a\n")
    assert target.read_text() == "user a\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["acl"]
