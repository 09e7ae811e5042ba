"""Run a generated xlwings Lite main.py through xlwings' own Office.js code (a subprocess).

``python -m tests.lite_harness MAIN_PY < cases.json`` imports MAIN_PY as a module the
way xlwings Lite does, with ``XLWINGS_ON_SERVER=true`` so that ``from xlwings import
func, arg`` binds xlwings' Office.js registration (``xlwings.pro.udfs_officejs``), then
prints JSON: the registration xlwings builds (``custom_functions_meta``), and for each
case ``{"func": name, "args": [2-D list per argument]}`` the result of
``await custom_functions_call(data, module)`` with the arguments as Office.js sends them,
once with numbers as floats and once with whole numbers as int (Pyodide turns a whole JS
number into a Python int). It also reports whether aim's installed ``udfs`` package was
imported (it must not be: main.py carries its own copy).

xlwings' server/Office.js code is PolyForm Noncommercial / commercial-licensed (see
/work/shared/TECH-NOTES.md); aim uses it here, in tests only, because it is the code
xlwings Lite runs. Nothing aim ships imports it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys


def _as_ints(grid):
    return [[int(v) if isinstance(v, float) and v.is_integer() else v for v in row] for row in grid]


def main(path: str) -> None:
    if os.environ.get("XLWINGS_ON_SERVER") != "true":
        raise SystemExit("lite_harness: set XLWINGS_ON_SERVER=true (xlwings' Office.js mode)")
    import xlwings
    from xlwings.pro.udfs_officejs import custom_functions_call, custom_functions_meta

    spec = importlib.util.spec_from_file_location("main", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    async def call(name, args):
        data = {
            "func_name": name,
            "args": args,
            "version": xlwings.__version__,
            "client": "Office.js",
            "runtime": "1.4",
            "culture_info_name": "en-US",
        }
        return await custom_functions_call(data, module)

    cases = json.load(sys.stdin)
    out = {
        "meta": custom_functions_meta(module),
        "officejs": [asyncio.run(call(c["func"], c["args"])) for c in cases],
        "officejs_int": [
            asyncio.run(call(c["func"], [_as_ints(a) for a in c["args"]])) for c in cases
        ],
        "installed_udfs_imported": "udfs" in sys.modules,
        "carried_modules": sorted(n for n in sys.modules if n.startswith("aim_udfs")),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
