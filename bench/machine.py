"""The machine a run measured: cores, memory, CPU, Python, numpy and its BLAS.

The BLAS kernel is asked of the loaded OpenBLAS library itself (what threadpoolctl
does), since ``OPENBLAS_CORETYPE`` may force a kernel older than the processor's; it
falls back to numpy's build configuration when the library cannot be asked.
"""

from __future__ import annotations

import ctypes
import os
import platform
from pathlib import Path

import numpy as np

__all__ = ["describe"]

_OPENBLAS_PREFIXES = ("scipy_openblas_", "openblas_")
_OPENBLAS_SUFFIXES = ("64_", "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _openblas_call(lib: ctypes.CDLL, name: str, restype: type) -> object | None:
    for prefix in _OPENBLAS_PREFIXES:
        for suffix in _OPENBLAS_SUFFIXES:
            fn = getattr(lib, f"{prefix}{name}{suffix}", None)
            if fn is not None:
                fn.restype = restype
                return fn()
    return None


def _openblas_runtime() -> str | None:
    """``kernel <name>, <n> threads`` from the OpenBLAS that numpy loaded, if any."""
    try:
        maps = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return None
    paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        core = _openblas_call(lib, "get_corename", ctypes.c_char_p)
        threads = _openblas_call(lib, "get_num_threads", ctypes.c_int)
        if core:
            return f"kernel {core.decode()}, {threads} threads"
    return None


def _blas() -> str:
    config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    name = f"{config.get('name', '?')} {config.get('version', '')}".strip()
    runtime = _openblas_runtime() or config.get("openblas configuration", "kernel unknown")
    env = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("OPENBLAS"))
    return f"{name} ({runtime}; {env or 'no OPENBLAS_* variables set'})"


def _simd() -> str:
    simd = np.show_config(mode="dicts").get("SIMD Extensions", {})
    found = ", ".join(simd.get("found", [])) or "none"
    return f"baseline {', '.join(simd.get('baseline', []))}, found {found}"


def describe() -> str:
    """One line naming the machine and the numeric stack.

    The benchmarked code paths (running sums, slices, element-wise arithmetic) call no
    BLAS routine; the BLAS is recorded because the environment may pin its kernel.
    """
    return (
        f"{os.cpu_count()} cores ({_cpu_model()}), {_memory_gib():.0f} GiB; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"numpy {np.__version__}, SIMD {_simd()}; BLAS {_blas()}"
    )
