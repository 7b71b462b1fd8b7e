"""GET/PATCH /api/v1/preferences: validation, all-or-nothing saves, masked proxy
passwords, and the preferences taking effect (blocklist, proxies per run)."""

from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import closing

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.db import preferences as prefs
from server.home import prepare_home
from server.scrape import runner as runner_module
from server.settings import load_settings
from tests.conftest import BASE_URL
from tests.test_jobs_api import load, titles

DEFAULTS = {"defaultBoards": ["indeed", "linkedin"], "defaultCountry": "usa", "defaultResults": 30,
            "proxies": [], "companyBlocklist": [], "language": None, "configBlocklist": [], "configProxies": 0}


def test_defaults_before_anything_is_set(client):
    assert client.get("/api/v1/preferences").json() == DEFAULTS


def test_patch_changes_only_what_it_names_and_null_resets(client):
    body = client.patch("/api/v1/preferences", json={
        "defaultBoards": ["google", "indeed", "google"], "defaultCountry": "  Hong   Kong ",
        "defaultResults": 80, "language": "zh-TW"}).json()
    assert body["defaultBoards"] == ["google", "indeed"]
    assert body["defaultCountry"] == "hong kong" and body["defaultResults"] == 80
    assert body["language"] == "zh-TW"

    body = client.patch("/api/v1/preferences", json={"defaultResults": 15}).json()
    assert body["defaultBoards"] == ["google", "indeed"] and body["defaultResults"] == 15

    body = client.patch("/api/v1/preferences", json={"defaultBoards": None, "language": None}).json()
    assert body["defaultBoards"] == ["indeed", "linkedin"] and body["language"] is None
    assert client.get("/api/v1/preferences").json()["defaultCountry"] == "hong kong"


@pytest.mark.parametrize("body, field", [
    ({"defaultBoards": ["indeed", "monster"]}, "defaultBoards"),
    ({"defaultBoards": []}, "defaultBoards"),
    ({"defaultCountry": "<script>"}, "defaultCountry"),
    ({"defaultCountry": "a"}, "defaultCountry"),
    ({"defaultResults": 0}, "defaultResults"),
    ({"defaultResults": 1001}, "defaultResults"),
    ({"proxies": ["ftp://proxy.example:21"]}, "proxies"),
    ({"proxies": ["proxy.example"]}, "proxies"),
    ({"proxies": ["http://proxy.example:99999"]}, "proxies"),
    ({"proxies": ["http://:8080"]}, "proxies"),
    ({"proxies": ["http://bad_host!:8080"]}, "proxies"),
    ({"proxies": ["http://proxy.example:8080/path"]}, "proxies"),
    ({"proxies": ["http://proxy example:8080"]}, "proxies"),
    ({"proxies": [f"http://p{i}.example:8080" for i in range(prefs.MAX_PROXIES + 1)]}, "proxies"),
    ({"companyBlocklist": ["x" * 201]}, "companyBlocklist"),
    ({"companyBlocklist": [f"Company {i}" for i in range(prefs.MAX_BLOCKLIST + 1)]}, "companyBlocklist"),
    ({"language": "fr"}, "language"),
])
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(client, body, field):
    # A valid change in the same request must not be saved either.
    response = client.patch("/api/v1/preferences", json={"defaultResults": 99, **body})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["message"].startswith(f"{field}:") and error["details"] == {"field": field}
    assert client.get("/api/v1/preferences").json() == DEFAULTS


