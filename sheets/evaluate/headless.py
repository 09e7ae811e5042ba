"""Headless recalculation of a workbook with the ``formulas`` engine, AIM_ functions included.

Used by the tests (every formula computes, no error value, Checks all TRUE), by
``aimodel outputs`` and ``aimodel scenarios``, and by ``make render`` (a values-only copy
that LibreOffice can draw, since LibreOffice cannot run Python UDFs).

The ``formulas`` engine hands a function 2-D object arrays for ranges (with an ``empty``
token for blank cells) and scalars or 1x1 arrays for single values; the bridge turns
those into the shapes Excel hands xlwings (scalars, lists of lists, ``None`` for blanks)
and the result back into an array.

A recalculation has three phases, timed by :func:`load` and :func:`calculate`:

``loading+compiling``
    openpyxl reads the file; every formula is parsed and compiled into a small graph,
    and every cell a formula reads becomes a node of the model's graph.
``finish``
    the engine assembles ranges from their cells and links the graph.
``calculate``
    the graph is evaluated.

What makes it fast, all exact (a test compares every cell of the workbook with the
engine's own loading and evaluation, ``load(fast=False)``):

- formulas of one *shape* share one compiled graph (:class:`_ShapeMemo`). The shape is
  the formula with each reference replaced by its extent (``=Inputs!$C$5*D7`` and
  ``=Inputs!$C$9*E7`` are both ``=<1>*<1>``) on the same sheet, and for an array
  formula the extent of its range too: the engine would build an identical graph whose
  only difference is the addresses of its inputs, so the shared graph is fed the new
  cell's input values under the first cell's addresses. Formulas that look at addresses
  rather than values (ROW, COLUMN, OFFSET, INDIRECT, ..., range and intersection
  operators) and ranges that grow along a row (``$C$5:C5``) are compiled on their own,
  as the engine does. On model.xlsm: 475 graphs compiled for 6,387 formula cells;
- a compiled graph is a :class:`_Replay`, its function nodes called in a fixed
  dependency order, rather than the engine's ``DispatchPipe``, which dispatches the
  graph twice to build and re-walks it on every call; in it, ``+ - * /`` on two single
  numbers are computed directly (:mod:`sheets.evaluate.arithmetic`), not through
  numpy's vectorize;
- a constant or text cell that no formula reads is not put into the graph (the engine
  spends about 0.1 ms on each); its value is returned as read, rounded as the engine
  rounds it; the sheets' cells are read as openpyxl holds them, not through
  ``iter_rows``, which creates a blank cell at every empty position;
- SciPy, which the engine's statistical functions import, is imported when one of them
  first runs (:mod:`sheets.evaluate.deferred_scipy`, 1.0 s);
- Python's cyclic garbage collector is paused while the graph is built and evaluated
  (:func:`collector_paused`, 1.3 s).
"""

from __future__ import annotations

import bisect
import gc
import os
import re
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "Loaded",
    "calculate",
    "collector_paused",
    "load",
    "recalculate",
    "register_udfs",
    "solution_values",
]

_REGISTERED = False
REPLAY = True  # evaluate compiled formulas with _Replay (False: the engine's DispatchPipe)
_CELL_OR_RANGE = re.compile(r"^\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?$")


def _excel_arg(value: Any) -> Any:
    from formulas.tokens.operand import XlError

    def cell(v: Any) -> Any:
        if isinstance(v, XlError):
            raise _PropagateError(v)
        if type(v).__name__ == "Token":  # the engine's empty cell
            return None
        if isinstance(v, np.generic):
            return v.item()
        if isinstance(v, int) and not isinstance(v, bool):
            return float(v)
        return v

    if isinstance(value, np.ndarray):
        if value.size == 1:
            return cell(value.reshape(-1)[0])
        # floats, texts and booleans pass as they are (most cells); the rest one by one
        return [
            [v if type(v) in _AS_IS else cell(v) for v in row]
            for row in np.atleast_2d(value).tolist()
        ]
    return cell(value)


_AS_IS = frozenset((float, str, bool))


class _PropagateError(Exception):
    def __init__(self, error: Any):
        super().__init__(str(error))
        self.error = error


