"""The sheets package imports one way, in the order data travels, and has no circle.

Stages: sources (1) <- model (2) <- workbook (3) <- evaluate (4) <- publish (5) <- cli.
A module may import its own stage and earlier ones, never a later one. Every import
counts, at the top of a module or inside a function (a lazy import is still a
dependency), read from the source with ``ast`` so that nothing is executed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sheets"
STAGES = {"sources": 1, "model": 2, "workbook": 3, "evaluate": 4, "publish": 5, "cli": 6}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The sheets modules ``name`` imports (``from x import y`` counts x, and x.y when
    x.y is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t.startswith("sheets"):
                out.add(t)
    out.discard(name)
    return out


def _stage(name: str) -> int:
    parts = name.split(".")
    return STAGES[parts[1]] if len(parts) > 1 else 0  # the root package: __version__ only


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {n: _imports(n, p, set(modules)) for n, p in modules.items()}


def test_only_init_and_cli_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "cli.py"]
    stages = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert stages == sorted(s for s in STAGES if s != "cli")


def test_every_module_belongs_to_a_stage() -> None:
    for name in _modules():
        if name != "sheets":
            assert name.split(".")[1] in STAGES, name


def test_imports_point_down_the_stages() -> None:
    against = [
        f"{name} (stage {_stage(name)}) imports {dep} (stage {_stage(dep)})"
        for name, deps in _graph().items()
        for dep in sorted(deps)
        if _stage(dep) > _stage(name)
    ]
    assert against == []


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of ``graph`` as a path that ends where it starts, or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str]:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[n] = 2
        return []

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return []


def test_no_import_circle() -> None:
    assert _cycle(_graph()) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles(graph: dict[str, set[str]], expected: list[str]) -> None:
    # hand-made graphs: a <-> b is a circle of two; a -> b -> c is none
    assert _cycle(graph) == expected


def test_the_stage_rule_catches_an_upward_import(tmp_path: Path) -> None:
    # a model module that imports the workbook stage: the walker must see it
    source = tmp_path / "bad.py"
    source.write_text("def f():\n    from sheets.workbook.build import build\n")
    deps = _imports("sheets.model.bad", source, set(_modules()))
    assert "sheets.workbook.build" in deps
    assert _stage("sheets.workbook.build") > _stage("sheets.model.bad")
