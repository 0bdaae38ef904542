"""Reading a class's export, a folder or a zip, safely: what ``course grade`` reads first.

No absolute or ``..`` paths, no symlinks, a bounded unpacked size; the files an OS or Jupyter
adds (``IGNORED``) are skipped. Used by ``course.grading.intake``.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

MAX_ZIP_BYTES = 2 * 1024**3


#: Files and folders an OS or Jupyter adds; never submissions.
IGNORED = {".ipynb_checkpoints", "__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini"}


def ignored(parts: tuple[str, ...]) -> bool:
    return any(p in IGNORED or p.startswith("._") for p in parts)


def _unsafe(name: str) -> str | None:
    """Why a path from an export must not be used, or None."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "an absolute path"
    if ".." in re.split(r"[/\\]", name):
        return "a '..' path"
    return None


def _entries(source: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The zip's entries, checked: bounded total size, safe paths, no symlinks or twins."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_BYTES:
        raise ValueError(f"{source} unpacks to {total / 1e9:.1f} GB; the limit is 2 GB.")
    _check_entries(source, infos)
    return infos


def unpack(source: Path, into: Path) -> Path:
    """Extract a zip safely (no absolute paths, '..', symlinks; bounded size); return its root."""
    with zipfile.ZipFile(source) as archive:
        for info in _entries(source, archive):
            if not info.is_dir() and not ignored(tuple(info.filename.split("/"))):
                archive.extract(info, into)
    return into


def _check_entries(source: Path, infos: list[zipfile.ZipInfo]) -> None:
    seen: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        why = _unsafe(info.filename)
        if why:
            raise ValueError(
                f"{source}: refusing the unsafe path {info.filename!r} ({why} would write "
                "outside the workspace); re-create the zip from the submissions folder."
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ValueError(
                f"{source}: refusing the symlink {info.filename!r}; a submission holds files only."
            )
        if info.is_dir() or ignored(tuple(info.filename.split("/"))):
            continue
        if info.filename in seen:
            raise ValueError(
                f"{source} holds {info.filename!r} twice (entries "
                f"{infos.index(seen[info.filename])} and {infos.index(info)}); unzip it, keep "
                "the right file and zip it again."
            )
        seen[info.filename] = info


def files_of(source: Path) -> dict[str, Callable[[], bytes]]:
    """Relative posix path -> reader of every non-ignored file below a folder or in a zip."""
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            infos = _entries(source, archive)
            names = [
                i.filename
                for i in infos
                if not i.is_dir() and not ignored(tuple(i.filename.split("/")))
            ]

        def reader(name):
            def read_entry() -> bytes:
                with zipfile.ZipFile(source) as archive:
                    return archive.read(name)

            return read_entry

        return {name: reader(name) for name in names}
    files: dict[str, Callable[[], bytes]] = {}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if ignored(relative.parts):
            continue
        if path.is_symlink():
            raise ValueError(
                f"{path}: refusing a symlink in the submissions (it could point outside them); "
                "replace it with the file it points to."
            )
        if path.is_file():
            files[relative.as_posix()] = path.read_bytes
    return files


def folders_of(source: Path) -> set[tuple[str, ...]]:
    """The folders below a folder or in a zip (directory entries included), as path parts."""
    if source.is_file():
        with zipfile.ZipFile(source) as archive:
            names = [info.filename for info in archive.infolist()]
        parts = {tuple(p for p in name.split("/") if p) for name in names}
        folders = {part[:i] for part in parts for i in range(1, len(part))}
        folders |= {tuple(p for p in n.split("/") if p) for n in names if n.endswith("/")}
    else:
        folders = {p.relative_to(source).parts for p in source.rglob("*") if p.is_dir()}
    return {f for f in folders if f and not ignored(f)}
