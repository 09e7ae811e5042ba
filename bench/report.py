"""What a benchmark section returns, and how the run prints and records it.

Each section (one per item of the performance issue) gives tables of measurements and
a list of :class:`Check` rows: a measured value against its target, met or not, and
when not, why and what would meet it. Standard output gets one table of every check;
``bench/RESULTS.md`` gets the machine line, a summary, then each section's tables,
checks and notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CHECK_HEADER", "Check", "Section", "Table", "check_rows", "markdown", "text_table"]

CHECK_HEADER = ["item", "measurement", "value", "target", "status"]


@dataclass(frozen=True)
class Check:
    """One measured value and its target; ``met`` is None for a value with no target."""

    what: str
    value: str
    target: str = ""
    met: bool | None = None
    why: str = ""

    @property
    def status(self) -> str:
        return {True: "met", False: "NOT MET", None: "-"}[self.met]


@dataclass(frozen=True)
class Table:
    """A table of measurements; ``caption`` is the paragraph above it."""

    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Section:
    """One item of the issue: its tables, its checks and notes on method."""

    item: int
    title: str
    tables: list[Table] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns.

    >>> print(text_table(["a", "bb"], [["1", "2"]]))
    a  bb
    -  --
    1  2
    """
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _md_table(table: Table) -> list[str]:
    lines = [table.caption, ""] if table.caption else []
    lines += ["| " + " | ".join(table.header) + " |", "|" + "---|" * len(table.header)]
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    return [*lines, ""]


def check_rows(sections: list[Section]) -> list[list[str]]:
    """Every check of every section as rows of :data:`CHECK_HEADER`."""
    return [[str(s.item), c.what, c.value, c.target, c.status] for s in sections for c in s.checks]


METHOD = (
    "**Method:** item 1 times every call separately with the garbage collector on, as in "
    "Excel, and reports medians and 95th percentiles. Items 2 and 3 compare "
    "implementations by each one's fastest call with the collector off, as timeit does, "
    "so that a burst of another process on the two shared cores does not land on one side "
    "of a ratio only; every fast result is checked against its plain reference before it "
    "is timed. Page faults per call are getrusage's minor faults over the timed calls. "
    "Each target reads *met* or **not met**; a target not met says why and what would "
    "meet it."
)


def markdown(sections: list[Section], machine: str, command: str, wall_s: float) -> str:
    """The whole of bench/RESULTS.md."""
    targets = [c for s in sections for c in s.checks if c.met is not None]
    met = sum(bool(c.met) for c in targets)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` (`make bench`); every number comes from that one run.",
        "",
        f"**Machine:** {machine}",
        "",
        f"**Wall time of the run:** {wall_s:.0f} s. **Targets met:** {met} of {len(targets)}.",
        "",
        METHOD,
        "",
        "## Summary",
        "",
        *_md_table(Table(CHECK_HEADER, check_rows(sections))),
    ]
    for s in sections:
        lines += [f"## {s.item}. {s.title}", ""]
        for table in s.tables:
            lines += _md_table(table)
        verdicts = []
        for c in s.checks:
            if c.met is not None:
                verdict = "met" if c.met else "**not met**"
                why = f" {c.why}" if c.why else ""
                verdicts.append(f"- {c.what}: {c.value} (target {c.target}): {verdict}.{why}")
        lines += [*verdicts, ""] if verdicts else []
        for note in s.notes:
            lines += [note, ""]
    return "\n".join(lines).rstrip() + "\n"
