"""The AIM functions for xlwings Lite: ``aimodel lite --out DIR`` writes main.py and
requirements.txt for the Lite editor (Excel on Mac, Windows and the web).

xlwings Lite runs Python in Excel through Pyodide. A workbook carries its code in two
files the Lite editor shows: ``main.py``, whose functions decorated with
``from xlwings import func, arg`` become worksheet functions, and ``requirements.txt``,
installed from PyPI (pure-Python wheels) or from Pyodide's own builds (numpy), which
are tied to the Pyodide release and must not be pinned.

main.py has to be self-contained: it may import only the standard library, numpy,
numpy-financial and xlwings. So :func:`main_py` carries the udfs package inside it,
generated from udfs' own source files (one source of truth, nothing copied by hand):

* every module of udfs as text, line by line, under the package name ``aim_udfs`` (the
  ``from udfs...`` imports rewritten to ``from aim_udfs...``, so that the carried code
  never mixes with an installed aim), loaded on first import by a small finder on
  ``sys.meta_path``;
* one function per AIM function, under its Excel name, registered with xlwings' ``func``
  and ``arg``: the one-line Function Wizard text as its docstring (xlwings Lite's
  description), each argument's wizard help as ``doc`` with the same options as the
  Windows registration (:data:`udfs.excel._worksheet.ARG_OPTIONS`), the same signature
  and defaults. It calls the carried ``AIM_*`` function, so the numbers and the
  ``#AIM!`` texts are those of the Windows add-in. Whole numbers, which Pyodide hands
  over as int, go in as floats, as Excel's doubles reach the Windows add-in.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "BUNDLE_PACKAGE",
    "bundled_sources",
    "main_py",
    "requirements_txt",
    "write_lite",
]

BUNDLE_PACKAGE = "aim_udfs"
"""The name the carried copy of udfs takes inside main.py."""

PYODIDE_BUILT = frozenset({"numpy"})
"""Packages Pyodide builds itself: listed in requirements.txt without a version."""

LITE_REQUIREMENTS = ("xlwings", "numpy", "numpy-financial")
"""What main.py imports besides the standard library, as distribution names."""

XLWINGS_RANGE = ">=0.37.8,<1"
"""xlwings for Lite. The exact pin of pyproject.toml is for the Windows add-in, whose VBA
names xlwings64-0.37.8.dll; Lite has no DLL. The Lite docs advise an upper bound rather
than a pin (it records what it installed in requirements-pinned.txt)."""

_FROM_UDFS = re.compile(r"\bfrom\s+udfs(?=[.\s])")


def _udfs_root() -> Path:
    import udfs

    return Path(udfs.__file__).resolve().parent


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([BUNDLE_PACKAGE, *parts])


def _rename_imports(source: str, where: str) -> str:
    """``from udfs.x import y`` -> ``from aim_udfs.x import y`` (code only, not docstrings)."""
    lines = source.splitlines(keepends=True)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(
            a.name == "udfs" or a.name.startswith("udfs.") for a in node.names
        ):
            raise ValueError(f"{where}:{node.lineno}: write `from udfs... import ...`")
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "udfs" or node.module.startswith("udfs."):
                i = node.lineno - 1
                lines[i], n = _FROM_UDFS.subn(f"from {BUNDLE_PACKAGE}", lines[i], count=1)
                if n != 1:
                    raise ValueError(f"{where}:{node.lineno}: cannot rewrite {lines[i]!r}")
            elif node.level:
                raise ValueError(f"{where}:{node.lineno}: relative import")
    return "".join(lines)


def bundled_sources() -> dict[str, str]:
    """Every module of udfs, renamed into ``aim_udfs``: {module name: source text}.

    Packages (``__init__.py``) come before their modules; the order is by path.
    """
    root = _udfs_root()
    files = sorted(root.rglob("*.py"), key=lambda p: (p.parent.parts, p.name != "__init__.py"))
    out: dict[str, str] = {}
    for path in files:
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root.parent).as_posix()
        out[_module_name(root, path)] = _rename_imports(path.read_text(encoding="utf-8"), rel)
    return out


def _packages(sources: dict[str, str]) -> list[str]:
    names = set(sources)
    return sorted(n for n in names if any(m.startswith(n + ".") for m in names))


_HEADER = '''\
"""aim's AIM_* worksheet functions for xlwings Lite (Excel on Mac, Windows and the web).

Written by `aimodel lite` (aim {version}) from aim's udfs package. Do not edit: run
`aimodel lite --out DIR` again after upgrading aim. Paste this file into the xlwings Lite
editor's main.py, and requirements.txt into its requirements.txt.

