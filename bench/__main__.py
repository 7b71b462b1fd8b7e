"""``python -m bench [NAME ...]``: run benchmarks, print a report, save JSON.

Each result goes to ``bench/results/<name>.json`` (git-ignored). The exit
status is 1 when a benchmark crashed; a missed target is reported, not
failed, since a figure from a noisy machine is not a verdict.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import traceback
from typing import Any

from . import HERE, discover, run_one

RESULTS = HERE / "results"


def _format(value: Any, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines.append(f"{pad}{key}:")
            lines += _format(item, indent + 1)
        elif isinstance(item, list) and item and all(isinstance(x, dict) for x in item):
            lines.append(f"{pad}{key}:")
            for entry in item:  # a table: one row per line
                lines.append(f"{pad}  - " + ", ".join(f"{k}={v}" for k, v in entry.items()))
        elif isinstance(item, list):
            lines.append(f"{pad}{key}: " + ", ".join(str(x) for x in item))
        else:
            lines.append(f"{pad}{key}: {item}")
    return lines


def main(argv: list[str] | None = None) -> int:
    available = discover()
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run JobDeck's benchmarks; report and save JSON.")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all of {', '.join(available)})")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; have {', '.join(available)}")
    RESULTS.mkdir(exist_ok=True)
    crashed = []
    for name in args.names or available:
        print(f"== {name} ==", flush=True)
        started = time.perf_counter()
        try:
            result = run_one(name)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
            traceback.print_exc()
            crashed.append(name)
            continue
        seconds = round(time.perf_counter() - started, 1)
        print("\n".join(_format(result)))
        print(f"(took {seconds} s)", flush=True)
        record = {"benchmark": name, "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "seconds": seconds, "python": platform.python_version(), "result": result}
        (RESULTS / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"(saved to bench/results/{name}.json)\n", flush=True)
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
