"""The Excel path, proven with xlwings' own code (the pinned 0.37.8), not a copy of it.

What runs here is what runs in Excel on Windows:

* ``xlwings.udfs.import_udfs`` (Developer > Macros > ImportPythonUDFs) and, inside it,
  ``generate_vba_wrapper``, on the ``udfs`` module imported with xlwings' real
  decorators (``xlfunc``/``xlarg``), against a workbook object that records the VBA file
  it is asked to import and its ``Application.MacroOptions`` calls (:mod:`sheets.publish.vba`).
  ``xlwings/udfs.py`` imports pywin32 at the top: stand-ins for pythoncom, pywintypes and
  win32com.client sit in ``sys.modules`` for that import only.
* ``xlwings.udfs.call_udf``, what the VBA wrapper's ``XLPy.CallUDF`` runs for every
  formula, with the values Excel's COM hands over (tuples of tuples for ranges and array
  constants, a scalar for one cell, ``None`` for an empty cell, floats, bools, text,
  datetimes, error codes, a missing optional argument as DISP_E_PARAMNOTFOUND). It reads
  each argument through ``xlwings.conversion.read`` with the function's registered
  options and writes the result through ``conversion.write``; the "excel" engine whose
  ``clean_value_data`` those use is compiled from xlwings' own ``_xlwindows.py`` source
  (the module itself needs pywin32 throughout), and the Range/COM-server modules
  call_udf reaches for are small stand-ins that only carry values.

Every test iterates over :data:`udfs.excel._worksheet.REGISTRY`, so a new worksheet
function is covered the moment it is registered; a function declared twice or with a
Function Wizard text that would be cut fails here (the detectors are shown to work on a
module built to break them).
"""

from __future__ import annotations

import ast
import collections
import datetime as dt
import decimal
import inspect
import re
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xlwings

import udfs
from sheets.publish import vba
from udfs.excel._worksheet import REGISTRY, WIZARD_LIMIT, summary

from .test_bad_inputs import SPEC, VECTOR

# --------------------------------------------------------------------------------------
# The VBA module xlwings writes
# --------------------------------------------------------------------------------------

_DECL = re.compile(r"^(Function|Sub) (\w+)\((.*)\)\s*$", re.MULTILINE)

VBA_LINE_LIMIT = 1023
"""Most characters in one physical line of VBA code."""

# VBA's reserved words and type names (VBA language reference, "Keywords"), and the
# names the generated wrapper's body uses: a parameter of one of these names breaks it.
VBA_RESERVED = {
    w.lower()
    for w in """
    AddressOf And Any As Boolean ByRef Byte ByVal Call Case CBool CByte CCur CDate CDbl
    CDec CInt CLng CLngLng CLngPtr Const CSng CStr Currency CVar CVErr Date Decimal
    Declare DefBool DefByte DefCur DefDate DefDbl DefDec DefInt DefLng DefLngLng
    DefLngPtr DefObj DefSng DefStr DefVar Dim Do Double Each Else ElseIf Empty End EndIf
    Enum Eqv Erase Error Event Exit False Fix For Friend Function Get Global GoSub GoTo If
    Imp Implements In Int Integer Is LBound Let Lib Like Long LongLong LongPtr Loop LSet
    Me Mod New Next Not Nothing Null Object On Option Optional Or ParamArray Preserve
    Private Property PtrSafe Public RaiseEvent ReDim Rem Resume Return RSet Select Set
    Single Static Step Stop String Sub Then To True Type TypeOf UBound Until Variant Wend
    While With WithEvents Xor
    Application ThisWorkbook ActiveWorkbook XLPy Err Array Range App failed caller
    """.split()
}


def declarations(text: str) -> list[tuple[str, str, list[str]]]:
    """(Function or Sub, name, parameters as written) for every procedure in ``text``."""
    return [
        (kind, name, [p.strip() for p in params.split(",")] if params.strip() else [])
        for kind, name, params in _DECL.findall(text)
    ]


