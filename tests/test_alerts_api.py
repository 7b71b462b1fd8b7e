"""Saved-search alerts: the toggle (Pro, validated), the scheduler on an
injected clock running due searches through replayed boards, alerts raised,
listed and read, and what a lapse, a failure or a busy search does."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from litestar.testing import TestClient

from server.alerts import SPACING_SECONDS, START_DELAY_SECONDS
from server.app import create_app
from server.home import prepare_home
from server.settings import load_settings
from tests.conftest import BASE_URL
from tests.plans import lapse, pro
from tests.replay.scenarios import write_scenario
from tests.test_runs_api import wait_for_run

HOUR = 3600
PARAMS = {"term": "data analyst", "location": "New York, NY", "boards": ["indeed", "linkedin"],
          "results": 10, "country": "usa"}


class Clock:
    """The scheduler's time, moved by the test."""

    def __init__(self) -> None:
        self.at = float(int(time.time()))

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds




class Desk:
    """One app on an injected alert clock, its client, and ways to drive its scheduler."""

    def __init__(self, home: Path, clock: Clock) -> None:
        prepare_home(home)
        settings = load_settings({"home": str(home), "port": 8765, "retry_backoff_seconds": 0, "board_retries": 0},
                                 environ={}, config_file=home / "none.toml")
        self.clock = clock
        self.app = create_app(settings, alert_clock=clock)
        self.client = TestClient(self.app, base_url=BASE_URL)
        self.client.__enter__()
        self.client.headers["Authorization"] = f"Bearer {self.app.state.internal_secret}"
        self.scheduler = self.app.state.alerts
        self.seen_runs = self.run_ids()

    def run_ids(self) -> set[int]:
        return {run["id"] for run in self.client.get("/api/v1/runs", params={"limit": 200}).json()}

    def tick(self) -> list[int]:
        """Check now; the runs started since the last check. The server's own loop may
        have started one first (a schedule change wakes it): both count, as the user sees."""
        self.client.blocking_portal.call(self.scheduler.tick)
        started, self.seen_runs = self.run_ids() - self.seen_runs, self.run_ids()
        return sorted(started)

    def settle(self) -> None:
        """Until every alert run started has ended and been concluded."""
        self.client.blocking_portal.call(self.scheduler.wait_idle)

    def save(self, name: str, params: dict[str, Any] = PARAMS) -> dict:
        response = self.client.post("/api/v1/searches", json={"name": name, "params": params})
        assert response.status_code == 201, response.text
        return response.json()

    def alert(self, search_id: int, every_hours: int = 6, enabled: bool = True):
        return self.client.put(f"/api/v1/searches/{search_id}/alert",
                               json={"everyHours": every_hours, "enabled": enabled})

    def search(self, search_id: int) -> dict:
        return self.client.get(f"/api/v1/searches/{search_id}").json()

    def close(self) -> None:
        if self.client is not None:
            self.client.__exit__(None, None, None)
            self.client = None


@pytest.fixture
def desks(tmp_path, monkeypatch) -> Iterator[Any]:
    """desk(scenario): an app whose scrape workers answer from a replay scenario
    (None: no replay, so every board fails as it would offline)."""
    opened: list[Desk] = []

    def open_desk(scenario: str | None = "ALL_BOARDS_OK", home: Path | None = None,
                  clock: Clock | None = None) -> Desk:
        if scenario:
            monkeypatch.setenv("JOBDECK_TEST_REPLAY", str(write_scenario(scenario, tmp_path / f"{scenario}.json")))
        else:
            monkeypatch.delenv("JOBDECK_TEST_REPLAY", raising=False)
        desk = Desk(home or tmp_path / "home", clock or Clock())
        opened.append(desk)
        return desk

    yield open_desk
    for desk in opened:
        desk.close()


def assert_refused(response) -> None:
    assert response.status_code == 402, response.text
    error = response.json()["error"]
    assert error["code"] == "feature_not_in_plan" and error["details"]["entitlement"] == "alerts"
    assert "Pro" in error["message"]


# -- the toggle ------------------------------------------------------------------

def test_free_cannot_turn_an_alert_on_but_can_turn_it_off(client):
    search = client.post("/api/v1/searches", json={"name": "Nurses", "params": PARAMS}).json()
    assert search["alert"] is None
    assert_refused(client.put(f"/api/v1/searches/{search['id']}/alert", json={"everyHours": 24}))
    assert client.get(f"/api/v1/searches/{search['id']}").json()["alert"] is None
    off = client.put(f"/api/v1/searches/{search['id']}/alert", json={"everyHours": 24, "enabled": False})
    assert off.status_code == 200, off.text
    assert off.json()["alert"]["enabled"] is False and off.json()["alert"]["nextDueAt"] is None


