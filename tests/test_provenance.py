"""Provenance: every number in data/ is printed on the seed line its row names.

The seed is ../shared/seeds/000_c4b25e50ec2df58c.txt beside the repository (CI copies
shared/ there). A value matches when the line prints it as written, as a percent (61% is
0.61), in 亿 (100 million: 1307亿 is 130.7 US$bn) or in 万亿 (a trillion: 1.15万亿 is 1,150
US$bn), allowing thousands separators, a dollar sign and the Chinese numerals 五, 六, 七;
一半 ("half", line 326: 约一半支出用于短期资产) is 0.5.
"""

from __future__ import annotations

import csv
import os
import re
from decimal import Decimal

import pytest

from sheets.sources.loader import load_data

from .conftest import DATA, SEED

CHINESE_DIGITS = {"五": "5", "六": "6", "七": "7"}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(%?)(\s*万亿|\s*亿)?")
RANGE_PERCENT = re.compile(r"(\d+(?:\.\d+)?)[-~](\d+(?:\.\d+)?)%")


def seed_lines() -> list[str]:
    if not SEED.exists():
        reason = f"the seed is not at {SEED}"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(reason + "; CI copies shared/ beside the repository")
        pytest.skip(reason)
    return SEED.read_text(encoding="utf-8").split("\n")


def printed_values(line: str) -> set[Decimal]:
    """Every value a seed line prints, in each unit the data may store it in."""
    text = line.replace("\\$", "").replace("$", "")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    for k, v in CHINESE_DIGITS.items():
        text = text.replace(k, v)
    out: set[Decimal] = set()
    for m in NUMBER.finditer(text):
        x = Decimal(re.match(r"-?\d+(?:\.\d+)?", m.group(0)).group(0))
        out |= {x, -x}
        if m.group(1):
            out |= {x / 100, -x / 100}
        if m.group(2) and "万亿" in m.group(2):
            out.add(x * 1000)
        elif m.group(2):
            out.add(x / 10)
    for m in RANGE_PERCENT.finditer(text):  # 11-14%: the first number is a percent too
        out.add(Decimal(m.group(1)) / 100)
    if "一半" in text:  # "half"
        out.add(Decimal("0.5"))
    return out


def test_every_value_is_printed_on_its_seed_line():
    lines = seed_lines()
    misses = []
    count = 0
    for stem, frame in load_data(DATA):
        raw = {}
        path = DATA / f"{stem}.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh), start=1):
                raw[i] = row[3] if len(row) > 3 else ""
        for r in frame.itertuples():
            count += 1
            value = Decimal(raw[r.csv_line])
            line = lines[r.seed_line - 1]
            if value not in printed_values(line):
                misses.append(
                    f"data/{stem}.csv line {r.csv_line}: {r.value} not on seed line "
                    f"{r.seed_line}: {line[:80]}"
                )
    assert count > 600
    assert not misses, "\n".join(misses[:10])


def test_the_matcher_can_fail():
    """The check is not vacuous: a number that is not printed is not found."""
    line = (
        "Amazon	830	1250	继续增长	149	176	226	278	250	322	351	327"
    )
    assert Decimal("830") in printed_values(line)
    assert Decimal("831") not in printed_values(line)
    assert Decimal("0.61") in printed_values("yoy		61%")
    assert Decimal("130.7") in printed_values("公司经营现金流 1307 亿美元")
    assert Decimal("0.5") in printed_values("约一半支出用于短期资产")
    assert Decimal("0.5") not in printed_values("约三成支出用于短期资产")
