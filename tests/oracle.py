"""LibreOffice Calc as an independent oracle for Excel formulas.

:func:`evaluate` writes a list of formula strings into column A of a fresh workbook,
lets headless LibreOffice recalculate it (a conversion to .xlsx), and reads the values
back. One conversion costs about two seconds, so batch every formula a test module needs
into one call, typically from a module-scoped fixture::

    @pytest.fixture(scope="module")
    def lo_values():
        return oracle.evaluate([case.formula for case in CASES])

Values come back as LibreOffice writes them: numbers with 15 significant digits, error
cells as their text (``"#NUM!"``, ``"#VALUE!"``). When ``soffice`` is not installed the
calling test is skipped, unless the environment variable ``CI`` is ``"true"``, in which
case it fails: the oracle is part of the release checks.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

__all__ = ["evaluate", "require_soffice"]

_PROFILE: Path | None = None


def require_soffice() -> str:
    """The path of ``soffice``; skip the test (fail under ``CI=true``) when it is absent."""
    path = shutil.which("soffice")
    if path:
        return path
    reason = "LibreOffice (soffice) is not on PATH, so the Excel-parity oracle cannot run"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(reason + "; CI=true requires it")
    pytest.skip(reason)


def _profile() -> Path:
    """One throw-away LibreOffice user profile per test process (created on first use)."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.mkdtemp(prefix="aim-lo-profile-"))
        atexit.register(shutil.rmtree, _PROFILE, True)
    return _PROFILE


def evaluate(formulas: Sequence[str], *, timeout: float = 180.0) -> list[Any]:
    """Evaluate Excel formulas in LibreOffice Calc, one per row, and return their values.

    Parameters
    ----------
    formulas : sequence of str
        Formula text such as ``"=DDB(2400,300,10,1)"`` (the leading ``=`` is optional).
        Use ``.`` as decimal separator and ``,`` between arguments, as in Excel's file
        format.
    timeout : float
        Seconds to wait for LibreOffice.

    Returns
    -------
    list
        One value per formula, in order: a float, or the error text for an error cell.
    """
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="aim-oracle-") as tmp:
        src_dir = Path(tmp, "in")
        out_dir = Path(tmp, "out")
        src_dir.mkdir()
        out_dir.mkdir()
        src = src_dir / "oracle.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        for row, text in enumerate(formulas, start=1):
            sheet.cell(row=row, column=1, value=text if text.startswith("=") else "=" + text)
        book.save(src)
        cmd = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={_profile().as_uri()}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(src),
        ]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        result = out_dir / "oracle.xlsx"
        if run.returncode != 0 or not result.exists():
            raise RuntimeError(
                f"LibreOffice conversion failed (exit {run.returncode}): "
                f"{run.stdout.strip()} {run.stderr.strip()}"
            )
        values = openpyxl.load_workbook(result, data_only=True).active
        return [values.cell(row=row, column=1).value for row in range(1, len(formulas) + 1)]
