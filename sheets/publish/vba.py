"""The VBA module Import Functions writes for the AIM functions, made without Excel.

In Excel, Developer > Macros > ``ImportPythonUDFs`` runs xlwings'
``xlwings.udfs.import_udfs``: it imports the modules named under ``UDF Modules``,
writes one VBA ``Function`` per Python function registered with ``@xw.func`` (through
``generate_vba_wrapper``) into a temporary ``.bas`` file headed
``Attribute VB_Name = "xlwings_udfs"``, imports that file into the workbook's VBA project,
and calls ``Application.MacroOptions`` once per function with the Function Wizard texts.
Importing needs "Trust access to the VBA project object model", which many firms lock.

:func:`module_text` runs that same ``import_udfs`` of the pinned xlwings, on Linux too,
against a stand-in workbook that records the file it is asked to import and the
``MacroOptions`` calls. ``aimodel vba --out xlwings_udfs.bas`` writes the file (the
same text Import Functions would import) followed by :func:`help_macro`, a
``Sub RegisterAimFunctionHelp()`` that makes the same ``MacroOptions`` calls: a VBA
module cannot run code when it is imported, so the user runs that macro once after
File > Import File in the VBA editor.

Two tricks make xlwings' Windows code run here, both undone on the way out:

* ``xlwings/udfs.py`` imports pywin32 (``pythoncom``, ``pywintypes``,
  ``win32com.client``) at the top. :func:`pywin32_stand_ins` puts small stand-in modules
  under those names into ``sys.modules`` for the duration of that import only and then
  restores ``sys.modules`` as it was. The stand-ins provide the few names the import
  touches (``pythoncom.CoInitialize``, ``pywintypes.com_error``,
  ``win32com.client.Dispatch``); anything else raises, so no COM call can be faked by
  accident. Generating the module needs no COM: ``import_udfs`` only calls methods of
  the workbook object it is given.
* On Linux ``xw.func``/``xw.arg`` do nothing, so functions carry no ``__xlfunc__``
  registration. :func:`registered_like_windows` points ``xlwings.func``/``arg``/``ret``/
  ``sub`` at ``xlwings.udfs.xlfunc``/``xlarg``/``xlret``/``xlsub`` (exactly what
  ``import xlwings`` binds on Windows) and imports the UDF module afresh, as Excel's
  Python process would; afterwards the previously imported modules are put back.
"""

from __future__ import annotations

import contextlib
import io
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheets.sources.paths import require_out_folder

__all__ = [
    "MacroOptions",
    "UdfModule",
    "help_macro",
    "module_text",
    "pywin32_stand_ins",
    "registered_like_windows",
    "write_bas",
    "xlwings_udfs",
]

PYWIN32 = ("pythoncom", "pywintypes", "win32com", "win32com.client")
"""The Windows-only modules ``xlwings/udfs.py`` imports at the top."""

VBA_NAME = "xlwings_udfs"
"""The module name Import Functions gives the generated VBA module."""

HELP_MACRO = "RegisterAimFunctionHelp"
"""The Sub a user runs once after importing the .bas, to register the wizard texts."""


class _StandInError(RuntimeError):
    """A pywin32 stand-in was asked for something only real pywin32 on Windows has."""


def _stand_in(name: str, **attrs: Any) -> types.ModuleType:
    module = types.ModuleType(name, f"aim's stand-in for pywin32's {name} (sheets.publish.vba)")

    def missing(attr: str) -> Any:
        raise AttributeError(f"{name}.{attr}: not available in aim's pywin32 stand-in")

    module.__getattr__ = missing  # type: ignore[attr-defined]
    module.__dict__.update(attrs)
    return module


def _no_com(*args: Any, **kwargs: Any) -> Any:
    raise _StandInError("COM is not available: this is aim's pywin32 stand-in")