def _bridge(fn):
    def call(*args: Any) -> Any:
        try:
            converted = [_excel_arg(a) for a in args]
        except _PropagateError as err:
            return err.error
        out = fn(*converted)
        if isinstance(out, str):
            return out
        return np.array(out, dtype=object)

    call.__name__ = fn.__name__
    return call


def register_udfs() -> None:
    """Put every AIM_ function into the ``formulas`` engine under its Excel name."""
    global _REGISTERED
    if _REGISTERED:
        return
    import formulas

    import udfs
    from sheets.evaluate.deferred_scipy import import_engine_functions
    from udfs.excel._worksheet import REGISTRY

    del udfs
    functions = import_engine_functions()
    for name, fn in REGISTRY.items():
        functions[name] = formulas.functions.wrap_func(_bridge(fn))
    _REGISTERED = True


# --- formulas of one shape share one compiled graph -------------------------------------

# A string literal, or a cell/range reference with an optional sheet prefix.
_REF = re.compile(
    r"""("(?:[^"]|"")*")"""
    r"""|(?<![\w.$'!])((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?"""
    r"""(\$?)([A-Z]{1,3})(\$?)(\d+)(?::(\$?)([A-Z]{1,3})(\$?)(\d+))?(?![\w(!])"""
)
# Functions and operators that read a range's address, not only its values.
_ADDRESS_READERS = re.compile(
    r"\b(ROW|ROWS|COLUMN|COLUMNS|OFFSET|INDIRECT|CELL|ADDRESS|AREAS|ISFORMULA|"
    r"FORMULATEXT|ISREF|SINGLE|LAMBDA|LET)\s*\(",
    re.IGNORECASE,
)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _shape(text: str) -> tuple[str, list[str]] | None:
    """The formula with each reference replaced by its shape, and its references.

    A cell reference becomes ``<1>`` and a range ``<rows x columns>`` (its extent), so
    ``=Inputs!$C$5*D7`` and ``=Inputs!$C$9*E7`` have one shape: the engine builds the same
    graph for both, differing only in the addresses of its inputs. String literals and
    everything else stay as written (``=C5*1.5`` and ``=C5*2`` differ).

    ``None`` when the formula reads addresses (see ``_ADDRESS_READERS``), uses a range or
    intersection operator on anything but two literal cell addresses, or a spill (``#``)
    or implicit-intersection (``@``) operator.
    """
    refs: list[str] = []

    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1)
        refs.append(m.group(0))
        if not m.group(8):
            return "<1>"
        rows = int(m.group(10)) - int(m.group(6))
        cols = _column_number(m.group(8)) - _column_number(m.group(4))
        return f"<{rows}x{cols}>"

    key = _REF.sub(sub, text)
    bare = _REF.sub(lambda m: "" if m.group(1) else "R", text)
    if _ADDRESS_READERS.search(bare) or any(ch in bare for ch in ": @#"):
        return None
    return key, refs


