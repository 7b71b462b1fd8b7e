"""Cold start and idle memory: ``jobdeck`` against a bare Litestar app.

Measured: wall time from launching the process to its first HTTP 200 (JobDeck:
``/api/v1/health``; hello: ``/hello``), with a fresh home per round (database
created and migrated) and with a warm home, then resident memory after ~2 s
idle. Both sides run on this interpreter and its uvicorn, with the same
environment, and from compiled bytecode. Rounds interleave the sides in a
rotating order, so drift on a shared machine hits all of them alike. The CPU
time each process has used by its first 200 is reported too: on a busy
machine it moves far less than wall time.

Targets (issue 2): cold-start median within 1.3 x hello; idle RSS under 80 MB.
"""

from __future__ import annotations

import http.client
import importlib.metadata
import importlib.util
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROUNDS = 9
IDLE_SECONDS = 2.0
POLL_SECONDS = 0.005  # loopback answers in well under this
DEADLINE_SECONDS = 60.0
TARGET_RATIO = 1.3
TARGET_RSS_MB = 80
ROOT = Path(__file__).resolve().parent.parent
HELLO = Path(__file__).resolve().parent / "hello_app.py"
RUNNING = re.compile(r"is running at http://127\.0\.0\.1:(\d+)")
SIDES = ("jobdeck_cold", "jobdeck_warm", "hello")


@dataclass
class Side:
    """One thing to launch: its command, the path whose 200 means "up", its home."""
    name: str
    argv: list[str]
    path: str
    home: Path | None = None


def _jobdeck() -> list[str]:
    # The console script users run; its shebang must be this environment's python.
    script = Path(sys.executable).parent / "jobdeck"
    shebang = script.read_text(encoding="utf-8").splitlines()[0].removeprefix("#!").strip()
    if Path(shebang).parent.resolve() != Path(sys.executable).parent.resolve():
        raise RuntimeError("the jobdeck script runs another interpreter; run the bench with the venv's python")
    return [str(script)]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    # Identical for both sides; no user config or JOBDECK_* variable leaks in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBDECK_")}
    env["JOBDECK_CONFIG"] = str(tmp / "absent.toml")
    return {**env, **extra}


