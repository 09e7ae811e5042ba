"""Atomic writes: a failed or interrupted save never harms the existing file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

__all__ = ["save_atomic", "write_files_atomic"]


def save_atomic(wb: Workbook, path: Path | str) -> Path:
    """Save ``wb`` to ``path`` through a temporary file in the same folder, then rename.

    The rename is atomic on one file system, so a reader (or a crash) sees either the old
    file whole or the new file whole, never a partial one.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=".tmp" + path.suffix, dir=path.parent
    )
    os.close(fd)
    try:
        os.chmod(tmp, _mode(path))  # mkstemp makes 0600; keep the file's or the umask's
        wb.save(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_files_atomic(contents: dict[Path, bytes]) -> list[Path]:
    """Replace several files together: every new file is written and synced to a
    temporary file beside its target first, then all are renamed into place.

    If any temporary file cannot be written, no target is touched. A file whose bytes
    would not change is left alone (its modification time too). Returns the paths
    written.
    """
    pending: list[tuple[str, Path]] = []
    try:
        for path, data in contents.items():
            path = Path(path)
            if path.is_file() and path.read_bytes() == data:
                continue
            # suffix ".csv.tmp", not ".tmp.csv": a leftover must not look like a data file
            fd, tmp = tempfile.mkstemp(
                prefix=f".{path.stem}.", suffix=path.suffix + ".tmp", dir=path.parent
            )
            pending.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in pending:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in pending:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [path for _, path in pending]


def _mode(path: Path) -> int:
    """The existing file's permissions, else what a plain ``open`` would give (0666 less
    the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
