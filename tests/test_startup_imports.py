"""Start-up cost: jobspy and pandas (about a second to import) stay out of the server.

Only the scrape worker process imports them. Each check runs in a fresh
interpreter, so nothing this test process imported can hide an import.
Smaller things are left until they are needed too: what a plain start
(no config file, no server already running, no browser to open) does not
use, the PWA's hashes (until the service worker is asked for), and the
server's modules in a command that does not serve.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("jobspy", "pandas", "numpy")

SERVE_ONE_REQUEST = r"""
import json, sys
from pathlib import Path

from litestar.testing import TestClient

from server.app import create_app
from server.home import prepare_home
from server.settings import load_settings

home = Path(sys.argv[1])
settings = load_settings({"home": str(home), "port": 8765, "open_browser": False},
                         environ={}, config_file=home / "absent.toml")
prepare_home(settings.home_path)
app = create_app(settings)
with TestClient(app, base_url="http://127.0.0.1:8765") as client:
    statuses = [client.get("/api/v1/health").status_code, client.get("/").status_code,
                client.get("/api/v1/jobs", headers={"Authorization": "Bearer " + app.state.internal_secret}).status_code]
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))
"""

CLI_GET = r"""
import contextlib, io, json, sys
from server.cli import main

with contextlib.redirect_stdout(io.StringIO()):
    code = main(["--home", sys.argv[1], "--get", "/api/v1/health"])
print(json.dumps({"statuses": [code], "modules": sorted(sys.modules)}))
"""

# The real serving path, ``jobdeck --no-browser`` on a fresh home: once it has
# announced itself (server.json), a thread asks for /api/v1/health over a raw
# socket (no HTTP library of its own to hide an import) and reports the modules.
SERVE = r"""
import gc, json, os, signal, socket, sys, threading, time
from pathlib import Path
from server.cli import main

home, report = Path(sys.argv[1]), {}

def probe():
    while not (home / "server.json").exists():
        time.sleep(0.01)
    port = json.loads((home / "server.json").read_text())["port"]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    report.update(statuses=[int(answer.split()[1])], modules=sorted(sys.modules), frozen=gc.get_freeze_count())
    os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=probe, daemon=True).start()
code = main(["--home", str(home), "--no-browser", "--port", "0"])
print(json.dumps({**report, "exit": code}))
"""

# A command that needs no server: the app, its routes, Litestar and uvicorn stay out.
TOKEN_LIST = r"""
import contextlib, io, json, sys
from server.cli import main

with contextlib.redirect_stdout(io.StringIO()):
    code = main(["--home", sys.argv[1], "token", "list"])
print(json.dumps({"statuses": [code], "modules": sorted(sys.modules)}))
"""

CONTROL = r"""
import json, sys
import jobspy  # noqa: F401  (what only the worker process may do)
print(json.dumps({"statuses": [], "modules": sorted(sys.modules)}))
"""


def run(code: str, home: Path) -> dict:
    env = {**os.environ, "JOBDECK_CONFIG": str(home.parent / "absent.toml")}
    done = subprocess.run([sys.executable, "-c", code, str(home)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def heavy(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_creating_the_app_and_serving_requests_imports_neither_jobspy_nor_pandas(tmp_path):
    report = run(SERVE_ONE_REQUEST, tmp_path / "home")
    assert report["statuses"] == [200, 200, 200]
    assert "server.app" in report["modules"] and "litestar" in report["modules"]
    assert heavy(report["modules"]) == []


def test_the_cli_smoke_check_imports_neither(tmp_path):
    report = run(CLI_GET, tmp_path / "home")
    assert report["statuses"] == [0]
    assert heavy(report["modules"]) == []


def test_the_check_would_see_them(tmp_path):
    report = run(CONTROL, tmp_path / "home")
    assert {"jobspy", "pandas"} <= set(heavy(report["modules"]))


def test_serving_imports_only_what_a_plain_start_uses(tmp_path):
    report = run(SERVE, tmp_path / "home")
    assert report["statuses"] == [200] and report["exit"] in (0, 130)
    packages = {m.split(".")[0] for m in report["modules"]}
    assert heavy(report["modules"]) == []
    assert "pydantic" not in packages  # the app registers msgspec only (server.app.MsgspecLitestar)
    # No config file to parse, no running server to ask, no browser to open.
    assert not {"tomllib", "urllib.request", "webbrowser"} & set(report["modules"])
    # What the build made lives as long as the process: later collections skip it.
    assert report["frozen"] > 0


def test_a_command_that_does_not_serve_imports_no_server_module(tmp_path):
    report = run(TOKEN_LIST, tmp_path / "home")
    assert report["statuses"] == [0]
    assert not {m.split(".")[0] for m in report["modules"]} & {"litestar", "uvicorn"}
    assert not [m for m in report["modules"] if m == "server.app" or m.startswith("server.routes")]


def test_the_pwa_is_hashed_when_the_service_worker_is_first_asked_for(tmp_path):
    from litestar.testing import TestClient

    from server.app import create_app
    from server.home import prepare_home
    from server.settings import load_settings

    home = tmp_path / "home"
    settings = load_settings({"home": str(home), "port": 8765, "open_browser": False},
                             environ={}, config_file=tmp_path / "absent.toml")
    prepare_home(settings.home_path)
    app = create_app(settings)
    assets = app.state.assets
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        assert client.get("/api/v1/health").status_code == 200
        assert "hashes" not in vars(assets)  # not at start, nor for an API answer
        worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert f'const VERSION = "{assets.version}";' in worker.text and "hashes" in vars(assets)