def _compile() -> dict:
    """Byte-compile what both sides import, once: PYTHONDONTWRITEBYTECODE may be
    set, and a figure taken while compiling would not be an installed app's."""
    roots = [ROOT / name for name in ("server", "license", "bench") if (ROOT / name).is_dir()]
    roots += sorted({Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")})
    # Not fatal: a file that does not compile (some packages ship such test
    # files) is never imported; it shows up in the count below.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *map(str, roots)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sources = [p for root in roots for p in root.rglob("*.py")]
    stale = sum(1 for p in sources if not _newer(Path(importlib.util.cache_from_source(str(p))), p))
    return {"compileall": "project packages + the venv's site-packages, before measuring",
            "source_files": len(sources), "without_fresh_pyc": stale,
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "unset")}


def _newer(pyc: Path, source: Path) -> bool:
    return pyc.exists() and pyc.stat().st_mtime >= source.stat().st_mtime


def _wait_ok(port: int, path: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"no 200 from {path} before the deadline")


def _memory(pid: int) -> dict[str, float]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    mb = lambda key: round(int(status[key].split()[0]) / 1024, 1)  # noqa: E731  (kB -> MB)
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {"rss_mb": mb("VmRSS"), "peak_rss_mb": mb("VmHWM"), "children": len(children)}


def _cpu_seconds(pid: int) -> float:
    """CPU time the process has used so far, all its threads (scheduler's ns count).
    Less swayed than wall time by other work on a shared machine."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended meanwhile
    return total / 1e9


def _stop(process: subprocess.Popen) -> bool:
    """Ctrl+C (SIGINT), the documented way to stop; True when it exited by itself.
    Not SIGTERM: uvicorn re-raises that after its shutdown, which kills the
    process before ``jobdeck`` removes its ``server.json``."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False
    return process.returncode in (0, 130, -signal.SIGINT)


def launch(side: Side, tmp: Path, idle: float = 0.0, env: dict | None = None) -> dict:
    """Start ``side``, time launch -> first 200, optionally idle and read memory, stop it."""
    log = tmp / f"{side.name}.stderr"
    with open(log, "wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(side.argv, stdout=subprocess.PIPE, stderr=stderr,
                                   env=env or _env(tmp), text=True)
        watchdog = threading.Timer(DEADLINE_SECONDS, process.kill)  # never hang the bench
        watchdog.start()
        try:
            port = None
            for line in process.stdout:  # the port comes from the "is running at" line
                if match := RUNNING.search(line):
                    port = int(match.group(1))
                    break
            if port is None:
                raise RuntimeError(f"{side.name} exited before announcing its port: "
                                   f"{log.read_text(errors='replace')[-800:]}")
            _wait_ok(port, side.path, time.monotonic() + DEADLINE_SECONDS)
            result = {"seconds": time.perf_counter() - started, "cpu_seconds": _cpu_seconds(process.pid)}
            if idle:
                time.sleep(idle)
                result.update(_memory(process.pid))
        finally:
            watchdog.cancel()
            clean = _stop(process)
            process.stdout.close()
    if side.home is not None and (side.home / "server.json").exists():
        clean = False  # a clean JobDeck shutdown removes it
    return {**result, "clean_exit": clean}


def _stats(samples: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples)
    p90 = statistics.quantiles(ms, n=10, method="inclusive")[-1]
    return {"median_ms": round(statistics.median(ms), 1), "p90_ms": round(p90, 1),
            "min_ms": round(ms[0], 1), "samples_ms": [round(x) for x in ms]}


def _import_profile(side: Side, tmp: Path) -> list[tuple[str, int, int]]:
    """(module, self us, depth) in -X importtime order, from one launch of ``side``."""
    launch(side, tmp, env=_env(tmp, PYTHONPROFILEIMPORTTIME="1"))
    rows = []
    for line in (tmp / f"{side.name}.stderr").read_text(errors="replace").splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            own, _, name = line.removeprefix("import time:").split("|")
            rows.append((name.strip(), int(own), (len(name) - len(name.lstrip(" ")) - 1) // 2))
    return rows


def _imports(jobdeck: list, hello: list) -> dict:
    """What JobDeck imports beyond hello: by package, and which server module pulls it in."""
    shared = {name for name, _, _ in hello}
    extra = [own if name not in shared else 0 for name, own, _ in jobdeck]
    by_package: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    pulled_in = {}
    for i, (name, _, depth) in enumerate(jobdeck):
        if name not in shared:
            by_package[name.split(".")[0]][0] += 1
            by_package[name.split(".")[0]][1] += extra[i]
        if name.startswith("server."):  # its subtree precedes it, one level deeper or more
            start = next((j + 1 for j in range(i - 1, -1, -1) if jobdeck[j][2] <= depth), 0)
            pulled_in[name] = sum(extra[start:i + 1])
    ms = lambda us: round(us / 1000, 1)  # noqa: E731
    return {
        "note": "-X importtime inflates times: compare the two sides, not with wall times",
        "modules": {"jobdeck": len(jobdeck), "hello": len(hello),
                    "only_in_jobdeck": sum(1 for name, _, _ in jobdeck if name not in shared)},
        "import_ms": {"jobdeck": ms(sum(o for _, o, _ in jobdeck)), "hello": ms(sum(o for _, o, _ in hello))},
        "extra_by_package": [{"package": p, "modules": n, "self_ms": ms(us)} for p, (n, us)
                             in sorted(by_package.items(), key=lambda kv: -kv[1][1])[:10]],
        "extra_pulled_in_by": [{"module": n, "extra_ms": ms(us)} for n, us
                               in sorted(pulled_in.items(), key=lambda kv: -kv[1])[:8]],
    }


# Where the time goes, in-process, one fresh interpreter per side: the steps
# uvicorn takes (import, build the app, lifespan startup: JobDeck's creates and
# migrates its database there). A bare Litestar() imports pydantic when it is
# installed (python-jobspy needs it): timed on its own for hello. JobDeck's
# app registers msgspec only and never imports it (server.app.MsgspecLitestar),
# and is built the way ``jobdeck`` builds the app it serves.
_PHASES = """
import asyncio, json, sys, time
laps, t = {}, time.perf_counter()
def lap(name):
    global t
    laps[name] = round((time.perf_counter() - t) * 1000, 1); t = time.perf_counter()
if sys.argv[1] == "jobdeck":
    import server.cli; lap("import server.cli")
    import uvicorn, server.app, server.commands.serve; lap("import uvicorn, server.app")
else:
    import uvicorn, litestar; lap("import uvicorn, litestar")
    import litestar.plugins.pydantic; lap("import pydantic")
if sys.argv[1] == "jobdeck":
    from server.home import prepare_home
    from server.settings import load_settings
    settings = load_settings({"home": sys.argv[2], "port": 0, "open_browser": False})
    prepare_home(settings.home_path); lap("settings, home")
    app = server.commands.serve.build_app_to_serve(settings, port=1); lap("build the app")
else:
    @litestar.get("/hello")
    async def hello() -> dict[str, str]: return {"hello": "world"}
    app = litestar.Litestar(route_handlers=[hello]); lap("build the app")
async def startup():
    queue, sent = asyncio.Queue(), []
    async def send(message): sent.append(message)
    await queue.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, queue.get, send))
    while not sent: await asyncio.sleep(0)
    lap("lifespan startup")
    await queue.put({"type": "lifespan.shutdown"}); await task
asyncio.run(startup())
print(json.dumps(laps))
"""


def _phases(tmp: Path, repeats: int = 5) -> dict[str, dict[str, float]]:
    """Median of each phase over ``repeats`` interleaved runs (fresh home each)."""
    laps: dict[str, list[dict]] = {"jobdeck_cold": [], "hello": []}
    for i in range(repeats):
        for which in laps:
            argv = [sys.executable, "-c", _PHASES, which.split("_")[0], str(tmp / f"phases-{i}")]
            done = subprocess.run(argv, env=_env(tmp), capture_output=True, text=True,
                                  timeout=DEADLINE_SECONDS, check=True)
            laps[which].append(json.loads(done.stdout.splitlines()[-1]))
    result = {}
    for which, runs in laps.items():
        result[which] = {k: round(statistics.median(r[k] for r in runs), 1) for k in runs[0]}
        result[which]["total"] = round(sum(result[which].values()), 1)
    return result


def run() -> dict:
    bytecode = _compile()
    with tempfile.TemporaryDirectory(prefix="jobdeck-bench-") as name:
        tmp = Path(name)
        jobdeck, warm_home = _jobdeck(), tmp / "warm-home"
        common = ["--no-browser", "--port", "0", "--home"]

        def side(which: str, round_: int) -> Side:
            if which == "hello":
                return Side("hello", [sys.executable, str(HELLO), "0"], "/hello")
            home = warm_home if which == "jobdeck_warm" else tmp / f"cold-home-{round_}"
            return Side(which, [*jobdeck, *common, str(home)], "/api/v1/health", home)

        # Untimed warm-up: fills the page cache and creates the warm home.
        launch(side("hello", -1), tmp)
        launch(side("jobdeck_warm", -1), tmp)
        runs: dict[str, list[dict]] = {s: [] for s in SIDES}
        for round_ in range(ROUNDS):
            shift = round_ % len(SIDES)  # rotate who goes first
            for which in SIDES[shift:] + SIDES[:shift]:
                runs[which].append(launch(side(which, round_), tmp, idle=IDLE_SECONDS))
        profile = _imports(_import_profile(side("jobdeck_cold", ROUNDS), tmp),
                           _import_profile(side("hello", ROUNDS), tmp))
        phases = _phases(tmp)

    startup = {s: _stats([r["seconds"] for r in runs[s]]) for s in SIDES}
    hello_median = startup["hello"]["median_ms"]
    ratio = {s: round(startup[s]["median_ms"] / hello_median, 2) for s in SIDES[:2]}
    cpu = {s: round(statistics.median(r["cpu_seconds"] for r in runs[s]) * 1000, 1) for s in SIDES}
    cpu_ratio = {s: round(cpu[s] / cpu["hello"], 2) for s in SIDES[:2]}
    memory = {s: {"median_rss_mb": statistics.median(r["rss_mb"] for r in runs[s]),
                  "max_rss_mb": max(r["rss_mb"] for r in runs[s]),
                  "max_peak_rss_mb": max(r["peak_rss_mb"] for r in runs[s]),
                  "child_processes": max(r["children"] for r in runs[s])} for s in SIDES}
    versions = {p: importlib.metadata.version(p) for p in ("jobdeck", "litestar", "uvicorn")}
    return {
        "command": "python -m bench startup", "versions": {"python": sys.version.split()[0], **versions},
        "bytecode": bytecode, "rounds": ROUNDS, "startup": startup, "ratio_to_hello": ratio,
        "target_ratio": TARGET_RATIO, "meets_ratio_target": ratio["jobdeck_cold"] <= TARGET_RATIO,
        "cpu_to_first_answer": {"median_ms": cpu, "ratio_to_hello": cpu_ratio,
                                "note": "the process's CPU time (all threads) at its first 200"},
        "idle_memory": {"after_idle_s": IDLE_SECONDS, **memory}, "target_rss_mb": TARGET_RSS_MB,
        "meets_rss_target": max(memory[s]["median_rss_mb"] for s in SIDES[:2]) < TARGET_RSS_MB,
        "unclean_exits": sum(not r["clean_exit"] for s in SIDES for r in runs[s]),
        "imports": profile, "phases_ms": phases,
    }
