"""LibreOffice Calc, headless: an independent calculator and a renderer.

LibreOffice recalculates formulas that carry no cached value when it converts a file,
so converting a workbook written by openpyxl gives every native formula's value. It
cannot run Python UDFs (an ``AIM_`` cell becomes ``#NAME?``) and lower-cases unknown
function names on save, so it is used to read values and draw pictures, never to write
the deliverable.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["SofficeMissingError", "convert", "convert_many", "soffice"]


class SofficeMissingError(RuntimeError):
    """LibreOffice (soffice) is not installed."""


def soffice() -> str:
    """The path of ``soffice``; :class:`SofficeMissingError` when it is not on PATH."""
    path = shutil.which("soffice")
    if not path:
        raise SofficeMissingError(
            "LibreOffice (soffice) is not on PATH: apt-get install libreoffice-calc-nogui"
        )
    return path


def convert(src: Path | str, fmt: str, outdir: Path | str, *, timeout: float = 300.0) -> Path:
    """Convert ``src`` with headless LibreOffice to ``fmt`` (``xlsx``, ``pdf``) in ``outdir``.

    A throw-away user profile keeps runs independent of each other and of any desktop
    session. Returns the converted file's path.
    """
    return convert_many([Path(src)], fmt, outdir, timeout=timeout)[0]


def convert_many(
    srcs: list[Path], fmt: str, outdir: Path | str, *, timeout: float = 600.0
) -> list[Path]:
    """Convert several files in one LibreOffice run (one start-up instead of one per
    file); the files' stems must differ. Returns the converted paths, in order."""
    srcs, outdir = [Path(s) for s in srcs], Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aim-lo-profile-") as profile:
        cmd = [
            soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, srcs),
        ]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    outs = [outdir / f"{src.stem}.{fmt.split(':')[0]}" for src in srcs]
    missing = [o.name for o in outs if not o.exists()]
    if run.returncode != 0 or missing:
        raise RuntimeError(
            f"LibreOffice could not convert {', '.join(missing) or 'the files'} to {fmt} "
            f"(exit {run.returncode}): {run.stdout.strip()} {run.stderr.strip()}"
        )
    return outs
