"""aim's worksheet functions: every ``AIM_*`` UDF, importable as plain Python.

``import udfs`` registers every function with xlwings (the workbook's ``xlwings.conf``
names this module under ``UDF Modules``). Each function is here once, under its Excel
name: xlwings' Import Functions writes one VBA wrapper for every attribute of this
module that carries xlwings' registration, so a second name for a function would give
a second VBA procedure of the same name, which VBA refuses ("Ambiguous name detected").
From Python, call them by that name::

    >>> import udfs
    >>> udfs.AIM_WACC(0.11, 0.045, 0.75)
    [[0.09375]]
    >>> sorted(udfs.REGISTRY)[:2]
    ['AIM_CAPEX_INTENSITY', 'AIM_CAPEX_TO_OCF']

A lower-case spelling (``udfs.aim_wacc``) still resolves, for scripts written when it
was listed, but it is not an attribute of the module: ``dir(udfs)`` and
``from udfs import *`` show each function once.

    >>> udfs.aim_wacc is udfs.AIM_WACC and "aim_wacc" not in dir(udfs)
    True
"""

from __future__ import annotations

from udfs.excel import (  # noqa: F401
    depr_policy,
    depreciation,
    financing,
    neocloud,
    ratios,
    rpo,
    unit_economics,
)
from udfs.excel._worksheet import REGISTRY

globals().update(REGISTRY)

__all__ = sorted(REGISTRY)


def __getattr__(name: str):  # PEP 562: only called for names the module does not hold
    """``udfs.aim_wacc`` -> ``udfs.AIM_WACC``, without a second attribute xlwings would see."""
    fn = REGISTRY.get(name.upper()) if name.islower() else None
    if fn is None:
        raise AttributeError(f"module 'udfs' has no attribute {name!r}")
    return fn
