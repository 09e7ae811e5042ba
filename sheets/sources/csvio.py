"""What every reader of data/ shares: the one-line error and the file decoding.

``DataError`` is the message a bad data file stops the build with (``file, line N,
column C: problem``); :func:`decode` reads a file's bytes as UTF-8 text (a byte-order
mark is dropped); :func:`show` quotes a bad value for such a message, cut at 40
characters. The seed tables' loader and the filings' schema both import them.
"""

from __future__ import annotations

from pathlib import Path

from udfs.errors import AimError

__all__ = ["DataError", "decode", "show"]


class DataError(AimError):
    """A data file is unusable; the message names the file, line and column."""

    def __init__(
        self, path: Path | str, problem: str, line: int | None = None, column: str | None = None
    ):
        self.path = str(path)
        self.line = line
        self.column = column
        self.problem = problem
        where = self.path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")


def show(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(path, f"is not UTF-8 text (byte {raw[err.start]:#04x})", line) from None