def duplicate_names(text: str) -> list[str]:
    """Procedure names declared more than once (VBA: "Ambiguous name detected")."""
    counts = collections.Counter(name.lower() for _, name, _ in declarations(text))
    return sorted(name for name, n in counts.items() if n > 1)


def _texts(opt: vba.MacroOptions) -> list[tuple[str, str]]:
    return [("description", opt.description)] + [
        (f"argument {i + 1}", t) for i, t in enumerate(opt.argument_descriptions)
    ]


def wizard_problems(generated: vba.UdfModule) -> list[str]:
    """Texts import_udfs cut at 255 characters for MacroOptions, or not one plain line."""
    problems = []
    assert len(generated.options) == len(generated.uncut)
    for opt, full in zip(generated.options, generated.uncut, strict=True):
        assert opt.macro == full.macro
        for (what, text), (_, whole) in zip(_texts(opt), _texts(full), strict=True):
            if text != whole:
                problems.append(f"{opt.macro} {what}: {len(whole)} characters, cut at 255")
            if whole != " ".join(whole.split()) or "``" in whole or not whole:
                problems.append(f"{opt.macro} {what}: not one plain line: {whole[:60]!r}")
    return problems


@pytest.fixture(scope="module")
def generated() -> vba.UdfModule:
    return vba.module_text("udfs")


def test_import_functions_writes_each_function_once(generated):
    decls = declarations(generated.text)
    assert generated.text.startswith('Attribute VB_Name = "xlwings_udfs"\n')
    assert [kind for kind, _, _ in decls] == ["Function"] * len(REGISTRY)
    assert sorted(name for _, name, _ in decls) == sorted(REGISTRY)
    assert not duplicate_names(generated.text)
    assert [o.macro for o in generated.options] == [f"'model.xlsm'!{n}" for n in sorted(REGISTRY)]
    for name in REGISTRY:
        assert f'XLPy.CallUDF("udfs", "{name}", Array(' in generated.text


def test_dir_and_star_import_show_each_function_once():
    seen = [n for n in dir(udfs) if hasattr(getattr(udfs, n), "__aim_impl__")]
    assert sorted(seen) == sorted(REGISTRY)
    namespace: dict[str, Any] = {}
    exec("from udfs import *", namespace)
    assert sorted(k for k in namespace if not k.startswith("__")) == sorted(REGISTRY)
    assert udfs.aim_wacc is udfs.AIM_WACC  # the lower-case spelling still resolves
    with pytest.raises(AttributeError):
        udfs.aim_no_such_function  # noqa: B018


@pytest.mark.parametrize(
    "module", ["udfs.excel", *sorted({f.__module__ for f in REGISTRY.values()})]
)
def test_every_module_a_user_may_name_declares_each_function_once(module):
    decls = declarations(vba.module_text(module).text)
    names = [name for _, name, _ in decls]
    assert len(names) == len(set(names))
    assert set(names) <= set(REGISTRY)
    if module != "udfs.excel":
        assert set(names) == {n for n, f in REGISTRY.items() if f.__module__ == module}


def test_parameters_are_the_python_signatures(generated):
    by_name = {name: params for _, name, params in declarations(generated.text)}
    for name, fn in REGISTRY.items():
        sig = inspect.signature(fn.__aim_impl__)
        expected = [
            ("Optional " if p.default is not p.empty else "") + p.name
            for p in sig.parameters.values()
        ]
        assert by_name[name] == expected, name
        assert list(fn.__aim_args__) == list(sig.parameters), name


def test_no_parameter_is_a_vba_keyword_or_clashes(generated):
    for _, name, params in declarations(generated.text):
        plain = [p.removeprefix("Optional ").lower() for p in params]
        assert not set(plain) & VBA_RESERVED, (name, set(plain) & VBA_RESERVED)
        assert name.lower() not in plain, name
        assert len(set(plain)) == len(plain), name  # VBA names ignore case
        assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,254}", p) for p in plain), name


def test_no_vba_line_is_too_long(generated):
    text = vba.bas_text()
    longest = max(len(line) for line in text.splitlines())
    assert longest <= VBA_LINE_LIMIT, longest
    assert text.isascii()


