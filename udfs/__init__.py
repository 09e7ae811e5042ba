"""aim's worksheet functions: every ``AIM_*`` UDF, importable as plain Python.

``import udfs`` registers every function with xlwings (the workbook's ``xlwings.conf``
names this module under ``UDF Modules``). Each function is available under its Excel
name and in lower case::

    >>> import udfs
    >>> udfs.AIM_WACC(0.11, 0.045, 0.75)
    [[0.09375]]
    >>> udfs.aim_wacc is udfs.AIM_WACC
    True
"""

from __future__ import annotations

from udfs.excel import depreciation, neocloud, ratios, rpo, unit_economics  # noqa: F401
from udfs.excel._worksheet import REGISTRY

globals().update(REGISTRY)
globals().update({name.lower(): fn for name, fn in REGISTRY.items()})

__all__ = sorted([*REGISTRY, *(name.lower() for name in REGISTRY)])
