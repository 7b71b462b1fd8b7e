"""The whole search pipeline through jobspy's real parsers.

Hand-written board responses are replayed at jobspy's one HTTP entry point
inside the real worker process; the runner stores, de-duplicates and reports
what the boards gave, through the API.
"""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.home import prepare_home
from server.settings import load_settings
from tests.conftest import BASE_URL
from tests.replay.scenarios import write_scenario
from tests.test_runs_api import wait_for_run

FIVE = ["indeed", "linkedin", "zip_recruiter", "glassdoor", "google"]


@pytest.fixture
def scrape(tmp_path, monkeypatch) -> Iterator[Any]:
    """Start a run against a named replay scenario with chosen settings; returns the client."""
    clients: list[TestClient] = []

    def start(scenario: str, boards: list[str] = FIVE, search: dict | None = None,
              **overrides: Any) -> tuple[TestClient, dict]:
        monkeypatch.setenv("JOBDECK_TEST_REPLAY", str(write_scenario(scenario, tmp_path / f"{scenario}.json")))
        home = tmp_path / f"home-{scenario}"
        prepare_home(home)
        settings = load_settings({"home": str(home), "port": 8765, "retry_backoff_seconds": 0, **overrides},
                                 environ={}, config_file=home / "none.toml")
        app = create_app(settings)
        client = TestClient(app, base_url=BASE_URL)
        client.__enter__()
        client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
        clients.append(client)
        run = client.post("/api/v1/runs", json={"term": "data analyst", "location": "New York, NY",
                                                "boards": boards, "results": 10, "country": "usa",
                                                **(search or {})})
        assert run.status_code == 201, run.text
        return client, run.json()

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def boards_of(run: dict) -> dict[str, dict]:
    return {board["site"]: board for board in run["boards"]}


def test_every_board_parsed_stored_and_merged(scrape):
    client, run = scrape("ALL_BOARDS_OK")
    done = wait_for_run(client, run["id"])
    assert done["state"] == "done", done
    outcome = boards_of(done)
    for site in FIVE:
        assert outcome[site]["state"] == "done" and outcome[site]["found"] >= 3, outcome[site]
    assert done["new"] == done["found"]

    jobs = client.get("/api/v1/jobs", params={"limit": 200, "facets": "true"}).json()
    assert set(jobs["facets"]["boards"]) == set(FIVE)
    merged = [item for item in jobs["items"] if len(item["boards"]) > 1]
    assert merged, "the same job on two boards must be one row"
    detail = client.get(f"/api/v1/jobs/{merged[0]['id']}").json()
    assert len({source["site"] for source in detail["sources"]}) == len(merged[0]["boards"])
    assert all(source["jobUrl"] for source in detail["sources"])

    # A second run sees the same postings: nothing new, every posting sighted again.
    again = client.post("/api/v1/runs", json={"term": "data analyst", "boards": FIVE, "results": 10}).json()
    second = wait_for_run(client, again["id"])
    assert second["state"] == "done" and second["new"] == 0 and second["found"] == done["found"]


def test_a_rate_limited_board_is_retried_then_reported_blocked_with_advice(scrape):
    client, run = scrape("INDEED_429", board_retries=1)
    done = wait_for_run(client, run["id"])
    outcome = boards_of(done)
    assert outcome["indeed"]["state"] == "blocked"
    assert "proxies" in outcome["indeed"]["error"]
    assert done["state"] == "partial"
    assert all(outcome[site]["state"] == "done" for site in FIVE if site != "indeed")


@pytest.mark.parametrize("scenario", ["INDEED_BLOCKED", "INDEED_CHALLENGE"])
def test_a_block_page_is_reported_blocked_not_as_a_parser_error(scrape, scenario):
    client, run = scrape(scenario, boards=["indeed", "linkedin"], board_retries=1)
    done = wait_for_run(client, run["id"])
    outcome = boards_of(done)
    assert outcome["indeed"]["state"] == "blocked", outcome["indeed"]
    assert "proxies" in outcome["indeed"]["error"]
    assert outcome["linkedin"]["state"] == "done" and done["state"] == "partial"


def test_a_board_blocked_once_succeeds_on_retry(scrape):
    client, run = scrape("INDEED_429_THEN_OK", boards=["indeed"], board_retries=2)
    done = wait_for_run(client, run["id"])
    assert done["state"] == "done" and boards_of(done)["indeed"]["found"] >= 3


def test_connection_resets_fail_each_board_with_its_reason(scrape):
    client, run = scrape("CONNECTION_RESET")
    done = wait_for_run(client, run["id"])
    assert done["state"] == "failed"
    for board in done["boards"]:
        assert board["state"] == "failed" and board["error"] and board["found"] == 0


def test_no_rows_is_the_boards_error_not_zero_jobs(scrape):
    client, run = scrape("ALL_BOARDS_NO_ROWS")
    done = wait_for_run(client, run["id"])
    assert done["state"] == "failed"
    errors = {board["site"]: board["error"] for board in done["boards"]}
    assert all(board["state"] == "failed" and board["found"] == 0 for board in done["boards"])
    assert sum("returned no postings" in error for error in errors.values()) >= 4, errors