def test_macro_options_texts_are_whole_and_plain(generated):
    assert not wizard_problems(generated)
    assert generated.options == generated.uncut
    for opt in generated.options:
        fn = REGISTRY[opt.macro.rpartition("!")[2]]
        assert opt.description == summary(fn)  # what import_udfs sends, not cut
        assert opt.argument_descriptions == tuple(fn.__aim_args__.values())
        assert opt.category == "aim"
        assert 20 < len(opt.description) <= WIZARD_LIMIT


def test_help_keeps_the_full_docstring():
    for name, fn in REGISTRY.items():
        assert fn.__doc__.startswith(summary(fn)), name
        assert "\nParameters\n----------\n" in fn.__doc__, name
        for arg in fn.__aim_args__:
            assert f"\n{arg} : " in fn.__doc__, (name, arg)


def test_stand_ins_and_fresh_imports_are_undone(generated):
    for name in vba.PYWIN32:  # no stand-in is left behind
        module = sys.modules.get(name)
        assert module is None or not (module.__doc__ or "").startswith("aim's stand-in"), name
    assert sys.modules["udfs"] is udfs  # the modules imported before are back
    assert all(udfs.REGISTRY[n] is fn for n, fn in REGISTRY.items())
    assert not hasattr(udfs.AIM_WACC, "__xlfunc__")  # identity decorators on Linux
    assert xlwings.func is not sys.modules["xlwings.udfs"].xlfunc