@pytest.mark.parametrize("body", [{"surprise": 1}, {"defaultResults": "many"}, {"proxies": "http://p:1"}])
def test_wrong_shapes_are_400s(client, body):
    response = client.patch("/api/v1/preferences", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_proxies_are_normalised_and_their_passwords_never_shown(client, caplog):
    caplog.set_level(logging.DEBUG)
    body = client.patch("/api/v1/preferences", json={"proxies": [
        "user:s3cret@10.0.0.1:3128", "", "  SOCKS5://proxy.example:1080  ", "https://[::1]:8443",
        "http://10.0.0.1:3128"]}).json()
    assert body["proxies"] == ["http://user:***@10.0.0.1:3128", "socks5://proxy.example:1080",
                               "https://[::1]:8443", "http://10.0.0.1:3128"]
    assert "s3cret" not in client.get("/api/v1/preferences").text
    # Sent back masked, unchanged: the stored password is kept.
    body = client.patch("/api/v1/preferences", json={"proxies": body["proxies"][:2]}).json()
    assert body["proxies"] == ["http://user:***@10.0.0.1:3128", "socks5://proxy.example:1080"]
    with closing(sqlite3.connect(client.app.state.database.path)) as conn:
        stored = conn.execute("SELECT value FROM preferences WHERE key = 'proxies'").fetchone()[0]
    assert "user:s3cret@10.0.0.1:3128" in stored
    # A masked password for a proxy not stored cannot be guessed; the message names the line, not the text.
    response = client.patch("/api/v1/preferences", json={"proxies": ["", "http://user:***@10.0.0.2:3128"]})
    assert response.status_code == 400
    assert "line 2" in response.json()["error"]["message"]
    bad = client.patch("/api/v1/preferences", json={"proxies": ["ftp://user:hunter2@proxy.example:21"]})
    assert bad.status_code == 400 and "hunter2" not in bad.text
    assert "s3cret" not in caplog.text and "hunter2" not in caplog.text


def test_redact_proxy():
    assert prefs.redact_proxy("http://u:p@h.example:1") == "http://u:***@h.example:1"
    assert prefs.redact_proxy("u:p@h.example:1") == "http://u:***@h.example:1"
    assert prefs.redact_proxy("http://h.example:1") == "http://h.example:1"


def test_blocklist_is_trimmed_and_deduplicated_ignoring_case(client):
    body = client.patch("/api/v1/preferences", json={
        "companyBlocklist": ["  Blocked   Corp ", "blocked corp", "", "BLOCKED CORP", "Beta Labs"]}).json()
    assert body["companyBlocklist"] == ["Blocked Corp", "Beta Labs"]


def test_the_blocklist_preference_hides_jobs_together_with_the_config_file(tmp_path):
    home = tmp_path / "home"
    settings = load_settings({"home": str(home), "port": 8765, "company_blocklist": ["City Hospital"]},
                             environ={}, config_file=tmp_path / "none.toml")
    prepare_home(home)
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
        load(client)
        assert client.get("/api/v1/preferences").json()["configBlocklist"] == ["City Hospital"]
        everything = titles(client.get("/api/v1/jobs"))
        assert "Accountant" in everything and "Registered Nurse" not in everything

        client.patch("/api/v1/preferences", json={"companyBlocklist": ["blocked corp"]})
        now_shown = titles(client.get("/api/v1/jobs"))
        assert "Accountant" not in now_shown and "Registered Nurse" not in now_shown
        assert "Accountant" not in titles(client.get("/api/v1/jobs", params={"q": "python"}))

        client.patch("/api/v1/preferences", json={"companyBlocklist": []})
        assert "Accountant" in titles(client.get("/api/v1/jobs"))


def test_effective_values():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE preferences (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL)")
    assert prefs.effective_proxies(conn, ["http://config:1"]) == ["http://config:1"]
    assert prefs.effective_blocklist(conn, ["Acme", "acme "]) == ["Acme"]
    prefs.write_preferences(conn, {"proxies": ["http://mine:2"], "company_blocklist": ["ACME", "Beta"]}, 1)
    assert prefs.effective_proxies(conn, ["http://config:1"]) == ["http://mine:2"]
    assert prefs.effective_blocklist(conn, ["Acme"]) == ["Acme", "Beta"]
    prefs.write_preferences(conn, {"proxies": None}, 2)
    assert prefs.effective_proxies(conn, ["http://config:1"]) == ["http://config:1"]
    conn.close()


def test_each_run_uses_the_proxies_set_at_its_start(client, monkeypatch):
    seen: list[list[str]] = []
    real = runner_module.WorkerRequest

    def spy(**fields):
        seen.append(list(fields["proxies"]))
        return real(**fields)

    monkeypatch.setattr(runner_module, "WorkerRequest", spy)

    def run_once() -> None:
        run = client.post("/api/v1/runs", json={"term": "python", "boards": ["indeed"]}).json()
        deadline = time.monotonic() + 60
        while client.get(f"/api/v1/runs/{run['id']}").json()["state"] in ("queued", "running"):
            assert time.monotonic() < deadline, "the run did not finish"
            time.sleep(0.1)

    run_once()
    client.patch("/api/v1/preferences", json={"proxies": ["http://127.0.0.1:9"]})
    run_once()
    assert seen == [[], ["http://127.0.0.1:9"]]