@pytest.mark.parametrize("body, where", [
    ({"everyHours": 1}, "everyHours must be one of 6, 12, 24, 168"),
    ({"everyHours": 0, "enabled": False}, "everyHours must be one of"),
    ({"everyHours": "daily"}, "everyHours"),
    ({}, "everyHours"),
    ({"everyHours": 6, "sound": True}, "sound"),
    ({"everyHours": 6, "enabled": "yes"}, "enabled"),
])
def test_bad_alert_choices_are_400s_naming_the_field(client, body, where):
    search = client.post("/api/v1/searches", json={"name": "x", "params": PARAMS}).json()
    response = client.put(f"/api/v1/searches/{search['id']}/alert", json=body)
    assert response.status_code == 400, response.text
    assert where in response.json()["error"]["message"]


def test_unknown_searches_and_alerts_are_404s(client):
    assert client.put("/api/v1/searches/999/alert", json={"everyHours": 6}).status_code == 404
    assert client.get("/api/v1/alerts/999").status_code == 404
    assert client.post("/api/v1/alerts/999/read").status_code == 404
    for bad in ({"limit": 0}, {"limit": 201}, {"before": 0}, {"before": "x"}):
        response = client.get("/api/v1/alerts", params=bad)
        assert response.status_code == 400 and next(iter(bad)) in response.json()["error"]["message"]
    assert client.get("/api/v1/alerts").json() == {"items": [], "unread": 0, "nextBefore": None}


# -- the scheduler -----------------------------------------------------------------

def test_a_due_search_is_rerun_and_its_new_jobs_raise_one_alert(desks):
    desk = desks()
    pro(desk.app)
    watched, other = desk.save("Analysts"), desk.save("Not watched")
    events = desk.app.state.broker.subscribe()

    on = desk.alert(watched["id"], every_hours=6)
    assert on.status_code == 200, on.text
    assert on.json()["alert"]["enabled"] is True and on.json()["alert"]["everyHours"] == 6
    desk.tick()  # due at once: the first check runs now (the loop may have started it already)
    desk.settle()

    first = desk.search(watched["id"])
    assert first["runs"] == 1 and first["lastRun"]["state"] == "done" and first["newInLastRun"] > 0
    assert first["alert"]["lastRunId"] == first["lastRun"]["id"] and first["alert"]["failures"] == 0
    assert desk.search(other["id"])["runs"] == 0  # no alert on it: never run

    page = desk.client.get("/api/v1/alerts").json()
    assert page["unread"] == 1 and len(page["items"]) == 1
    alert = page["items"][0]
    assert alert["searchId"] == watched["id"] and alert["searchName"] == "Analysts"
    assert alert["runId"] == first["lastRun"]["id"] and alert["newPostings"] == first["lastRun"]["new"]
    # New jobs, not postings: one of the replayed jobs is listed on two boards.
    assert alert["jobs"] == first["newInLastRun"] == first["lastRun"]["new"] - 1
    assert alert["read"] is False and alert["jobs"] > 0

    published = []
    while not events._queue.empty():
        published.append(events._queue.get_nowait())
    created = [data for name, data in published if name == "alert.created"]
    assert created == [{**alert, "unread": 1}]

    # The alert opens on exactly the jobs first seen in that run, all of them in the store.
    detail = desk.client.get(f"/api/v1/alerts/{alert['id']}").json()
    assert len(detail["jobs"]) == alert["jobs"]
    stored = {job["id"] for job in desk.client.get("/api/v1/jobs", params={"limit": 200}).json()["items"]}
    assert {job["id"] for job in detail["jobs"]} == stored

    # A job hidden, and a company blocked, since: the count and the list leave both out alike.
    hidden, *rest = detail["jobs"]
    desk.client.patch(f"/api/v1/jobs/{hidden['id']}", json={"status": "hidden"})
    blocked = next(job["company"] for job in rest if job["company"])
    desk.client.patch("/api/v1/preferences", json={"companyBlocklist": [blocked.upper()]})
    shown = desk.client.get(f"/api/v1/alerts/{alert['id']}").json()
    listed = desk.client.get("/api/v1/alerts").json()["items"][0]
    assert listed["jobs"] == shown["alert"]["jobs"] == len(shown["jobs"])
    assert hidden["id"] not in {job["id"] for job in shown["jobs"]}
    assert blocked not in {job["company"] for job in shown["jobs"]}
    assert len(shown["jobs"]) < alert["jobs"] - 1
    desk.client.patch("/api/v1/preferences", json={"companyBlocklist": []})

    # Not due again until six hours after that run started.
    desk.clock.advance(6 * HOUR - 1)
    assert desk.tick() == []
    desk.clock.advance(1)
    again = desk.tick()
    assert len(again) == 1
    desk.settle()
    second = desk.search(watched["id"])
    assert second["runs"] == 2 and second["lastRun"]["id"] == again[0] and second["newInLastRun"] == 0
    # The same postings again: nothing new, no second alert.
    assert desk.client.get("/api/v1/alerts").json()["unread"] == 1

    # Read: the count drops; reading twice is harmless.
    assert desk.client.post(f"/api/v1/alerts/{alert['id']}/read").json() == {"unread": 0}
    assert desk.client.post(f"/api/v1/alerts/{alert['id']}/read").json() == {"unread": 0}
    assert desk.client.get("/api/v1/alerts").json()["items"][0]["read"] is True
    assert desk.client.get("/api/v1/alerts", params={"unread_only": "true"}).json()["items"] == []

    # Turned off: never due again.
    desk.alert(watched["id"], enabled=False)
    desk.clock.advance(30 * 24 * HOUR)
    assert desk.tick() == []
    assert desk.search(watched["id"])["runs"] == 2


