"""Pro in the browser tests: the real license service as a subprocess
(SQLite, its own signing keys) that the app trusts as a self-hosted service,
and small helpers for calling the app's API from inside a page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.server_process import ServerProcess, free_port

SERVICE = Path(sys.executable).with_name("jobdeck-license")


class LicenseService:
    def __init__(self, folder: Path):
        self.folder = folder
        self.database = f"sqlite+aiosqlite:///{folder / 'licenses.db'}"
        self.secrets = folder / "secrets.json"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def run(self, *args: str) -> str:
        done = subprocess.run([str(SERVICE), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self) -> "LicenseService":
        self.folder.mkdir(parents=True, exist_ok=True)
        self.run("keys", "create", str(self.secrets))
        self.process = subprocess.Popen(
            [str(SERVICE), "serve", "--port", str(self.port), "--secrets-file", str(self.secrets),
             "--database-url", self.database], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(300):  # wait until it listens (not a timing assertion)
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the license service did not start")

    def trusted_keys(self) -> str:
        keys = json.loads(self.run("keys", "show", str(self.secrets)))["keys"]
        return ",".join(f"{kid}={key}" for kid, key in keys.items())

    def app_env(self) -> dict[str, str]:
        """What the app needs to ask this service and trust its leases."""
        return {"JOBDECK_LICENSE_SERVICE": self.url, "JOBDECK_LICENSE_KEYS": self.trusted_keys()}

    def issue(self, plan: str = "pro") -> tuple[str, str]:
        out = self.run("issue", "--secrets-file", str(self.secrets), "--database-url", self.database,
                       "--plan", plan)
        return re.search(r"license (lic_\w+)", out)[1], re.search(r"key: (JDK-[\w-]+)", out)[1]

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.communicate(timeout=30)


def api(page, path: str, method: str = "GET", body: dict | None = None):
    """A call from inside the page: same origin, the session's cookie."""
    return page.evaluate("""async ([path, method, body]) => {
        const init = {method, headers: {"Content-Type": "application/json"}};
        if (body) init.body = JSON.stringify(body);
        const answer = await fetch(path, init);
        return {status: answer.status, body: answer.status === 204 ? null : await answer.json()};
    }""", [path, method, body])


def with_sample_data(page, server: ServerProcess) -> None:
    page.goto(server.login_url())
    assert api(page, "/api/v1/demo", "POST")["status"] == 200


def activate_pro(page, service: LicenseService, plan: str = "pro") -> str:
    """Enter a new key through the app's API; the license id."""
    license_id, key = service.issue(plan)
    answer = api(page, "/api/v1/license", "POST", {"key": key})
    assert answer["body"]["state"] == "ACTIVE", answer
    return license_id
