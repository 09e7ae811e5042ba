"""Atomic, reproducible writes: a failed or interrupted save never harms the existing
file, and the same workbook content saved at another time gives the same bytes.

openpyxl stamps the wall-clock time into ``docProps/core.xml`` (created, modified) and
into every zip entry's date. :func:`save_atomic` given a ``stamp`` rewrites both to that
time after openpyxl's save: the document dates become ``stamp`` and every zip entry
carries ``stamp``'s date and time, in openpyxl's order, with its compression, so the file
depends on the workbook's content and the stamp only. The build takes the stamp from
data/ (:func:`sheets.build.data_stamp`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

__all__ = ["reproducible_zip", "save_atomic", "write_files_atomic"]

CORE = "docProps/core.xml"
_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest date a zip entry can hold


def reproducible_zip(raw: bytes, stamp: dt.datetime) -> bytes:
    """``raw`` (an .xlsx/.xlsm zip) with its document dates and every entry's date set to
    ``stamp`` (UTC, whole seconds; clamped to 1980, the zip format's first year).

    Entries keep their order, bytes (the core properties aside), compression and
    permission bits: only times change. ``xl/vbaProject.bin`` is copied byte for byte.
    """
    stamp = max(stamp.replace(tzinfo=None, microsecond=0), ZIP_EPOCH)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == CORE:
                data = _CORE_DATE.sub(lambda m: m[1] + iso + m[3], data)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            entry.create_system = info.create_system
            dst.writestr(entry, data)
    return out.getvalue()


def save_atomic(wb: Workbook, path: Path | str, stamp: dt.datetime | None = None) -> Path:
    """Save ``wb`` to ``path`` through a temporary file in the same folder, then rename.

    The rename is atomic on one file system, so a reader (or a crash) sees either the old
    file whole or the new file whole, never a partial one. With ``stamp`` (a UTC time) the
    saved file is made reproducible (:func:`reproducible_zip`), and an existing ``path``
    that already holds exactly those bytes is left alone (its modification time too).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=".tmp" + path.suffix, dir=path.parent
    )
    os.close(fd)
    try:
        os.chmod(tmp, _mode(path))  # mkstemp makes 0600; keep the file's or the umask's
        wb.save(tmp)
        if stamp is not None:
            data = reproducible_zip(Path(tmp).read_bytes(), stamp)
            if path.is_file() and path.read_bytes() == data:
                Path(tmp).unlink()
                return path
            Path(tmp).write_bytes(data)
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