class _RangeParser:
    """``formulas.ranges.Ranges.get_range(text, context)`` for a plain A1 reference, without
    the engine's general parser (about 0.07 ms a call, tens of thousands of calls).

    The engine's range of ``Sheet!C8`` differs from that of ``Sheet!A1`` only in its row,
    column and address fields; so the first reference of each kind (a cell or a range)
    behind each sheet prefix, in each context, is parsed by the engine and kept as a
    template, and the others are copies of it with their own row and column. Anything
    else (a defined name, an external or whole-row reference, a reversed range) goes to
    the engine's parser.
    """

    _A1 = re.compile(
        r"^(?:('(?:[^'\[\]]|'')+'|[A-Za-z_][\w.]*)!)?"
        r"\$?([A-Z]{1,3})\$?([1-9]\d*)(?::\$?([A-Z]{1,3})\$?([1-9]\d*))?$"
    )
    _CONTEXT = ("excel", "sheet", "directory", "filename")

    def __init__(self) -> None:
        self.templates: dict[tuple, dict[str, Any]] = {}

    def get(self, text: str, ctx: dict | None = None) -> dict[str, Any]:
        from formulas.ranges import Ranges

        m = self._A1.match(text)
        if m is None:
            return Ranges.get_range(text, ctx)
        prefix, c1, r1, c2, r2 = m.groups()
        is_range = c2 is not None
        c2, r2 = (c2, r2) if is_range else (c1, r1)
        n1, n2 = _column_number(c1), _column_number(c2)
        if n1 > n2 or int(r1) > int(r2) or (is_range and (n1, r1) == (n2, r2)):
            return Ranges.get_range(text, ctx)  # reversed, or a range of one cell
        key = (prefix, is_range, *((ctx or {}).get(k) for k in self._CONTEXT))
        template = self.templates.get(key)
        if template is None:
            example = f"{prefix}!" if prefix else ""
            example += "A1:B2" if is_range else "A1"
            template = Ranges.get_range(example, ctx)
            sheet_id = template.get("sheet_id")
            expected = f"{sheet_id}!{template['ref']}" if sheet_id else template["ref"]
            if template["name"] != expected:  # a naming this does not know: the engine's
                return Ranges.get_range(text, ctx)
            self.templates[key] = template
        rng = dict(template)
        ref = f"{c1}{r1}:{c2}{r2}" if is_range else f"{c1}{r1}"
        sheet_id = template.get("sheet_id")
        rng.update(r1=r1, r2=r2, c1=c1, c2=c2, n1=n1, n2=n2, ref=ref)
        rng["name"] = f"{sheet_id}!{ref}" if sheet_id else ref
        return rng


_RANGES = _RangeParser()


def _extent(ref: str) -> tuple[int, int]:
    """(rows - 1, columns - 1) of an A1 reference such as ``C5:AP5``."""
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return max_row - min_row, max_col - min_col


def _range_shape(rng: dict[str, Any]) -> tuple[int, int]:
    return int(rng["r2"]) - int(rng["r1"]), rng["n2"] - rng["n1"]


class _Replay:
    """A formula's compiled graph evaluated in a fixed order, without the dispatcher.

    The engine compiles a formula into a small ``schedula`` graph (one function node per
    operator or function, one data node per operand and intermediate result) and runs it
    through ``DispatchPipe``, which re-walks the graph on every call. The graph is a
    tree of the formula's tokens, so evaluating its function nodes in dependency order,
    each on its inputs' values, with the data nodes' filters applied as each value is set,
    is the same computation: the same functions on the same values. An exception leaves
    as the engine's does (``NotImplementedError`` as ``#NAME?``; any other stops the
    cell, which the model's graph then leaves without a value).

    :func:`_replay_or_pipe` builds one in place of the engine's ``DispatchPipe`` (whose
    construction dispatches the graph twice to record its order); for a graph this does
    not cover (a node with anything but inputs, outputs and filters that matter here)
    it builds the engine's pipe.
    """

    def __init__(self, dsp: Any, name: str, inputs: Any, outputs: list, steps: list) -> None:
        self.inputs = inputs
        self.outputs = outputs
        self.dsp = dsp
        self.steps = steps
        self.defaults = {k: v["value"] for k, v in dsp.default_values.items()}
        self.out = outputs[0]
        self.__name__ = name

    def __call__(self, *args: Any) -> Any:
        values = dict(self.defaults)
        values.update(zip(self.inputs, args, strict=True))
        try:
            for fn, ins, out, filters in self.steps:
                value = fn(*[values[i] for i in ins])
                for f in filters:
                    value = f(value)
                values[out] = value
        except NotImplementedError:
            from formulas.functions import Error

            return Error.errors["#NAME?"]
        return values[self.out]


_REPLAY_KEYS = frozenset(
    (
        "type",
        "function",
        "inputs",
        "outputs",
        "wait_inputs",
        "index",
        "description",
        "function_id",
        "solve_cycle",
        "extra_inputs",
        "filters",
    )
)


def _replay_or_pipe(
    dsp: Any, function_id: str, inputs: Any, outputs: list, wildcard: bool, shrink: bool
) -> Any:
    """The engine's ``AstBuilder.compile_class`` (``DispatchPipe``'s arguments, as
    ``AstBuilder.compile`` passes them): a :class:`_Replay` where the graph allows one."""
    steps = _replay_steps(dsp, inputs, outputs) if not shrink else None
    if steps is None:
        import schedula as sh

        return sh.DispatchPipe(dsp, function_id, inputs, outputs, wildcard=wildcard, shrink=shrink)
    return _Replay(dsp, function_id, inputs, outputs, steps)


