"""JobDeck's benchmarks: never part of the pytest run's pass/fail.

A benchmark is any module in this package with a top-level ``run() -> dict``
function; adding one is adding a module. Results are ratios against a
baseline measured in the same run, because the machines we run on are
shared and noisy. ``python -m bench`` runs them all, ``python -m bench NAME``
one of them.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

__all__ = ["HERE", "discover", "run_one"]

HERE = Path(__file__).resolve().parent


def _defines_run(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=path.name)
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "run"
               for node in tree.body)


def discover() -> list[str]:
    """Names of the benchmark modules, found by reading (not importing) them:
    a benchmark's imports can be heavy, and helpers (``store``, ``hello_app``)
    have no ``run``."""
    return sorted(path.stem for path in HERE.glob("*.py")
                  if not path.stem.startswith("_") and _defines_run(path))


def run_one(name: str) -> dict[str, Any]:
    module = importlib.import_module(f"{__name__}.{name}")
    result = module.run()
    if not isinstance(result, dict):
        raise TypeError(f"bench.{name}.run() returned {type(result).__name__}, not a dict")
    return result
