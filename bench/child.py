"""Run one bench function in a fresh Python process and return what it returns.

Used where the parent's state would spoil a measurement: peak memory (a clean
high-water mark), the headless recalculation (its engine keeps global state and prints
progress bars), and a counterfactual run with different allocator settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["ROOT", "call"]

ROOT = Path(__file__).resolve().parent.parent
"""The repository root, the child's working directory."""

_SCRIPT = (
    "import importlib, json, sys\n"
    "module, name, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])\n"
    "result = getattr(importlib.import_module(module), name)(*args)\n"
    "print('\\n' + json.dumps(result))\n"
)


def call(module: str, name: str, *args: Any, env: dict[str, str] | None = None) -> Any:
    """``module.name(*args)`` in a child process; arguments and result go through JSON.

    Raises RuntimeError with the child's last lines of error output if it fails.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, module, name, json.dumps(list(args))],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"{module}.{name} failed in a child process:\n{tail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