def _replay_steps(dsp: Any, inputs: Any, outputs: list) -> list | None:
    """The function nodes of ``dsp`` in an order that computes ``outputs[0]`` from
    ``inputs`` and the defaults, each as ``(function, inputs, output, filters)``; or
    ``None`` (see :class:`_Replay`)."""
    from sheets.evaluate.arithmetic import faster

    if not outputs or len(outputs) != 1:
        return None
    filters: dict = {}
    functions = []
    for k, node in dsp.nodes.items():
        if set(node) - _REPLAY_KEYS:
            return None
        if node["type"] == "data":
            if node.get("filters"):
                filters[k] = tuple(node["filters"])
        elif node["type"] == "function":
            if len(node.get("outputs") or ()) != 1 or node.get("inputs") is None:
                return None
            functions.append(node)
        else:
            return None
    known = set(dsp.default_values) | set(inputs)
    if set(known) & {n["outputs"][0] for n in functions}:
        return None
    if any(k in filters for k in inputs):
        return None
    steps = []
    waiting = list(functions)
    while waiting:
        ready = [n for n in waiting if all(i in known for i in n["inputs"])]
        if not ready:
            return None
        for n in ready:
            out = n["outputs"][0]
            if out in known:
                return None  # two functions set one value: the dispatcher's order decides
            known.add(out)
            fn = faster(n["function"])  # + - * / on two numbers without vectorize
            steps.append((fn, tuple(n["inputs"]), out, filters.get(out, ())))
        waiting = [n for n in waiting if n["outputs"][0] not in known]
    if outputs[0] not in known:
        return None
    return steps


class _Shifted:
    """A compiled formula graph run for another cell of the same shape.

    ``inputs`` are this cell's inputs (what the model feeds it), in the order of the
    template's; ``slots`` hold, per input, the template's range to relabel the value to
    (``None``: the same input, passed through).
    """

    def __init__(self, pipe: Any, inputs: OrderedDict, slots: list, name: str):
        self.pipe = pipe
        self.inputs = inputs
        self.outputs = pipe.outputs
        self.dsp = pipe.dsp
        self.slots = slots
        self.__name__ = name

    def __call__(self, *args: Any) -> Any:
        from formulas.errors import RangeValueError
        from formulas.ranges import Ranges

        moved = []
        for arg, slot in zip(args, self.slots, strict=True):
            if slot is None or not isinstance(arg, Ranges):
                moved.append(arg)
                continue
            try:
                value = arg.value
            except RangeValueError:
                moved.append(Ranges((slot,)))
                continue
            moved.append(Ranges().set_value(slot, value))
        return self.pipe(*moved)


@dataclass
class _Template:
    pipe: Any
    keys: list[str]  # the template's reference keys, in text order
    ranges: dict[str, dict[str, Any]]  # key -> its range (address and shape)


