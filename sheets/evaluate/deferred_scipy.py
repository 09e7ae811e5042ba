"""The ``formulas`` engine's statistical functions without importing SciPy until one runs.

``formulas.functions.stat`` (loaded with every other function the first time the engine
parses a formula) imports ``scipy.stats``, ``scipy.linalg`` and
``scipy.interpolate.interp1d`` at module level: about 1.0 s of CPU on this machine, a
tenth of a whole recalculation of model.xlsm, for functions (NORM.DIST, PERCENTILE,
LINEST, ...) the model does not call. :func:`import_engine_functions` imports the
engine's function table with those three names bound to stand-ins that import the real
module on first use and then hand over to it, so a workbook that calls one gets SciPy's
answer, and one that does not never pays for the import.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["import_engine_functions"]

_MODULES = ("scipy.stats", "scipy.linalg", "scipy.interpolate")


class _Deferred(types.ModuleType):
    """Stands in for one SciPy module while the engine's ``stat`` module is imported.

    Reading an attribute imports the real module and returns its attribute; while the
    stand-in is still in ``sys.modules`` (during that import: ``from scipy.interpolate
    import interp1d``) it returns a function that does so when called.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            return _forwarder(self.__name__, name)
        return getattr(importlib.import_module(self.__name__), name)


def _forwarder(module: str, name: str) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


def import_engine_functions() -> dict[str, Any]:
    """``formulas.get_functions()``, with SciPy imported only when a function needs it.

    If the engine's ``stat`` module or any of the three SciPy modules is already imported,
    this is exactly ``formulas.get_functions()``.
    """
    import formulas

    loaded = "formulas.functions.stat" in sys.modules
    if loaded or any(m in sys.modules for m in _MODULES):
        return formulas.get_functions()
    importlib.import_module("scipy")  # the package itself is light; its submodules are not
    stand_ins = {m: _Deferred(m) for m in _MODULES}
    sys.modules.update(stand_ins)
    try:
        return formulas.get_functions()
    finally:
        for m, stand_in in stand_ins.items():
            if sys.modules.get(m) is stand_in:
                del sys.modules[m]
