"""Checks on the paths a command is given, made before any work: a workbook to read must
be one, and the folder a file is to be written into must exist.

Each failure is one :class:`PathError` line naming the argument and the path (the CLI
prints it and exits 2).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from udfs.errors import AimError

__all__ = ["PathError", "require_out_folder", "require_workbook"]

WORKBOOK_PART = "xl/workbook.xml"


class PathError(AimError):
    """A path given to a command is unusable; nothing was done."""


def require_workbook(path: Path | str, argument: str = "workbook") -> Path:
    """``path`` as a Path if it is an Excel workbook file (.xlsx/.xlsm: a zip package
    holding ``xl/workbook.xml``); :class:`PathError` otherwise."""
    path = Path(path)
    if not path.exists():
        raise PathError(f"{argument} {path}: no such file")
    if not path.is_file():
        raise PathError(f"{argument} {path}: is a folder, not a workbook")
    try:
        with zipfile.ZipFile(path) as z:
            z.getinfo(WORKBOOK_PART)
    except (zipfile.BadZipFile, KeyError, OSError):
        raise PathError(
            f"{argument} {path}: not an Excel workbook (an .xlsx or .xlsm file)"
        ) from None
    return path


def require_out_folder(path: Path | str, argument: str = "--out") -> Path:
    """``path`` as a Path if the folder it would be written into exists;
    :class:`PathError` otherwise (a file is never written into a folder made for it)."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise PathError(f"{argument} {path}: the folder {folder} {problem}")
    if path.is_dir():
        raise PathError(f"{argument} {path}: is a folder; give a file name")
    return path