def test_a_lapsed_license_skips_alert_runs_with_its_reason_and_keeps_everything(desks):
    desk = desks()
    pro(desk.app)
    search = desk.save("Analysts")
    desk.alert(search["id"], every_hours=12)
    desk.tick()
    desk.settle()
    assert desk.client.get("/api/v1/alerts").json()["unread"] == 1

    lapse(desk.app)
    desk.clock.advance(12 * HOUR)
    assert desk.tick() == []
    skipped = desk.search(search["id"])
    assert skipped["runs"] == 1
    assert skipped["alert"]["enabled"] is True and skipped["alert"]["skippedReason"] == "offline_too_long"
    # Nothing is taken away: the search, its alert setting and its alerts stay readable.
    assert len(desk.client.get("/api/v1/alerts").json()["items"]) == 1
    assert desk.client.get(f"/api/v1/alerts/{desk.client.get('/api/v1/alerts').json()['items'][0]['id']}").status_code == 200
    assert_refused(desk.alert(search["id"], every_hours=24))
    assert desk.alert(search["id"], enabled=False).status_code == 200

    # Back on Pro and turned on again: due at once, and the reason is gone.
    pro(desk.app)
    assert desk.alert(search["id"], every_hours=12).json()["alert"]["skippedReason"] is None
    assert len(desk.tick()) == 1
    desk.settle()
    assert desk.search(search["id"])["runs"] == 2


def test_skipped_alerts_are_due_again_once_the_license_allows_them(desks):
    desk = desks(scenario=None)
    pro(desk.app)
    search = desk.save("Analysts")
    desk.alert(search["id"], every_hours=24)
    desk.tick()
    desk.settle()
    lapse(desk.app)
    desk.clock.advance(48 * HOUR)
    assert desk.tick() == []
    assert desk.search(search["id"])["alert"]["skippedReason"] == "offline_too_long"

    # A license change that still does not allow alerts changes nothing.
    desk.app.state.broker.publish("license.changed", {})
    assert desk.tick() == []
    pro(desk.app)
    desk.app.state.broker.publish("license.changed", {})  # as the license client does on renewal
    desk.client.blocking_portal.call(_resumed, desk.app.state.database, search["id"])
    assert len(desk.tick()) == 1  # due now, not a day later
    desk.settle()


async def _resumed(db, search_id: int) -> None:
    """Let the server's tasks run until the skipped alert is resumed (bounded, on the server's loop)."""
    import asyncio

    from server.db.alerts import get_schedule

    for _ in range(1000):
        if (await db.run_read(get_schedule, search_id))["skipped_reason"] is None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the skipped alert was never resumed")