Every function below is registered with xlwings' `func` and `arg` under the name the
Windows add-in uses, with the same Function Wizard description and argument help. Each
calls the same code as the Windows add-in: the udfs package, carried at the end of this
file as text (package `{package}`), so the numbers and the `#AIM!` texts are the same.
"""

import importlib.abc
import importlib.util
import sys

from xlwings import arg, func


def _doubles(values):
    """Excel's numbers are doubles, as the Windows add-in receives them; Pyodide hands a
    whole number over as an int (so an #AIM! text would say "got 0", not "got 0.0")."""
    if isinstance(values, list):
        return [_doubles(v) for v in values]
    return float(values) if type(values) is int else values

'''

_LOADER = '''

class _CarriedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the `{package}` modules from _SOURCES (no files, no network)."""

    def find_spec(self, name, path=None, target=None):
        if name not in _SOURCES:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=name in _PACKAGES)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        code = compile("".join(_SOURCES[module.__name__]), module.__name__, "exec")
        exec(code, module.__dict__)


# Lite runs main.py again after every edit: drop the previous run's finder and modules.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "_CarriedModules"]
for _name in [n for n in sys.modules if n == "{package}" or n.startswith("{package}.")]:
    del sys.modules[_name]
sys.meta_path.insert(0, _CarriedModules())

_aim = importlib.import_module("{package}")
'''


def _function_text(name: str, fn: Callable[..., Any], options: dict[str, Any]) -> str:
    impl = fn.__aim_impl__
    params = list(inspect.signature(impl).parameters.values())
    signature = ", ".join(
        p.name if p.default is p.empty else f"{p.name}={p.default!r}" for p in params
    )
    call = ", ".join(p.name for p in params)
    extra = "".join(f", {k}={v!r}" for k, v in options.items())
    lines = ["", "", "@func"]
    for arg_name, doc in fn.__aim_args__.items():
        lines.append(f"@arg({arg_name!r}, doc={doc!r}{extra})")
    lines.append(f"def {name}({signature}):")
    lines.append(f"    {_docstring(fn.__aim_summary__)}")
    lines.append(f"    return _aim.{name}(*_doubles([{call}]))")
    return "\n".join(lines) + "\n"


def _docstring(text: str) -> str:
    if '"""' in text or text.endswith('"') or "\\" in text:
        return repr(text)
    return f'"""{text}"""'


def _sources_text(sources: dict[str, str]) -> str:
    out = [
        "",
        "",
        f"# The udfs package of aim, module by module and line by line, as `{BUNDLE_PACKAGE}`.",
        "_SOURCES = {",
    ]
    for name, text in sources.items():
        out.append(f"    {name!r}: (")
        out.extend(f"        {line!r}," for line in text.splitlines(keepends=True))
        out.append("    ),")
    out.append("}")
    out.append(f"_PACKAGES = frozenset({_packages(sources)!r})")
    return "\n".join(out) + "\n"


def main_py() -> str:
    """The text of main.py: the AIM functions registered for xlwings Lite, self-contained."""
    from sheets import __version__
    from udfs.excel._worksheet import ARG_OPTIONS, REGISTRY

    functions = "".join(_function_text(name, fn, ARG_OPTIONS) for name, fn in REGISTRY.items())
    # The functions read best on top; they use `_aim` only when Excel calls them, by
    # which time the end of the file (the carried sources and their loader) has run.
    return (
        _HEADER.format(version=__version__, package=BUNDLE_PACKAGE)
        + "# The carried udfs package and its loader are at the end of this file.\n"
        + functions
        + _sources_text(bundled_sources())
        + _LOADER.format(package=BUNDLE_PACKAGE)
    )


def _requirement(dist: str) -> str:
    """``dist`` with aim's own version range (from the installed aim's metadata)."""
    if dist in PYODIDE_BUILT:
        return dist
    if dist == "xlwings":
        return f"xlwings{XLWINGS_RANGE}"
    for req in metadata.requires("aim-model") or []:
        m = re.match(r"([A-Za-z0-9_.-]+)\s*([^;]*)(;.*)?$", req)
        if m and _canonical(m.group(1)) == _canonical(dist) and not m.group(3):
            specs = sorted(m.group(2).replace(" ", "").split(","), key=lambda s: s[0] != ">")
            return dist + ",".join(specs)
    raise LookupError(f"{dist} is not a dependency of aim-model")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_txt() -> str:
    """requirements.txt for the Lite editor: what main.py imports, nothing more."""
    lines = [
        "# aim's AIM functions in xlwings Lite (written by `aimodel lite`).",
        "# numpy is Pyodide's own build: its version comes with Pyodide, so it is not pinned.",
    ]
    lines += [_requirement(d) for d in LITE_REQUIREMENTS]
    return "\n".join(lines) + "\n"


def write_lite(folder: Path) -> list[Path]:
    """Write main.py and requirements.txt into ``folder`` (which must exist).

    Returns the two paths. Each file is written atomically (a temporary file renamed).
    """
    from udfs.errors import AimError

    folder = Path(folder)
    if not folder.is_dir():
        raise AimError(f"--out {folder} is not an existing folder")
    written = []
    for name, text in (("main.py", main_py()), ("requirements.txt", requirements_txt())):
        path = folder / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(text, encoding="utf-8", newline="\n")
        tmp.replace(path)
        written.append(path)
    return written
