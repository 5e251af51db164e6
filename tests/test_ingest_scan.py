"""Folder walks: unreadable folders and symbolic link loops are reported, and the walk goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presslens.ingest.raw import Quarantined
from presslens.ingest.scan import scan_folder


def _txt(path: Path) -> bool:
    return path.suffix == ".txt"


def _names(found: list[Path | Quarantined], root: Path) -> list[str]:
    return [str(Path(f.source if isinstance(f, Quarantined) else f).relative_to(root)) for f in found]


def test_scan_yields_wanted_files_in_path_order_skipping_hidden(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.txt", "a/b/c.txt", ".git/x.txt", "a/.hidden.txt", "notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert _names(list(scan_folder(tmp_path, _txt)), tmp_path) == ["a/b/c.txt", "a/z.txt", "b.txt"]


def test_scan_reports_symlink_loops_and_follows_other_links(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)  # loops to a folder above
    (tmp_path / "self").symlink_to(tmp_path / "self")  # resolves to itself
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    found = list(scan_folder(tmp_path, _txt))
    assert _names(found, tmp_path) == ["elsewhere/b.txt", "self", "sub/a.txt", "sub/link/b.txt", "sub/up"]
    entries = {Path(e.source).name: e for e in found if isinstance(e, Quarantined)}
    assert {name: e.code for name, e in entries.items()} == {"self": "PL111", "up": "PL111"}
    assert entries["self"].reason == f"cannot read {tmp_path / 'self'}: symbolic link loop: the link resolves to itself"
    assert entries["up"].reason == (
        f"cannot read {tmp_path / 'sub' / 'up'}: symbolic link loop: the link points to {tmp_path.resolve()}, a folder above it"
    )


def test_scan_reports_an_unreadable_folder_and_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "secret.txt").write_text("x", encoding="utf-8")
    (tmp_path / "open.txt").write_text("x", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        # chmod 000 does not stop root (the test may run as root), so listing is refused here
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(scan_folder(tmp_path, _txt))
    assert _names(found, tmp_path) == ["locked", "open.txt"]
    (entry,) = [e for e in found if isinstance(e, Quarantined)]
    assert (entry.code, entry.reason) == ("PL111", f"cannot read {tmp_path / 'locked'}: the folder cannot be listed (Permission denied)")