def test_a_hung_board_is_stopped_at_its_deadline_and_the_rest_are_kept(scrape):
    client, run = scrape("GOOGLE_HANGS", board_deadline_seconds=4)
    done = wait_for_run(client, run["id"], timeout=90)
    outcome = boards_of(done)
    assert outcome["google"]["state"] == "timeout"
    assert done["state"] == "partial"
    assert client.get("/api/v1/jobs").json()["items"], "the other boards' postings are stored"


def test_cancel_kills_the_worker_and_keeps_what_was_stored(scrape):
    client, run = scrape("GOOGLE_HANGS", boards=["indeed", "google"], board_deadline_seconds=120)
    deadline = time.monotonic() + 60
    while boards_of(client.get(f"/api/v1/runs/{run['id']}").json())["indeed"]["state"] != "done":
        assert time.monotonic() < deadline, "indeed never finished"
        time.sleep(0.1)
    cancelled = client.post(f"/api/v1/runs/{run['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    final = wait_for_run(client, run["id"])
    assert final["state"] == "cancelled"
    assert boards_of(final)["google"]["state"] == "cancelled"
    assert boards_of(final)["indeed"]["found"] >= 3
    assert len(client.get("/api/v1/jobs").json()["items"]) >= 3


def test_pay_in_hong_kong_dollars_is_found_by_the_hkd_filter(scrape):
    # LinkedIn's job page prints "HK$40,000.00/mo"; jobspy passes the symbol through.
    client, run = scrape("ALL_BOARDS_OK", boards=["linkedin"], search={"fetchDescriptions": True})
    assert wait_for_run(client, run["id"])["state"] == "done"
    items = client.get("/api/v1/jobs", params={"currency": "HKD"}).json()["items"]
    assert [item["title"] for item in items] == ["Quant Developer"]
    assert items[0]["salary"] == {"interval": "monthly", "minAmount": 40000.0, "maxAmount": 55000.0,
                                  "currency": "HKD", "annualMin": 480000.0, "annualMax": 660000.0}
    assert client.get("/api/v1/jobs", params={"currency": "HK$"}).status_code == 400


def run_state(client, run_id: int) -> dict:
    return client.get(f"/api/v1/runs/{run_id}").json()


def test_runs_beyond_the_limit_wait_their_turn(scrape):
    client, hung = scrape("GOOGLE_HANGS", boards=["google"], max_concurrent_runs=1,
                          board_deadline_seconds=120)
    waiting, dropped = (client.post("/api/v1/runs", json={"term": "data analyst", "boards": ["indeed"],
                                                          "results": 10}).json() for _ in range(2))
    deadline = time.monotonic() + 60
    while boards_of(run_state(client, hung["id"]))["google"]["state"] != "running":
        assert time.monotonic() < deadline, "the first run never started its board"
        time.sleep(0.1)
    assert run_state(client, waiting["id"])["state"] == "queued"
    assert run_state(client, dropped["id"])["state"] == "queued"

    # A queued run can be cancelled before it starts; it never asks a board.
    assert client.post(f"/api/v1/runs/{dropped['id']}/cancel").json()["state"] == "cancelled"
    assert boards_of(run_state(client, dropped["id"]))["indeed"]["startedAt"] is None
    assert run_state(client, waiting["id"])["state"] == "queued"  # the slot is still taken

    client.post(f"/api/v1/runs/{hung['id']}/cancel")
    done = wait_for_run(client, waiting["id"])
    assert done["state"] == "done" and boards_of(done)["indeed"]["found"] >= 3


def test_memory_is_handed_back_once_no_run_is_going(scrape, monkeypatch):
    from server.db import Database
    from server.scrape import runner

    released: list[str] = []
    release = Database.release_memory

    async def counted(self):
        released.append("caches")
        await release(self)

    monkeypatch.setattr(Database, "release_memory", counted)
    monkeypatch.setattr(runner, "trim", lambda: released.append("heap") or True)
    client, run = scrape("ALL_BOARDS_OK", boards=["indeed", "linkedin"])
    assert wait_for_run(client, run["id"])["state"] == "done"
    deadline = time.monotonic() + 30  # released just after the run's end is stored
    while len(released) < 2:
        assert time.monotonic() < deadline, released
        time.sleep(0.05)
    assert released == ["caches", "heap"]


def test_a_boards_warnings_are_kept_with_its_outcome(scrape):
    # Glassdoor knows about 20 countries; jobspy warns and returns no rows for the others.
    client, run = scrape("ALL_BOARDS_OK", boards=["glassdoor", "indeed"], search={"country": "taiwan"})
    done = wait_for_run(client, run["id"])
    glassdoor = boards_of(done)["glassdoor"]
    assert glassdoor["state"] == "failed" and glassdoor["found"] == 0
    assert glassdoor["warnings"] == ["country_indeed taiwan isn't supported, skipping it"]
    assert glassdoor["error"] == "The board returned no postings: country_indeed taiwan isn't supported, skipping it"