class _ShapeMemo:
    """Compile each distinct (sheet, shape) once; see the module docstring.

    A formula cell met twice (``finish`` walks the cells of every range a formula reads,
    and the engine names an array formula by its range, so it does not see that the
    array's first cell is loaded already) gets the Cell compiled the first time, which
    ``add_cell`` then skips as the engine's own second compilation would be skipped.
    """

    def __init__(self) -> None:
        self.templates: dict[tuple[str, str], _Template | None] = {}
        self.shared = 0
        self.compiled = 0
        self.replayed = 0
        self._bases: dict[str, dict[str, Any]] = {}
        self._done: dict[tuple[str, str], Any] = {}

    def compile(self, model: Any, cell: Any, ctx: dict, refs: dict, fref: dict) -> Any:
        seen = (ctx["sheet"], cell.coordinate)
        if seen not in self._done:
            self._done[seen] = self._compile(model, cell, ctx, refs, fref)
        return self._done[seen]

    def _compile(self, model: Any, cell: Any, ctx: dict, refs: dict, fref: dict) -> Any:
        crd = cell.coordinate
        text = getattr(cell.value, "text", cell.value)  # an array formula's text
        if not isinstance(text, str):
            return self._own(model, cell, ctx, refs, fref)
        text = text[1:] if text[:2] == "==" else text
        shaped = _shape(text)
        if shaped is None:
            return self._own(model, cell, ctx, refs, fref)
        key: tuple = (ctx["sheet"], shaped[0])
        if crd in fref:  # an array formula: shared only with arrays of its extent
            crd = fref[crd]
            key += (_extent(crd),)
        if key not in self.templates:
            compiled = self._own(model, cell, ctx, refs, fref)
            self.templates[key] = self._template(compiled, shaped[1], ctx, refs)
            return compiled
        template = self.templates[key]
        shared = template and self._instance(template, cell, crd, text, shaped[1], ctx, refs)
        if shared is None:
            return self._own(model, cell, ctx, refs, fref)
        self.shared += 1
        return shared

    def _own(self, model: Any, xl: Any, ctx: dict, refs: dict, fref: dict) -> Any:
        """The engine's ``compile_cell`` of formula cell ``xl``, its graph a :class:`_Replay`
        where it can be."""
        from formulas.cell import Cell

        self.compiled += 1
        text = getattr(xl.value, "text", xl.value)
        if not REPLAY or not isinstance(text, str):
            return type(model).compile_cell(model, xl, ctx, refs, fref)  # the engine's own
        crd = fref.get(xl.coordinate, xl.coordinate)
        cell = Cell(crd, text[1:] if text[:2] == "==" else text, context=ctx)
        if cell.builder is not None:
            cell.builder.compile_class = _replay_or_pipe
        cell.compile(references=refs, context=ctx)
        if cell.func is not None and isinstance(cell.func.func, _Replay):
            self.replayed += 1
        return cell

    def _keys(self, texts: list[str], ctx: dict) -> list[str]:
        """The engine's node names of a formula's references."""
        return [_RANGES.get(t, ctx)["name"] for t in texts]

    def _template(self, compiled: Any, texts: list[str], ctx: dict, refs: dict) -> Any:
        from formulas.ranges import Ranges

        if compiled.func is None:
            return None
        pipe = compiled.func.func
        try:
            keys = self._keys(texts, ctx)
        except Exception:
            return None
        ranges = {}
        for k, v in pipe.inputs.items():
            if k in keys:
                if not isinstance(v, Ranges) or len(v.ranges) != 1:
                    return None
                ranges[k] = v.ranges[0]
            elif k not in refs:  # an input the text does not show: not shared
                return None
        if set(keys) - set(ranges):
            return None
        return _Template(pipe, keys, ranges)

    def _instance(
        self,
        template: _Template,
        xl: Any,
        crd: str,
        text: str,
        texts: list[str],
        ctx: dict,
        refs: dict,
    ) -> Any:
        from formulas.cell import Cell, wrap_cell_func
        from formulas.ranges import Ranges

        try:
            keys = self._keys(texts, ctx)
        except Exception:
            return None
        mapping: dict[str, str] = {}
        for t, a in zip(template.keys, keys, strict=True):
            if mapping.setdefault(t, a) != a:
                return None
        if len(set(mapping.values())) != len(mapping):
            return None
        inputs: OrderedDict = OrderedDict()
        slots = []
        for k, v in template.pipe.inputs.items():
            if k not in mapping:
                inputs[k] = v
                slots.append(None)
                continue
            actual = Ranges((_RANGES.get(mapping[k]),))  # Ranges().push(name)'s range
            if _range_shape(actual.ranges[0]) != _range_shape(template.ranges[k]):
                return None  # a range that grows along the row: not the same graph
            inputs[mapping[k]] = actual
            slots.append(None if mapping[k] == k else template.ranges[k])
        if crd == xl.coordinate:
            cell = _empty_cell(_cell_range(self._bases, ctx, xl))
        else:  # an array formula's range
            cell = Cell(crd, None, context=ctx)
        cell.func = wrap_cell_func(_Shifted(template.pipe, inputs, slots, text), cell._args)
        cell.update_inputs(references=refs)
        return cell


