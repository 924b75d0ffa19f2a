"""Writing results atomically, and confining every path a spec names to its project."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from factsheet.errors import OutputError
from factsheet.output import write_atomic
from factsheet.paths import resolve_inside


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- write_atomic -----------------------------------------------------------------


def test_write_atomic_writes_bytes_with_mode_0644(tmp_path: Path) -> None:
    old_umask = os.umask(0o077)  # the mode must not depend on the umask
    try:
        target = tmp_path / "out" / "sheet.pdf"
        write_atomic(target, b"%PDF-1.4 first")
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"%PDF-1.4 first"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["sheet.pdf"]


def test_write_atomic_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old contents that are longer than the new ones")
    os.chmod(target, 0o600)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_write_atomic_empty_data(tmp_path: Path) -> None:
    target = tmp_path / "empty.pdf"
    write_atomic(target, b"")
    assert target.read_bytes() == b""


def test_failed_replace_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "sheet.pdf"
    old = b"%PDF-1.4 the previous good build\x00\xff"
    target.write_bytes(old)
    seen: list[str] = []

    def failing_replace(src: str, dst: object) -> None:
        seen.append(src)
        assert Path(src).read_bytes() == b"new bytes"  # written in full before the swap
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError) as info:
        write_atomic(target, b"new bytes")
    monkeypatch.undo()
    error = info.value
    assert error.exit_code == 74
    assert error.message == "cannot write file: No space left on device"
    assert error.location is not None and error.location.file == target
    assert target.read_bytes() == old
    assert len(seen) == 1 and Path(seen[0]).parent == tmp_path
    assert not Path(seen[0]).exists()
    assert leftovers(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_failed_write_midway_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OutputError, match="cannot write file: Input/output error"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_interrupt_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(OutputError) as info:
        write_atomic(blocker / "sheet.pdf", b"x")
    assert info.value.exit_code == 74
    assert info.value.message.startswith("cannot write to folder '")
    assert info.value.location is not None and info.value.location.file == blocker / "sheet.pdf"
    assert blocker.read_text() == "a file where a folder should be"


# --- resolve_inside ---------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "m.csv").write_text("a\n1\n")
    return project


def test_normal_relative_paths_are_accepted(root: Path) -> None:
    assert resolve_inside(root, "data/m.csv") == (root / "data" / "m.csv").resolve()
    assert resolve_inside(root, "./data/m.csv") == (root / "data" / "m.csv").resolve()
    assert resolve_inside(root, "data\\m.csv") == (root / "data" / "m.csv").resolve()
    # Need not exist yet (an output file), and may be a folder.
    assert resolve_inside(root, "output/x.pdf") == root.resolve() / "output" / "x.pdf"
    assert resolve_inside(root, "data") == (root / "data").resolve()


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("../secret.txt", "path '../secret.txt' must not contain '..'"),
        ("data/../../secret.txt", "path 'data/../../secret.txt' must not contain '..'"),
        ("data\\..\\..\\secret.txt", "path 'data\\..\\..\\secret.txt' must not contain '..'"),
        ("/etc/passwd", "path '/etc/passwd' must be relative to the project"),
        ("~/secret.txt", "path '~/secret.txt' must be relative to the project"),
        ("~", "path '~' must be relative to the project"),
        ("C:/Windows/win.ini", "path 'C:/Windows/win.ini' must be relative to the project"),
        ("", "path '' must be relative to the project"),
    ],
)
def test_escaping_paths_are_refused(root: Path, relative: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        resolve_inside(root, relative)
    assert str(info.value) == message


def test_symlink_leading_outside_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "data" / "sneaky.csv").symlink_to(outside / "secret.txt")
    for relative in ("linked/secret.txt", "linked", "data/sneaky.csv"):
        with pytest.raises(ValueError) as info:
            resolve_inside(root, relative)
        assert str(info.value) == (f"path '{relative}' leads outside the project (through a link?)")


def test_symlink_staying_inside_is_accepted(root: Path) -> None:
    (root / "alias.csv").symlink_to(root / "data" / "m.csv")
    assert resolve_inside(root, "alias.csv") == (root / "data" / "m.csv").resolve()


def test_fifo_is_refused(root: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(root / "pipe")
    with pytest.raises(ValueError, match=r"^path 'pipe' is not a regular file$"):
        resolve_inside(root, "pipe")
