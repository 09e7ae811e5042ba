"""The ``@worksheet`` decorator: one place that turns a Python function into an AIM_ UDF.

It does four things, so that no adapter repeats them:

1. registers the function with xlwings (``@xw.func`` and one ``@xw.arg`` per argument,
   whose ``doc`` is what Excel's Function Wizard shows);
2. checks at import time that the documented arguments are exactly the signature's
   (xlwings' decorators do nothing on Linux, so a misspelt name would go unnoticed);
3. turns a caller's mistake (:class:`udfs.errors.AimInputError`) into the one-line cell
   text ``#AIM! AIM_NAME: <argument> <what is wrong> (got <value>)``;
4. keeps a registry of every worksheet function for the package, the README and tests.

Anything else that escapes a function is a bug in aim, not a caller's mistake; it is
still shown as one line (``#AIM! AIM_NAME: internal error ...``) rather than a
traceback in the cell, and the fuzz tests assert that it never happens.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import xlwings as xw

from udfs.errors import AimInputError, format_value

__all__ = ["REGISTRY", "worksheet"]

REGISTRY: dict[str, Callable[..., Any]] = {}
"""Every worksheet function by its Excel name, in definition order."""

CATEGORY = "aim"


def _bind_error(name: str, sig: inspect.Signature, args: tuple, kwargs: dict) -> str | None:
    try:
        sig.bind(*args, **kwargs)
    except TypeError:
        required = [p.name for p in sig.parameters.values() if p.default is p.empty]
        missing = [p for p in required[len(args) :] if p not in kwargs]
        if missing:  # the first required argument neither passed by position nor by name
            return f"#AIM! {name}: {missing[0]} is required (got nothing)"
        return (
            f"#AIM! {name}: takes at most {len(sig.parameters)} arguments "
            f"(got {format_value(len(args) + len(kwargs))})"
        )
    return None


def worksheet(**arg_docs: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a worksheet function and document each of its arguments.

    Parameters
    ----------
    **arg_docs : str
        One entry per argument of the decorated function, in signature order: the
        Function Wizard text, with units.
    """

    def decorate(impl: Callable[..., Any]) -> Callable[..., Any]:
        name = impl.__name__
        if not name.startswith("AIM_") or name != name.upper():
            raise TypeError(f"worksheet function {name!r} must be named AIM_<UPPER CASE>")
        sig = inspect.signature(impl)
        params = list(sig.parameters)
        if params != list(arg_docs):
            raise TypeError(
                f"{name}: documented arguments {list(arg_docs)} differ from the signature {params}"
            )
        for p in sig.parameters.values():
            if p.kind is not p.POSITIONAL_OR_KEYWORD:
                raise TypeError(f"{name}: argument {p.name} must be positional")
        if not (impl.__doc__ or "").strip():
            raise TypeError(f"{name}: needs a docstring (the Function Wizard text)")

        @functools.wraps(impl)
        def cell(*args: Any, **kwargs: Any) -> Any:
            problem = _bind_error(name, sig, args, kwargs)
            if problem:
                return problem
            try:
                return impl(*args, **kwargs)
            except AimInputError as err:
                return err.for_function(name).cell_text()
            except Exception as err:  # a bug in aim: one line, never a traceback in a cell
                text = " ".join(str(err).split())[:120]
                return f"#AIM! {name}: internal error ({type(err).__name__}: {text})"

        fn: Callable[..., Any] = cell
        for arg, doc in reversed(arg_docs.items()):
            fn = xw.arg(arg, doc=doc)(fn)
        fn = xw.func(category=CATEGORY)(fn)
        fn.__aim_args__ = dict(arg_docs)  # type: ignore[attr-defined]
        fn.__aim_impl__ = impl  # type: ignore[attr-defined]
        if name in REGISTRY:
            raise TypeError(f"worksheet function {name} is defined twice")
        REGISTRY[name] = fn
        return fn

    return decorate


def summary(fn: Callable[..., Any]) -> str:
    """The one-line Function Wizard description: the docstring's first line."""
    return (fn.__doc__ or "").strip().splitlines()[0]
