"""Start-up cost: jobspy and pandas (about a second to import) stay out of the server.

Only the scrape worker process imports them. Each check runs in a fresh
interpreter, so nothing this test process imported can hide an import.
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