# --- constant cells that no formula reads stay out of the graph --------------------------


class _ReadCells:
    """Which cells of which sheet some node of the graph reads (by its address)."""

    def __init__(self, nodes: Any) -> None:
        self.columns: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
        self.wide: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
        self.everything = False
        for k in nodes:
            if not isinstance(k, str) or "!" not in k:
                continue
            if k.endswith("#"):  # a spill reference: read the whole sheet, to be safe
                self.everything = True
                continue
            try:
                rng = _RANGES.get(k)  # Ranges.get_range(k), from a template per shape
            except Exception:
                continue
            sheet = _sheet_of(rng.get("sheet_id", ""))
            r1, r2, n1, n2 = int(rng["r1"]), int(rng["r2"]), rng["n1"], rng["n2"]
            if n2 - n1 > 64:
                self.wide[sheet].append((r1, r2, n1, n2))
            else:
                for n in range(n1, n2 + 1):
                    self.columns[(sheet, n)].append((r1, r2))
        self.starts: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
        for key, spans in self.columns.items():
            merged: list[list[int]] = []
            for a, b in sorted(spans):
                if merged and a <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            self.starts[key] = ([a for a, _ in merged], [b for _, b in merged])

    def read(self, sheet: str, row: int, col: int) -> bool:
        if self.everything:
            return True
        spans = self.starts.get((sheet, col))
        if spans is not None:
            i = bisect.bisect_right(spans[0], row) - 1
            if i >= 0 and row <= spans[1][i]:
                return True
        return any(
            r1 <= row <= r2 and n1 <= col <= n2 for r1, r2, n1, n2 in self.wide.get(sheet, ())
        )


def _sheet_of(sheet_id: str) -> str:
    sheet = sheet_id.strip("'")
    return sheet.split("]", 1)[1] if "]" in sheet else sheet


def _as_engine_reads(cell: Any) -> Any:
    """A constant cell's value as the engine would hold it (floats rounded to 15 places)."""
    value = cell.value
    if cell.data_type == "n" and isinstance(value, float):
        return round(value, 15)
    return value


# --- loading, calculating ----------------------------------------------------------------


@dataclass
class Loaded:
    """A workbook loaded into the engine, ready to calculate.

    ``book`` is the openpyxl workbook the engine read (reuse it rather than loading the
    file again); ``context`` the engine's context of the book (its file name); ``unread``
    the constant cells no formula reads, ``{(SHEET, CELL): value}``; ``seconds`` the CPU
    seconds of each phase so far.
    """

    model: Any
    book: Any
    unread: dict[tuple[str, str], Any]
    context: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    memo: _ShapeMemo = field(default_factory=lambda: _ShapeMemo())

    @property
    def compiled(self) -> int:
        """Formulas compiled on their own."""
        return self.memo.compiled

    @property
    def shared(self) -> int:
        """Formulas that reuse the compiled graph of another cell of their shape."""
        return self.memo.shared


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, and restore it as it was.

    Building and evaluating the graph allocates about a million objects that live as
    long as the model; each automatic collection re-scans them all (about 1.3 s of a
    recalculation of model.xlsm). Reference counting still frees everything that is not
    in a cycle; cycles left meanwhile are collected once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(path: Path | str, only: set[str] | None = None, *, fast: bool = True) -> Loaded:
    """Load ``path`` into the ``formulas`` engine and finish its graph (not calculated).

    ``fast=False`` loads it the engine's own way (every cell, every formula compiled on
    its own), for comparison; the results are the same.
    """
    with collector_paused():
        return _load(path, only, fast)


def _load(path: Path | str, only: set[str] | None, fast: bool) -> Loaded:
    os.environ.setdefault("TQDM_DISABLE", "1")  # the engine's progress bars, on stderr
    import formulas

    register_udfs()
    start = time.process_time()
    model = formulas.ExcelModel()
    book, context = model.add_book(str(path))
    sheets = [ws for ws in book.worksheets if only is None or ws.title in only]
    loaded = Loaded(model, book, {}, context)
    if fast:
        _push(model, sheets, context, loaded)
    else:
        model.pushes(*sheets, context=context)
    middle = time.process_time()
    if fast:
        _skip_blank_cells(model, loaded.memo)
    model.finish()
    loaded.seconds["loading+compiling"] = middle - start
    loaded.seconds["finish"] = time.process_time() - middle
    return loaded