def test_a_failed_alert_run_is_recorded_and_retried_a_period_later_then_less_often(desks):
    desk = desks(scenario=None)  # every board unreachable, as offline
    pro(desk.app)
    search = desk.save("Analysts")
    desk.alert(search["id"], every_hours=6)
    started = desk.clock.at
    desk.tick()
    desk.settle()
    failed = desk.search(search["id"])
    assert failed["lastRun"]["state"] == "failed"
    assert failed["alert"]["failures"] == 1 and "only loopback is allowed" in failed["alert"]["lastError"]
    assert failed["alert"]["nextDueAt"] == _iso(started + 6 * HOUR)
    assert desk.client.get("/api/v1/alerts").json()["items"] == []

    desk.clock.advance(6 * HOUR - 1)
    assert desk.tick() == []
    desk.clock.advance(1)
    assert len(desk.tick()) == 1
    desk.settle()
    # A second failure in a row waits two periods.
    twice = desk.search(search["id"])["alert"]
    assert twice["failures"] == 2 and twice["nextDueAt"] == _iso(desk.clock.at + 12 * HOUR)


def test_never_two_runs_of_one_saved_search_at_once(desks, tmp_path):
    desk = desks()
    pro(desk.app)
    search = desk.save("Analysts")
    # The user's own run of that search, still going.
    db_path = tmp_path / "home" / "jobdeck.sqlite3"
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO search_runs (search_id, params, state, created_at) VALUES (?, '{}', 'running', ?)",
                     (search["id"], int(time.time())))
    desk.seen_runs = desk.run_ids()
    desk.alert(search["id"])
    assert desk.tick() == []
    assert desk.search(search["id"])["runs"] == 1
    # Nor by hand while one is going (an alert run included).
    refused = desk.client.post(f"/api/v1/searches/{search['id']}/run")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "search_running"
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE search_runs SET state = 'done' WHERE search_id = ?", (search["id"],))
    assert len(desk.tick()) == 1  # once that run has ended
    desk.settle()


def test_overdue_alerts_catch_up_once_spread_out_after_a_restart(desks, tmp_path):
    clock = Clock()
    desk = desks(scenario=None, clock=clock)
    pro(desk.app)
    ids = [desk.save(f"Search {n}")["id"] for n in range(3)]
    for search_id in ids:
        desk.alert(search_id, every_hours=6)
    desk.tick()
    desk.settle()
    before = sum(desk.search(search_id)["runs"] for search_id in ids)
    assert before == 1  # one first check at once; the others wait their turn
    desk.close()

    clock.advance(10 * 24 * HOUR)  # a laptop closed for ten days: forty periods missed
    desk = desks(scenario=None, clock=clock)
    pro(desk.app)
    start = clock.at
    due = sorted(desk.search(search_id)["alert"]["nextDueAt"] for search_id in ids)
    assert due == [_iso(start + START_DELAY_SECONDS + n * SPACING_SECONDS) for n in range(3)]

    assert desk.tick() == []  # nothing in the first moments after start
    clock.advance(START_DELAY_SECONDS)
    assert len(desk.tick()) == 1
    assert desk.tick() == []  # the next one waits its turn even once due
    clock.advance(SPACING_SECONDS)
    assert len(desk.tick()) == 1
    clock.advance(SPACING_SECONDS)
    assert len(desk.tick()) == 1
    desk.settle()
    # Once each, not forty times.
    assert sum(desk.search(search_id)["runs"] for search_id in ids) == before + 3


def _iso(epoch: float) -> str:
    from server.clock import iso

    return iso(int(epoch))


def test_an_alert_run_finding_only_blocked_companies_raises_no_alert(desks, tmp_path):
    seen = desks(home=tmp_path / "first")
    pro(seen.app)
    seen.alert(seen.save("Analysts")["id"])
    seen.tick()
    seen.settle()
    companies = {job["company"] for job in seen.client.get("/api/v1/jobs", params={"limit": 200}).json()["items"]}
    assert len(companies) > 1
    seen.close()

    desk = desks(home=tmp_path / "second")
    pro(desk.app)
    desk.client.patch("/api/v1/preferences", json={"companyBlocklist": sorted(companies)})
    search = desk.save("Analysts")
    desk.alert(search["id"])
    desk.tick()
    desk.settle()
    ran = desk.search(search["id"])
    assert ran["lastRun"]["new"] > 0 and ran["newInLastRun"] == 0  # stored, as by any run, but not shown
    assert desk.client.get("/api/v1/alerts").json() == {"items": [], "unread": 0, "nextBefore": None}
