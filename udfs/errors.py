"""The small exception hierarchy shared by the numeric core and the worksheet adapters.

Every error a caller can cause names the argument, says what was expected and shows
what arrived, so that the worksheet text reads::

    #AIM! AIM_DEPRECIATION: life must be a whole number of periods >= 1 (got 2.5)
"""

from __future__ import annotations

from typing import Any

__all__ = ["AimError", "AimInputError", "format_value"]


class AimError(Exception):
    """Base class of every error raised by aim."""


def format_value(value: Any, limit: int = 40) -> str:
    """Render a caller's value for an error message, short and on one line.

    >>> format_value("abc")
    "'abc'"
    >>> format_value(2.5)
    '2.5'
    >>> format_value([[1, 2], [3, 4]])
    '2x2 range'
    """
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(r, (list, tuple)) for r in value):
            return f"{len(value)}x{len(value[0])} range"
        return f"{len(value)}-cell range"
    shape = getattr(value, "shape", None)
    if shape is not None and len(shape) == 1:
        return f"{shape[0]}-cell range"
    if shape is not None and len(shape) >= 2:
        return "x".join(str(n) for n in shape) + " range"
    if value is None:
        return "empty cell"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class AimInputError(AimError, ValueError):
    """A caller's argument is unusable.

    Parameters
    ----------
    argument : str
        The argument's name as the worksheet function documents it.
    problem : str
        What is wrong, phrased to follow the argument name ("must be >= 1").
    value : object
        What arrived; rendered with :func:`format_value`.
    function : str, optional
        The worksheet function's name; the adapter fills it in.
    """

    def __init__(self, argument: str, problem: str, value: Any, function: str | None = None):
        self.argument = argument
        self.problem = problem
        self.value = value
        self.function = function
        super().__init__(self._text())

    def _text(self) -> str:
        core = f"{self.argument} {self.problem} (got {format_value(self.value)})"
        return f"{self.function}: {core}" if self.function else core

    def __str__(self) -> str:
        return self._text()

    def for_function(self, function: str) -> AimInputError:
        """Return a copy of this error attributed to worksheet ``function``."""
        return AimInputError(self.argument, self.problem, self.value, function)

    def cell_text(self) -> str:
        """The one-line text a worksheet cell shows: ``#AIM! <FUNCTION>: <message>``."""
        return f"#AIM! {self._text()}"