def _push(model: Any, sheets: list, context: dict, loaded: Loaded) -> None:
    """The engine's ``ExcelModel.pushes``, with shared shapes and without unread constants."""
    refs = model.references
    memo = loaded.memo
    constants = []
    for ws in sheets:
        ws, sheet_ctx = model.add_sheet(ws, context)
        fref = model.formula_references(sheet_ctx)
        franges = model.formula_ranges(sheet_ctx)
        ctx = {"external_links": model.external_links(sheet_ctx)}
        ctx.update(sheet_ctx)
        # the cells the sheet holds, row by row as ws.iter_rows() gives them, without
        # creating a blank cell at every other position of the used area as it does
        for _, c in sorted(ws._cells.items()):
            if not hasattr(c, "value") or c.value is None:
                continue  # the engine adds nothing for an empty cell
            if c.data_type == "f":
                model.add_cell(memo.compile(model, c, ctx, refs, fref), ctx, franges)
            else:
                constants.append((c, ctx, fref, franges))
    read = _ReadCells(model.dsp.data_nodes)
    constant = _ConstantCells()
    for c, ctx, fref, franges in constants:
        plain = c.data_type in ("n", "s", "b")
        if plain and not read.read(ctx["sheet"], c.row, c.column):
            loaded.unread[(ctx["sheet"], c.coordinate)] = _as_engine_reads(c)
        elif plain:
            constant.add(model, c, ctx, franges)
        else:
            model.add_cell(model.compile_cell(c, ctx, refs, fref), ctx, franges)


def _cell_range(bases: dict, ctx: dict, c: Any) -> dict[str, Any]:
    """The engine's range of openpyxl cell ``c`` (``Ranges().push(coordinate, context=ctx)``),
    copied from the sheet's ``A1`` range, parsed once per sheet, with the cell's row and
    column: parsing each address costs about 0.1 ms a cell."""
    from formulas.ranges import Ranges

    base = bases.get(ctx["sheet"])
    if base is None:
        base = bases[ctx["sheet"]] = Ranges().push("A1", context=ctx).ranges[0]
    letter = c.column_letter
    row = str(c.row)
    rng = dict(base)
    rng.update(r1=row, r2=row, c1=letter, c2=letter, n1=c.column, n2=c.column)
    rng["ref"] = c.coordinate
    rng["name"] = f"{base['sheet_id']}!{c.coordinate}" if base.get("sheet_id") else c.coordinate
    return rng


def _empty_cell(rng: dict[str, Any]) -> Any:
    """The engine's ``Cell`` of range ``rng`` with no value and no formula yet."""
    from formulas.cell import Cell
    from formulas.ranges import Ranges

    cell = Cell.__new__(Cell)
    cell.func = cell.inputs = cell.builder = None
    cell.replace_missing_ref = True
    cell.range = Ranges((rng,))
    cell.output = rng["name"]
    cell.value = _EMPTY()
    return cell


def _EMPTY() -> Any:
    import schedula

    return schedula.EMPTY


class _ConstantCells:
    """The engine's Cell for a number, text or boolean, built without parsing its address.

    ``Cell(coordinate, value, context)`` parses the coordinate into a range (about 0.1 ms
    a cell); here each sheet's range is parsed once and copied with the cell's row and
    column. What the Cell holds, and what it adds to the graph, is the same (the value
    rounded to 15 places as ``ExcelModel.compile_cell`` rounds it).
    """

    def __init__(self) -> None:
        self.bases: dict[str, dict[str, Any]] = {}
        self.arrays: dict[str, list[tuple[int, int, int, int]]] = {}

    def add(self, model: Any, c: Any, ctx: dict, franges: Any) -> None:
        if ctx["sheet"] not in self.arrays:
            self.arrays[ctx["sheet"]] = [
                (int(r["r1"]), int(r["r2"]), r["n1"], r["n2"])
                for rng in franges
                for r in rng.ranges
            ]
        if any(  # inside an array formula's range: the formula gives its value (add_cell)
            r1 <= c.row <= r2 and n1 <= c.column <= n2
            for r1, r2, n1, n2 in self.arrays[ctx["sheet"]]
        ):
            return
        cell = _empty_cell(_cell_range(self.bases, ctx, c))
        cell.value = _as_engine_reads(c)
        if cell.output not in model.cells and cell.add(model.dsp, context=ctx):
            model.cells[cell.output] = cell


