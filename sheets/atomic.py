"""Atomic workbook writes: a failed or interrupted save never harms the existing file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

__all__ = ["save_atomic"]


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
        wb.save(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