@contextmanager
def pywin32_stand_ins() -> Iterator[None]:
    """Stand-ins for pythoncom, pywintypes and win32com.client in ``sys.modules``.

    Only inside the ``with`` block; on exit every one of those names is again what it
    was (absent, on Linux).
    """

    class com_error(Exception):  # noqa: N801, N818 (pywintypes' spelling)
        """Stand-in for pywintypes.com_error."""

    client = _stand_in("win32com.client", Dispatch=_no_com)
    package = _stand_in("win32com", client=client)
    package.__path__ = []  # a package, so that `from win32com.client import ...` works
    stand_ins = {
        "pythoncom": _stand_in("pythoncom", CoInitialize=lambda: None),
        "pywintypes": _stand_in("pywintypes", com_error=com_error),
        "win32com": package,
        "win32com.client": client,
    }
    saved = {name: sys.modules.get(name) for name in PYWIN32}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def xlwings_udfs() -> types.ModuleType:
    """``xlwings.udfs``, xlwings' own UDF code (imported with the stand-ins if need be)."""
    if "xlwings.udfs" in sys.modules:
        return sys.modules["xlwings.udfs"]
    with pywin32_stand_ins():
        import xlwings.udfs
    return xlwings.udfs


@contextmanager
def registered_like_windows(module_names: str = "udfs") -> Iterator[list[types.ModuleType]]:
    """Import ``module_names`` (``;``-separated, as under ``UDF Modules``) afresh with
    xlwings' real decorators, as Excel's Python process does on Windows.

    Yields the freshly imported modules. On exit ``xlwings.func`` and friends and every
    module of those packages in ``sys.modules`` are back as they were, so functions
    imported earlier (and the registry other code holds) are untouched.
    """
    import importlib

    import xlwings

    xu = xlwings_udfs()
    names = [n.strip() for n in module_names.split(";") if n.strip()]
    roots = {n.split(".")[0] for n in names}

    def ours(mod: str) -> bool:
        return mod.split(".")[0] in roots

    saved_modules = {k: v for k, v in sys.modules.items() if ours(k)}
    real = {"func": xu.xlfunc, "arg": xu.xlarg, "ret": xu.xlret, "sub": xu.xlsub}
    saved_attrs = {k: getattr(xlwings, k) for k in real}
    for k in saved_modules:
        del sys.modules[k]
    for k, v in real.items():
        setattr(xlwings, k, v)
    try:
        yield [importlib.import_module(n) for n in names]
    finally:
        for k, v in saved_attrs.items():
            setattr(xlwings, k, v)
        for k in [k for k in sys.modules if ours(k)]:
            del sys.modules[k]
        sys.modules.update(saved_modules)
        for k, v in saved_modules.items():  # parent packages' attributes, too
            parent, _, child = k.rpartition(".")
            if parent in sys.modules:
                setattr(sys.modules[parent], child, v)


# --------------------------------------------------------------------------------------
# A workbook that records what import_udfs does to it
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MacroOptions:
    """One ``Application.MacroOptions`` call of import_udfs, as it would reach Excel."""

    macro: str
    description: str
    category: Any
    argument_descriptions: tuple[str, ...]


@dataclass
class _Recorder:
    """The parts of Excel's Workbook object that import_udfs uses, recording the calls."""

    Name: str = "model.xlsm"
    imported: list[str] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    options: list[MacroOptions] = field(default_factory=list)

    @property
    def VBProject(self) -> Any:  # Excel's spelling
        return types.SimpleNamespace(VBComponents=_Components(self))

    @property
    def Application(self) -> Any:
        return types.SimpleNamespace(Version="16.0", MacroOptions=self._macro_options)

    def _macro_options(self, macro: str, **kw: Any) -> None:
        args = kw.get("ArgumentDescriptions")
        self.options.append(
            MacroOptions(macro, kw["Description"], kw.get("Category"), tuple(args or ()))
        )


class _Components:
    def __init__(self, book: _Recorder) -> None:
        self._book = book

    def __call__(self, name: str) -> str:
        return name

    def Remove(self, component: Any) -> None:
        self._book.removed.append(component)

    def Import(self, path: str) -> None:
        with open(path) as fh:  # import_udfs wrote it in the platform's default encoding
            self._book.imported.append(fh.read())


@dataclass(frozen=True)
class UdfModule:
    """What Import Functions does for ``module_names``: the VBA module and the help calls."""

    text: str
    """The .bas text import_udfs imports, starting ``Attribute VB_Name = "xlwings_udfs"``."""
    options: tuple[MacroOptions, ...]
    """Its MacroOptions calls, one per function, in its order."""
    uncut: tuple[MacroOptions, ...]
    """The same calls with the texts as registered, before import_udfs cuts them at 255."""


