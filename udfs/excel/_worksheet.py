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

Two texts per function
----------------------
xlwings 0.37.8 takes the Function Wizard description from ``__doc__`` at the moment the
first ``@xw.arg``/``@xw.func`` decorator runs (``__xlfunc__["ret"]["doc"]``), and
Import Functions hands its first 255 characters to ``Application.MacroOptions``. So the
decorator shows xlwings the *wizard text* only: the docstring's first paragraph on one
line, without reStructuredText markup (:func:`wizard_text`, at most 255 characters).
Once xlwings has read it, ``__doc__`` becomes the full numpydoc docstring for
``help()``: the adapter's docstring followed by a Parameters section built from the
argument docs. The wizard text is also kept as ``fn.__aim_summary__`` (:func:`summary`).
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any

import xlwings as xw

from udfs.errors import AimInputError, format_value

__all__ = ["ARG_OPTIONS", "REGISTRY", "WIZARD_LIMIT", "summary", "wizard_text", "worksheet"]

REGISTRY: dict[str, Callable[..., Any]] = {}
"""Every worksheet function by its Excel name, in definition order."""

CATEGORY = "aim"

ARG_OPTIONS: dict[str, Any] = {"err_to_str": True}
"""xlwings options of every argument (besides its ``doc``), here and in ``aimodel lite``.

``err_to_str``: an error cell (#N/A) arrives as its text, which the argument refuses by
position, rather than as None, which reads as an empty cell."""

WIZARD_LIMIT = 255
"""Most characters Excel's Function Wizard takes for a description (xlwings cuts there)."""

_MARKUP = re.compile(r"``([^`]*)``|:[a-z]+:`~?([^`]*)`|\*\*([^*]*)\*\*")


def wizard_text(doc: str | None) -> str:
    """The Function Wizard description: a docstring's first paragraph, on one line, plain.

    >>> wizard_text('''Depreciation per period of one asset.
    ...
    ...     More about ``life``.''')
    'Depreciation per period of one asset.'
    >>> wizard_text("Trailing sums over ``window``" + chr(10) + "    periods.")
    'Trailing sums over window periods.'
    """
    paragraph = inspect.cleandoc(doc or "").split("\n\n")[0]
    plain = _MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), paragraph)
    return " ".join(plain.split())


def _full_doc(impl: Callable[..., Any], arg_docs: dict[str, str]) -> str:
    """numpydoc for ``help()``: the adapter's docstring and a Parameters section."""
    doc = inspect.cleandoc(impl.__doc__ or "")
    if re.search(r"^Parameters\n-{10}", doc, re.MULTILINE):
        return doc
    sig = inspect.signature(impl)
    lines = [doc, "", "Parameters", "----------"]
    for arg, text in arg_docs.items():
        optional = sig.parameters[arg].default is not inspect.Parameter.empty
        lines.append(f"{arg} : cell, range or value" + (", optional" if optional else ""))
        lines.append(f"    {text}")
    lines += [
        "",
        "Returns",
        "-------",
        "list of list or str",
        "    Rows x columns of numbers (and the documented cell texts), or one line",
        "    ``#AIM! <FUNCTION>: <argument> <what is wrong> (got <value>)``.",
    ]
    return "\n".join(lines)


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

        # xlwings reads the description from __doc__ when its first decorator runs
        # (on Windows): show it the one-line wizard text, then the full docstring.
        wizard = wizard_text(impl.__doc__)
        cell.__doc__ = wizard
        fn: Callable[..., Any] = cell
        for arg, doc in reversed(arg_docs.items()):
            fn = xw.arg(arg, doc=doc, **ARG_OPTIONS)(fn)
        fn = xw.func(category=CATEGORY)(fn)
        xlfunc = getattr(fn, "__xlfunc__", None)
        if xlfunc is not None:  # xlwings' real decorators (Windows, or `aimodel vba`)
            xlfunc["ret"]["doc"] = wizard
        fn.__doc__ = _full_doc(impl, arg_docs)
        fn.__aim_summary__ = wizard  # type: ignore[attr-defined]
        fn.__aim_args__ = dict(arg_docs)  # type: ignore[attr-defined]
        fn.__aim_impl__ = impl  # type: ignore[attr-defined]
        if name in REGISTRY:
            raise TypeError(f"worksheet function {name} is defined twice")
        REGISTRY[name] = fn
        return fn

    return decorate


def summary(fn: Callable[..., Any]) -> str:
    """The one-line Function Wizard description (what xlwings hands MacroOptions)."""
    text = getattr(fn, "__aim_summary__", None)
    return text if text is not None else wizard_text(fn.__doc__)
