"""Macro hygiene: model.xlsm's VBA is xlwings' own template, nothing more, nothing auto-run.

oletools' ``olevba`` reads the VBA project of the committed ``model.xlsm`` (and of one
built afresh from data/, which is what ``make model`` produces) and of the template it
comes from, ``quickstart_standalone.xlsm`` in the pinned xlwings package. The tests
assert:

* the exact module list, and that the VBA project is the template's, byte for byte;
* no auto-run macro (olevba's AutoExec category: Workbook_Open, Auto_Open,
  Document_Open, Workbook_Activate, ...; and, independently, no event procedure of a
  workbook, worksheet or document and no Application.OnTime/OnKey);
* every keyword olevba flags as Suspicious is in an explicit allow-list, module by
  module, each entry saying why xlwings' code needs it; the allow-lists are exactly what
  olevba reports for the template, so an xlwings upgrade that changes them fails here
  and gets reviewed;
* no Excel 4 (XLM) macro sheets and no other binary part (ActiveX, embedded objects).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import pytest
import xlwings

from .conftest import MODEL

with warnings.catch_warnings():  # oletools 0.60.2 uses pyparsing's deprecated names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, VBA_Scanner

TEMPLATE = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
VBA_PART = "xl/vbaProject.bin"

MODULES = ["ThisWorkbook", "Sheet1", "Sheet2", "Module1", "xlwings", "Dictionary"]
"""The template's VBA modules: two document modules per sheet/workbook, xlwings' own
module, its sample macro (Module1) and the VBA-Dictionary class xlwings ships."""

# --------------------------------------------------------------------------------------
# Allow-lists: every Suspicious keyword olevba reports, by module, with the reason
# --------------------------------------------------------------------------------------

_GUID = "the VB_Base attribute's class GUID, e.g. 0{00020819-0000-0000-C000-000000000046}"

ALLOWED: dict[str, dict[str, str]] = {
    "ThisWorkbook": {"Hex Strings": _GUID},
    "Sheet1": {"Hex Strings": _GUID},
    "Sheet2": {"Hex Strings": _GUID},
    # Sub SampleCall: RunPython "import <workbook name>; <workbook name>.main()". It only
    # runs when someone starts it (no event procedure calls it); olevba flags nothing.
    "Module1": {},
    "Dictionary": {
        "CreateObject": 'CreateObject("Scripting.Dictionary"): the Windows dictionary',
        "call": "Err.Raise 5 'Invalid procedure call' and Call statements: plain VBA",
        "Hex Strings": "hexadecimal constants and the class GUID",
    },
    "xlwings": {
        # RunPython, the one way Python is started from the workbook
        "shell": "WScript.Shell runs the Python interpreter (Windows)",
        "WScript.Shell": 'CreateObject("WScript.Shell") in Function WScript (Windows)',
        "run": 'WScript.Run("cmd.exe /C ... python ...") in ExecuteWindows',
        "Command": "the PythonCommand argument of RunPython and libc's system(Command)",
        "Exec": "XLPy.Exec (the COM server) and ExecuteMac/ExecuteWindows",
        "CreateObject": 'CreateObject("WScript.Shell") and ("Scripting.Dictionary")',
        "Windows": "ExecuteWindows and WindowStyle (the console window of RunPython)",
        "system": 'Declare Function system Lib "libc.dylib": runs Python on a Mac',
        "Lib": 'Declare ... Lib "xlwings64-0.37.8.dll" (UDF server) and "libc.dylib"',
        "libc.dylib": "the C library's system() on a Mac",
        "dylib": "the same libc.dylib declaration",
        "MacScript": "MacScript checks files and converts paths on a Mac",
        "applescript": "AppleScriptTask runs xlwings' .applescript handler on a Mac",
        "call": "Call ShowError(...) and comments ('call the function like this')",
        # configuration: xlwings.conf next to the workbook or in the user's home folder
        "Environ": 'Environ("HOME") and Environ("Temp"): log and temp file locations',
        "environment": "the same: reading environment variables",
        "ExpandEnvironmentStrings": "expands %VARIABLES% in configuration values",
        "open": "Open <config file> For Input/Output in Get/SaveConfigToFile",
        "Write": "Write # to the configuration file in SaveConfigToFile",
        "Output": "Open ... For Output in SaveConfigToFile",
        "FileCopy": "SaveConfigToFile replaces the config file with its _temp copy",
        "Kill": "deletes the temporary config file and the RunPython log file",
        "MkDir": "creates the folder of a new configuration file",
        "binary": "the BSD licence text: 'in source and binary forms'",
        # ImportPythonUDFs: the developer's button to rewrite the UDF declarations
        "VBProject": "ThisWorkbook.VBProject.VBComponents.Remove/Import xlwings_udfs",
        "VBComponents": "the same: re-import the generated xlwings_udfs module",
        # false positives of olevba's string heuristics
        "Chr": "Chr(34): double quotes around paths with spaces; Chr(10) line breaks",
        "Hex Strings": "GUIDs, hex constants and digits in stackoverflow URLs",
        "Base64 Strings": "identifiers and URL fragments that happen to decode as base64",
    },
}

# Procedure names Office runs by itself (olevba's AutoExec list and Excel/Word events)
_AUTORUN = re.compile(
    r"^\s*(?:(?:Public|Private|Friend|Static)\s+)*(?:Sub|Function)\s+"
    r"(Auto_?\w*|Workbook_\w+|Worksheet_\w+|Document_?\w+|App(?:lication)?_\w+|"
    r"Chart_\w+|\w+_(?:Open|Close|Activate|Deactivate|BeforeClose|Change|Calculate))\b",
    re.IGNORECASE | re.MULTILINE,
)
_ON_EVENT = re.compile(r"\bApplication\.On(?:Time|Key|Sheet\w*|Window|Data|Entry)\b", re.I)


def read_vba(path: Path) -> dict[str, str]:
    """Module name -> code, as olevba extracts them (in the project's order)."""
    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros(), f"{path.name}: no VBA project"
        out: dict[str, str] = {}
        for _, _, vba_filename, code in parser.extract_macros():
            name = Path(vba_filename).stem
            assert name not in out, f"{path.name}: module {name} twice"
            out[name] = code
        return out
    finally:
        parser.close()


def analyze(path: Path) -> list[tuple[str, str, str]]:
    """olevba's whole-file analysis: (type, keyword, description) triples."""
    parser = VBA_Parser(str(path))
    try:
        return list(parser.analyze_macros())
    finally:
        parser.close()


def suspicious(code: str) -> set[str]:
    """The Suspicious keywords olevba reports for one module's code."""
    return {
        kw
        for kind, kw, _ in VBA_Scanner(code).scan(include_decoded_strings=False)
        if kind == "Suspicious"
    }


@pytest.fixture(scope="module")
def template() -> dict[str, str]:
    assert TEMPLATE.exists(), TEMPLATE
    return read_vba(TEMPLATE)


@pytest.fixture(scope="module", params=["committed", "built"])
def workbook(request) -> Path:
    """The committed model.xlsm and one `make model` builds afresh from data/."""
    if request.param == "committed":
        assert MODEL.exists(), "model.xlsm is missing: run `make model`"
        return MODEL
    return request.getfixturevalue("built_model")


# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------


def test_template_modules_and_allow_lists_match_xlwings(template):
    """The allow-lists are exactly what olevba reports for xlwings' own template."""
    assert sorted(template) == sorted(MODULES)
    for name, code in template.items():
        assert suspicious(code) == set(ALLOWED[name]), name


@pytest.mark.parametrize(
    "code",
    [
        'Private Sub Workbook_Open()\n    RunPython "import x"\nEnd Sub\n',
        "Sub Auto_Open()\nEnd Sub\n",
        "Public Sub Worksheet_Calculate()\nEnd Sub\n",
    ],
)
def test_auto_run_detectors_are_not_vacuous(code):
    """What the hygiene tests look for is found when it is there."""
    assert any(kind == "AutoExec" for kind, _, _ in VBA_Scanner(code).scan())
    assert _AUTORUN.findall(code)


def test_on_event_detector_is_not_vacuous():
    assert _ON_EVENT.findall('Application.OnTime Now, "Refresh"')
    assert "shell" in {kw.lower() for kw in suspicious('x = Shell("cmd.exe /c calc")')}


def test_exact_module_list(workbook):
    assert sorted(read_vba(workbook)) == sorted(MODULES)


def test_vba_project_is_the_template(workbook, template):
    with zipfile.ZipFile(workbook) as z, zipfile.ZipFile(TEMPLATE) as t:
        assert z.read(VBA_PART) == t.read(VBA_PART)
    assert read_vba(workbook) == template


def test_no_auto_run_macros(workbook):
    assert not [a for a in analyze(workbook) if a[0] == "AutoExec"]
    for name, code in read_vba(workbook).items():
        scan = VBA_Scanner(code).scan(include_decoded_strings=True)
        assert not [s for s in scan if s[0] == "AutoExec"], name
        assert not _AUTORUN.findall(code), f"{name}: {_AUTORUN.findall(code)}"
        assert not _ON_EVENT.findall(code), f"{name}: {_ON_EVENT.findall(code)}"


def test_suspicious_keywords_are_allowed(workbook):
    modules = read_vba(workbook)
    for name, code in modules.items():
        unexpected = suspicious(code) - set(ALLOWED[name])
        assert not unexpected, f"{name}: olevba flags {sorted(unexpected)}"
    # the whole-file scan (with decoded strings) flags nothing outside the allow-lists
    allowed = set().union(*ALLOWED.values())
    flagged = {kw for kind, kw, _ in analyze(workbook) if kind == "Suspicious"}
    assert flagged <= allowed, sorted(flagged - allowed)


def test_indicators_are_the_templates(workbook):
    """URLs and file names olevba lists (IOCs) are xlwings' own, none added."""
    ours = {(kind, kw) for kind, kw, _ in analyze(workbook) if kind not in ("Suspicious",)}
    theirs = {(kind, kw) for kind, kw, _ in analyze(TEMPLATE) if kind not in ("Suspicious",)}
    assert ours == theirs


def test_no_other_macro_containers(workbook):
    parser = VBA_Parser(str(workbook))
    try:
        assert not parser.detect_xlm_macros()
    finally:
        parser.close()
    with zipfile.ZipFile(workbook) as z:
        names = z.namelist()
    assert [n for n in names if n.lower().endswith(".bin")] == [VBA_PART]
    for folder in ("xl/macrosheets/", "xl/activeX/", "xl/embeddings/", "xl/dialogsheets/"):
        assert not [n for n in names if n.startswith(folder)], folder