def module_text(module_names: str = "udfs", workbook_name: str = "model.xlsm") -> UdfModule:
    """Run xlwings' own ``import_udfs`` for ``module_names`` against a recording workbook."""
    xu = xlwings_udfs()
    book = _Recorder(Name=workbook_name)
    with registered_like_windows(module_names) as modules:
        names = [n.strip() for n in module_names.split(";") if n.strip()]
        saved = dict(xu.udf_modules)
        # get_udf_module would ask Excel for embedded code; hand it the modules instead
        for name, module in zip(names, modules, strict=True):
            xu.udf_modules[name] = {"module": module, "filename": None, "filetime": None}
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # its "Imported functions" line
                xu.import_udfs(module_names, book)
            uncut = tuple(_registered(module, name, workbook_name) for module in modules)
        finally:
            xu.udf_modules.clear()
            xu.udf_modules.update(saved)
    assert len(book.imported) == 1, "import_udfs imports one file"
    return UdfModule(book.imported[0], tuple(book.options), sum(uncut, ()))


def _registered(module: types.ModuleType, name: str, book: str) -> tuple[MacroOptions, ...]:
    """The texts xlwings' registration holds, walked as import_udfs walks them."""
    out = []
    for attr in dir(module):
        info = getattr(getattr(module, attr), "__xlfunc__", None)
        if info is not None:
            out.append(
                MacroOptions(
                    f"'{book}'!{info['name']}",
                    info["ret"]["doc"],
                    info["category"],
                    tuple(a["doc"] for a in info["args"] if not a["vba"]),
                )
            )
    return tuple(out)


# --------------------------------------------------------------------------------------
# The .bas a user imports by hand
# --------------------------------------------------------------------------------------


def _vba_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def help_macro(options: tuple[MacroOptions, ...]) -> str:
    """``Sub RegisterAimFunctionHelp()``: the MacroOptions calls import_udfs makes, in VBA.

    The workbook is ``ThisWorkbook`` (the one holding the module), as import_udfs names
    the workbook it imports into.
    """
    lines = [
        f"Sub {HELP_MACRO}()",
        "    ' Run once after File > Import File: gives the Function Wizard (fx) the",
        "    ' description of every function and of its arguments, as Import Functions does.",
        "    Dim book As String",
        "    Dim args As Variant",
        '    book = "\'" & ThisWorkbook.Name & "\'!"',
    ]
    for opt in options:
        fname = opt.macro.rpartition("!")[2]
        lines.append(f"    ' {fname}")
        if opt.argument_descriptions:
            lines.append(f"    ReDim args(0 To {len(opt.argument_descriptions) - 1})")
            for i, doc in enumerate(opt.argument_descriptions):
                lines.append(f"    args({i}) = {_vba_string(doc)}")
        category = _vba_string(opt.category) if isinstance(opt.category, str) else str(opt.category)
        lines.append(f"    Application.MacroOptions Macro:=book & {_vba_string(fname)}, _")
        lines.append(f"        Description:={_vba_string(opt.description)}, _")
        if opt.argument_descriptions:
            lines.append(f"        Category:={category}, ArgumentDescriptions:=args")
        else:
            lines.append(f"        Category:={category}")
    lines += ["End Sub", ""]
    return "\n".join(lines)


def bas_text(module_names: str = "udfs") -> str:
    """The whole .bas: xlwings' generated module, then :func:`help_macro`."""
    generated = module_text(module_names)
    text = generated.text if generated.text.endswith("\n") else generated.text + "\n"
    return text + "\n" + help_macro(generated.options)


def write_bas(out: Path | None, module_names: str = "udfs") -> str:
    """Write the .bas to ``out`` with Windows line ends (the VBA editor expects CRLF).

    Returns the text (with ``\\n`` line ends). The file is ASCII, which every Windows
    code page the VBA editor may read it in agrees on.
    """
    if out is not None:
        out = require_out_folder(out)
    text = bas_text(module_names)
    if out is not None:
        out.write_bytes(text.replace("\n", "\r\n").encode("ascii"))
    return text