def test_aimodel_vba_writes_the_generated_module(tmp_path, capsys, generated):
    from sheets.cli import main

    assert main(["vba"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(generated.text)
    assert [n for _, n, _ in declarations(printed) if n in REGISTRY] == sorted(REGISTRY)
    assert f"\nSub {vba.HELP_MACRO}()\n" in printed
    out = tmp_path / "xlwings_udfs.bas"
    assert main(["vba", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b'Attribute VB_Name = "xlwings_udfs"\r\n')
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.decode("ascii").replace("\r\n", "\n") == printed
    for opt in generated.options:  # the help macro registers every text import_udfs would
        fname = opt.macro.rpartition("!")[2]
        assert f'Macro:=book & "{fname}"' in printed
        assert f'Description:="{opt.description.replace(chr(34), 2 * chr(34))}"' in printed


# --------------------------------------------------------------------------------------
# The detectors catch what they look for
# --------------------------------------------------------------------------------------

_BROKEN = '''
import xlwings as xw


@xw.func
@xw.arg("x", doc="A number.")
def AIM_FAKE(x, y=None):
    """{doc}"""
    return x


aim_fake = AIM_FAKE  # an alias: the rule the function-library issue once asked for
'''


def test_an_alias_or_a_long_wizard_text_is_caught(tmp_path, monkeypatch):
    long_doc = "Depreciation " * 25  # 325 characters: MacroOptions would get 255
    (tmp_path / "aim_broken_udfs.py").write_text(_BROKEN.format(doc=long_doc))
    monkeypatch.syspath_prepend(str(tmp_path))
    broken = vba.module_text("aim_broken_udfs")
    assert duplicate_names(broken.text) == ["aim_fake"]
    assert [n for _, n, _ in declarations(broken.text)] == ["AIM_FAKE", "AIM_FAKE"]
    assert declarations(broken.text)[0][2] == ["x", "Optional y"]
    problems = wizard_problems(broken)
    assert any("cut at 255" in p for p in problems) and any("plain" in p for p in problems)
    assert "aim_broken_udfs" not in sys.modules


# --------------------------------------------------------------------------------------
# Calling every function the way Excel does: xlwings.udfs.call_udf
# --------------------------------------------------------------------------------------

MISSING = -2147352572
"""What COM hands for an omitted optional argument (DISP_E_PARAMNOTFOUND)."""
NA_ERROR = -2146826246
"""What COM hands for a #N/A cell (xlwings' cell_errors)."""


def _excel_engine_from_source() -> Any:
    """xlwings' Windows engine (``_xlwindows.Engine``) compiled from its own source.

    Only the engine class and the functions and table it uses are taken, verbatim; the
    rest of the module needs pywin32. pywintypes' time type is a datetime subclass.
    """
    path = Path(xlwings.__file__).parent / "_xlwindows.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wanted = {"cell_errors", "_com_time_to_datetime", "_clean_value_data_element", "Engine"}
    nodes = [
        node
        for node in tree.body
        if (isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in wanted)
        or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in wanted for t in node.targets)
        )
    ]
    assert len(nodes) == len(wanted), [getattr(n, "name", n) for n in nodes]
    namespace: dict[str, Any] = {
        "dt": dt,
        "np": np,
        "pd": None,
        "time_types": (dt.date, dt.datetime, np.datetime64),
        "Apps": None,
    }
    exec(compile(ast.Module(nodes, type_ignores=[]), str(path), "exec"), namespace)
    return namespace["Engine"]()


class ComRange:
    """What COM hands the VBA wrapper for a range argument: an object with ``Value``."""

    def __init__(self, value: Any) -> None:
        self.Value = value


class _RangeImpl:
    """Stand-in for ``xlwings._xlwindows.Range``: the COM range's value and the engine."""

    max_cells_per_read = None
    pid = 0  # App(impl=...) reads the process id

    def __init__(self, xl: Any = None) -> None:
        self.xl = xl

    @property
    def raw_value(self) -> Any:
        return None if self.xl is None else self.xl.Value

    # Range.sheet.book.app.engine: ConversionContext finds the engine this way
    @property
    def sheet(self) -> _RangeImpl:
        return self

    book = app = sheet

    @property
    def engine(self) -> Any:
        return _ENGINE[0]


_ENGINE: list[Any] = []


@pytest.fixture(scope="module")
def call_udf():
    """``xlwings.udfs.call_udf`` for ``udfs``, with xlwings' registration as on Windows."""
    xu = vba.xlwings_udfs()
    engine_impl = _excel_engine_from_source()
    _ENGINE[:] = [engine_impl]
    engines = xlwings.engines
    engine = xlwings.main.Engine(impl=engine_impl)
    windows = types.ModuleType("xlwings._xlwindows")
    windows.Range = _RangeImpl
    windows.is_range_instance = lambda x: isinstance(x, ComRange)
    windows.BOOK_CALLER = None
    server = types.ModuleType("xlwings.com_server")
    server.loop = None
    saved = {k: sys.modules.get(k) for k in (windows.__name__, server.__name__)}
    sys.modules.update({windows.__name__: windows, server.__name__: server})
    xlwings._xlwindows = windows
    engines.add(engine)
    saved_modules = dict(xu.udf_modules)
    try:
        with vba.registered_like_windows("udfs") as (module,):
            xu.udf_modules["udfs"] = {"module": module, "filename": None, "filetime": None}

            def call(name: str, *args: Any) -> Any:
                return xu.call_udf("udfs", name, args)

            call.module = module
            yield call
    finally:
        xu.udf_modules.clear()
        xu.udf_modules.update(saved_modules)
        engines.engines.remove(engine)
        del engines.engines_by_name["excel"]
        del xlwings._xlwindows
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def _spec(name: str) -> dict[str, Any]:
    assert name in SPEC, f"{name}: describe it in tests/test_bad_inputs.py SPEC"
    return SPEC[name]


def _plain(name: str, values: dict[str, Any]) -> Any:
    return REGISTRY[name](**{k: v for k, v in values.items() if v is not MISSING})


def _com_shapes(name: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(label, the arguments as COM hands them, the same as plain Python values)."""
    spec = _spec(name)
    base = {arg: s.base for arg, s in spec.items()}
    cases = []
    # 1. every argument a range: a column for a series, one cell (a scalar) otherwise
    com = {
        arg: ComRange(tuple((x,) for x in v)) if spec[arg].role == VECTOR else ComRange(v)
        for arg, v in base.items()
    }
    cases.append(("ranges", com, base))
    # 2. series as one-row array constants ({1,2,3}), scalars typed into the formula
    com = {arg: (tuple(v),) if spec[arg].role == VECTOR else v for arg, v in base.items()}
    cases.append(("array constants", com, base))
    # 3. optional arguments left out: COM's DISP_E_PARAMNOTFOUND, plain Python's default
    sig = inspect.signature(REGISTRY[name].__aim_impl__)
    optional = [p for p in sig.parameters.values() if p.default is not p.empty]
    if optional:
        com = {**base, **{p.name: MISSING for p in optional}}
        cases.append(("optional omitted", com, com))
        com = {**base, **{p.name: ComRange(None) for p in optional}}  # empty cells
        cases.append(("optional empty cells", com, {**base, **{p.name: None for p in optional}}))
    # 4. each series with an empty cell, a TRUE, text, a datetime, a currency cell, #N/A
    for arg, s in spec.items():
        if s.role != VECTOR or len(s.base) < 2:
            continue
        for label, com_cell, plain_cell in [
            ("empty cell", None, None),
            ("TRUE", True, True),
            ("text", "abc", "abc"),
            ("numeric text", "12", "12"),
            ("datetime", dt.datetime(2026, 1, 21), dt.datetime(2026, 1, 21)),
            ("currency", decimal.Decimal(str(s.base[1])), s.base[1]),
            ("#N/A", NA_ERROR, "#N/A"),
        ]:
            column = [(x,) for x in s.base]
            column[1] = (com_cell,)
            plain = list(s.base)
            plain[1] = plain_cell
            cases.append(
                (f"{arg} {label}", {**base, arg: ComRange(tuple(column))}, {**base, arg: plain})
            )
    return cases


@pytest.mark.parametrize("name", list(REGISTRY))
def test_call_udf_equals_the_plain_python_call(call_udf, name):
    fn = call_udf.module.REGISTRY[name]
    info = fn.__xlfunc__  # registered by xlwings' own decorators
    assert [a["name"] for a in info["args"]] == list(REGISTRY[name].__aim_args__)
    for arg in info["args"]:  # error cells as text; an annotation `Any` converts as default
        assert arg["options"].get("err_to_str") is True, (name, arg["name"])
        assert arg["options"].get("convert", Any) is Any, (name, arg["name"])
    assert info["ret"]["options"] in ({}, {"convert": Any}), info["ret"]["options"]
    for label, com, plain in _com_shapes(name):
        order = list(REGISTRY[name].__aim_args__)
        got = call_udf(name, *(com[a] for a in order))
        want = _plain(name, plain)
        if isinstance(want, str):  # one line of text: xlwings writes it as one cell
            assert want.startswith(f"#AIM! {name}: "), (label, want)
            want = [[want]]
        assert got == want, (name, label, got, want)


def test_call_udf_reads_excel_values_as_documented(call_udf):
    # one cell is a scalar, a column a list, an empty optional argument its default
    assert call_udf("AIM_WACC", ComRange(0.11), 0.045, ComRange(0.75), MISSING) == [[0.09375]]
    assert call_udf("AIM_WACC", 0.11, 0.045, 0.75, ComRange(None)) == [[0.09375]]
    # SLN(30000, 7500, 10) = 2,250 a year (SLN function - Microsoft Support)
    assert (
        call_udf("AIM_DEPRECIATION", 30000.0, 7500.0, 10.0, MISSING, MISSING, MISSING)
        == [[2250.0]] * 10
    )
    # an error cell in a series is named by position, not read as an empty cell
    out = call_udf("AIM_TTM", ComRange(((1.0,), (NA_ERROR,), (3.0,))), MISSING)
    assert out == [["#AIM! AIM_TTM: series must be a number at position 2 (got '#N/A')"]]
    # a Currency-formatted cell arrives as a Decimal and counts as its number
    col = ComRange(((decimal.Decimal("100.5"),), (200.0,)))
    assert call_udf("AIM_TTM", col, 1.0) == [[100.5], [200.0]]
