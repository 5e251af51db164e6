"""Walk a folder for input files, reporting what cannot be walked instead of skipping it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from presslens.errors import BadInputError
from presslens.ingest.quarantine import quarantine
from presslens.ingest.raw import Quarantined
from presslens.ingest.sanitize import replace_surrogates


def scan_folder(root: Path, wanted: Callable[[Path], bool]) -> Iterator[Path | Quarantined]:
    """The ``wanted`` files under ``root`` in path order, skipping hidden names and following links.

    A folder that cannot be listed and a symbolic link that loops (to itself or to a folder above
    it) come out as PL111 entries, and the walk goes on.
    """
    yield from _walk(root, wanted, (root.resolve(),))


def _walk(folder: Path, wanted: Callable[[Path], bool], chain: tuple[Path, ...]) -> Iterator[Path | Quarantined]:
    """Depth first through ``folder``; ``chain`` holds the real paths of the folders above."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as err:
        yield _unreadable(folder, f"the folder cannot be listed ({err.strerror or err})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        loop = _loop(path, chain) if entry.is_symlink() else None
        if loop is not None:
            yield _unreadable(path, loop)
        elif _is_dir(path):
            yield from _walk(path, wanted, (*chain, path.resolve()))
        elif wanted(path):
            yield path  # a dangling link too: reading it reports the missing target


def _loop(link: Path, chain: tuple[Path, ...]) -> str | None:
    """How the symbolic link ``link`` loops, or None when following it ends."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return None
    except (OSError, RuntimeError):  # ELOOP: the link points (through others) to itself
        return "symbolic link loop: the link resolves to itself"
    if target in chain:
        return f"symbolic link loop: the link points to {replace_surrogates(str(target))}, a folder above it"
    return None


def _is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder (following links); False when it cannot be told."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _unreadable(path: Path, detail: str) -> Quarantined:
    """The PL111 entry for ``path``."""
    name = replace_surrogates(str(path))
    return quarantine(name, BadInputError("PL111", path=name, detail=detail))
