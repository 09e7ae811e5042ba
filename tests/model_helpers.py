"""Shared helpers for the workbook tests: recalculation results and AIM_ call resolution."""

from __future__ import annotations

import ast
import operator
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

CALL = re.compile(r"^=(AIM_[A-Z_]+)\((.*)\)$")
_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
}


def split_args(text: str) -> list[str]:
    """Top-level arguments of a function call's argument text."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [a.strip() for a in out]


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp):
        return _OPS[type(node.op)](_eval(node.operand))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "ROUND"
        and len(node.args) == 2
    ):  # Excel's ROUND: ties away from zero (Decimal's ROUND_HALF_UP)
        digits = int(_eval(node.args[1]))
        exact = Decimal(repr(_eval(node.args[0])))
        return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    raise ValueError(f"unsupported expression {ast.dump(node)}")


class Resolver:
    """Turns an AIM_ call's argument text into the values Excel would hand the function."""

    def __init__(self, wb, values: dict[tuple[str, str], Any]):
        self.values = values
        self.names = {n: d.attr_text for n, d in wb.defined_names.items()}

    def cell(self, sheet: str, coord: str) -> Any:
        v = self.values.get((sheet.upper(), coord))
        if type(v).__name__ == "Token":  # the engine's empty cell: Excel hands over None
            return None
        if isinstance(v, int) and not isinstance(v, bool):
            return float(v)
        return v

    def block(self, sheet: str, ref: str) -> Any:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        rows = [
            [self.cell(sheet, f"{get_column_letter(c)}{r}") for c in range(min_col, max_col + 1)]
            for r in range(min_row, max_row + 1)
        ]
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows

    def ref(self, text: str, sheet: str) -> Any:
        if text in self.names:
            text = self.names[text]
        if "!" in text:
            where, text = text.rsplit("!", 1)
            sheet = where.strip("'").replace("''", "'")
        return self.block(sheet, text)

    def arg(self, text: str, sheet: str) -> Any:
        tokens = [t for t in Tokenizer("=" + text).items if t.type != Token.WSPACE]
        if len(tokens) == 1 and tokens[0].subtype == Token.RANGE:
            return self.ref(tokens[0].value, sheet)
        if len(tokens) == 1 and tokens[0].subtype == Token.NUMBER:
            return float(tokens[0].value)
        expr = ""
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if t.type == Token.FUNC and t.value.upper() == "ROWS(":  # ROWS(range): its rows
                where = tokens[i + 1].value
                rows = self.ref(where, sheet)
                expr += repr(float(len(rows) if isinstance(rows, list) else 1))
                i += 3  # ROWS( range )
                continue
            if t.subtype == Token.RANGE:
                expr += repr(float(self.ref(t.value, sheet)))
            else:
                expr += t.value
            i += 1
        return _eval(ast.parse(expr, mode="eval").body)