class _Blank:
    """What the engine's ``add_cell`` makes of an empty cell: nothing (no node, no input)."""

    output = None
    value = None  # set to the engine's EMPTY token on first use (add_cell skips its checks)

    @staticmethod
    def add(dsp: Any, context: Any = None) -> set:
        return set()


def _skip_blank_cells(model: Any, memo: _ShapeMemo) -> None:
    """Make ``finish`` skip the empty cells of the ranges it assembles, and share the
    compiled formulas of the cells it adds (those of sheets outside ``only``).

    ``ExcelModel.complete`` compiles every cell of every range a formula reads, empty
    ones included, once per range (a Cell whose value is empty adds nothing to the
    graph); this instance's ``compile_cell`` answers an empty cell with :class:`_Blank`,
    which ``add_cell`` also turns into nothing, without the parsing.
    """
    import schedula

    _Blank.value = schedula.EMPTY
    compile_cell = model.compile_cell

    def compile_or_skip(cell: Any, ctx: Any, refs: Any, fref: Any) -> Any:
        if cell.value is None:
            return _Blank
        if cell.data_type == "f":
            return memo.compile(model, cell, ctx, refs, fref)
        return compile_cell(cell, ctx, refs, fref)

    model.compile_cell = compile_or_skip


def solution_values(solution: Any) -> dict[tuple[str, str], Any]:
    """``{(SHEET, CELL): value}`` from an engine solution (ranges split into cells)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    out: dict[tuple[str, str], Any] = {}
    for key, value in solution.items():
        if not isinstance(key, str) or "!" not in key:
            continue
        sheet, ref = key.rsplit("!", 1)
        if not _CELL_OR_RANGE.match(ref):  # a defined name, not a cell or range
            continue
        sheet = sheet.split("]", 1)[1].strip("'") if "]" in sheet else sheet.strip("'")
        values = getattr(value, "value", value)
        if ":" not in ref:  # one cell (most keys): no range to split
            v = values
            if isinstance(v, np.ndarray):
                v = v.reshape(-1)[0] if v.size else None
            if isinstance(v, np.generic):
                v = v.item()
            elif type(v).__name__ == "Token":  # the engine's empty cell
                v = None
            out[(sheet, ref)] = v
            continue
        values = np.atleast_2d(np.asarray(values, dtype=object))
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        for i in range(max_row - min_row + 1):
            for j in range(max_col - min_col + 1):
                v = values[i, j] if i < values.shape[0] and j < values.shape[1] else None
                if isinstance(v, np.generic):
                    v = v.item()
                elif type(v).__name__ == "Token":  # the engine's empty cell
                    v = None
                out[(sheet, f"{get_column_letter(min_col + j)}{min_row + i}")] = v
    return out


def calculate(loaded: Loaded) -> dict[tuple[str, str], Any]:
    """Evaluate a loaded workbook: ``{(SHEET, CELL): value}`` for every cell it holds."""
    start = time.process_time()
    with collector_paused():
        out = solution_values(loaded.model.calculate())
    for key, value in loaded.unread.items():
        out.setdefault(key, value)
    loaded.seconds["calculate"] = time.process_time() - start
    return out


def recalculate(
    path: Path | str, only: set[str] | None = None, *, fast: bool = True
) -> dict[tuple[str, str], Any]:
    """Compute every formula of a workbook; return ``{(SHEET, CELL): value}``.

    ``only`` loads just the named sheets (a quick look at one sheet's cells as the
    engine reads them); by default every sheet is loaded.

    Sheet names come back upper-cased, as the engine reports them; ranges are split into
    their cells; an empty cell that a formula reads comes back as ``None``; every
    constant cell comes back with its value.
    """
    return calculate(load(path, only, fast=fast))
