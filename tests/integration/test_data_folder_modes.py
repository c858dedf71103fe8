"""Issue 15 item 1: only folders the tool creates are made private; an existing one keeps its
mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from evaluation import hostile
from tests.sessions_fixture import run_review_command as run
from voice_interviewer.errors import SessionError
from voice_interviewer.paths import make_private_dir
from voice_interviewer.sessions.store import SessionStore


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return hostile.make_archive(tmp_path_factory.mktemp("archive") / "s.zip")


@pytest.mark.parametrize("existing", [0o1777, 0o755, 0o750])
def test_import_into_an_existing_folder_keeps_its_mode(tmp_path, archive, capsys, existing):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, existing)
    assert run(["import", str(archive), "--data-dir", str(shared)]) == 0
    assert mode(shared) == existing  # was 0700 before: `--data-dir /tmp` broke /tmp
    # What the tool made inside it is private all the same.
    assert mode(shared / "sessions") == 0o700
    assert mode(shared / "sessions.db") == 0o600
    [wav] = (shared / "sessions").rglob("*.wav")
    assert mode(wav.parent) == 0o700 and mode(wav) == 0o600


def test_every_folder_the_tool_creates_is_private(tmp_path):
    old = os.umask(0o002)  # a loose umask: the modes must not depend on it
    try:
        root = tmp_path / "a" / "b" / "home"
        SessionStore(root).close()
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", root, root / "sessions"):
        assert mode(folder) == 0o700, folder


def test_an_existing_parent_is_left_alone(tmp_path):
    os.chmod(tmp_path, 0o755)
    make_private_dir(tmp_path / "new")
    assert mode(tmp_path) == 0o755 and mode(tmp_path / "new") == 0o700


def test_a_file_in_the_way_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SessionError, match="cannot create the folder") as exc:
        make_private_dir(tmp_path / "file")
    assert str(exc.value).startswith(f"{tmp_path / 'file'}: ") and "\n" not in str(exc.value)
    with pytest.raises(SessionError, match="cannot create the folder"):
        make_private_dir(tmp_path / "file" / "below")
