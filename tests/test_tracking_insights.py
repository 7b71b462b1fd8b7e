"""Reminders (follow-ups, interviews, ghost suggestions) and the funnel, on Pro."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.home import prepare_home
from server.settings import SettingsError, load_settings
from tests.conftest import BASE_URL, TEST_PORT
from tests.test_tracking_limits import pro

API = "/api/v1/applications"
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def at(days: float) -> str:
    return (NOW + timedelta(days=days)).isoformat()


def create(client, **body) -> int:
    response = client.post(API, json={"title": "Engineer", **body})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def quiet_import(client, days_ago: int) -> None:
    day = (NOW - timedelta(days=days_ago)).date().isoformat()
    rows = f"title,status,date saved,date applied\nQuiet,applied,{day},{day}\nNever sent,wishlist,{day},\n"
    assert client.post("/api/v1/tracking/import", json={"content": rows}).json()["imported"] == 2


def test_follow_ups_due_and_coming_and_interviews_coming(client, app):
    pro(app)
    due = create(client, followUpAt=at(-1))
    soon = create(client, followUpAt=at(3))
    create(client, followUpAt=at(30))
    closed = create(client, followUpAt=at(-2), stage="rejected")
    client.post(f"{API}/{soon}/interviews", json={"startsAt": at(5), "timeZone": "UTC"})
    reminders = client.get("/api/v1/tracking/reminders", params={"days": 14}).json()
    assert [r["applicationId"] for r in reminders["due"]] == [due]
    assert [r["applicationId"] for r in reminders["upcoming"]] == [soon]
    assert closed not in [r["applicationId"] for r in reminders["due"]]
    assert [i["applicationId"] for i in reminders["interviews"]] == [soon]
    assert client.get("/api/v1/tracking/reminders", params={"days": 0}).status_code == 400


def test_a_quiet_application_is_suggested_as_ghosted_never_moved(client, app):
    pro(app)
    quiet_import(client, 40)
    create(client, stage="applied")  # active today: not quiet
    reminders = client.get("/api/v1/tracking/reminders").json()
    assert reminders["ghostAfterDays"] == 21
    [suggestion] = reminders["ghosted"]
    assert suggestion["title"] == "Quiet" and suggestion["suggestedStage"] == "ghosted"
    assert suggestion["idleDays"] >= 39 and suggestion["stage"] == "applied"
    assert client.get(f"{API}/{suggestion['applicationId']}").json()["stage"] == "applied"
    # Any activity resets the clock.
    client.post(f"{API}/{suggestion['applicationId']}/events", json={"note": "Chased by email"})
    assert client.get("/api/v1/tracking/reminders").json()["ghosted"] == []


def test_the_ghost_delay_is_a_setting(tmp_path):
    settings = load_settings({"home": str(tmp_path / "h"), "port": TEST_PORT, "open_browser": False,
                              "ghost_after_days": 60}, environ={}, config_file=tmp_path / "none.toml")
    prepare_home(settings.home_path)
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
        pro(app)
        quiet_import(client, 40)
        reminders = client.get("/api/v1/tracking/reminders").json()
        assert reminders["ghostAfterDays"] == 60 and reminders["ghosted"] == []
    with pytest.raises(SettingsError, match="ghost_after_days"):
        load_settings({"home": str(tmp_path / "h"), "ghost_after_days": 0}, environ={},
                      config_file=tmp_path / "none.toml")


def test_the_funnel_flags_figures_from_too_few_applications(client, app):
    pro(app)
    for _ in range(3):
        create(client, stage="applied", source="linkedin")
    funnel = client.get("/api/v1/tracking/funnel").json()
    assert funnel["minSample"] == 5 and funnel["submitted"] == 3
    rate = funnel["responseBySource"][0]["responseRate"]
    assert rate == {"value": None, "n": 3, "tooFew": True}
    assert all(c["rate"]["value"] is None and c["rate"]["tooFew"] for c in funnel["conversion"])


def test_the_funnel_gives_figures_from_enough_applications(client, app):
    pro(app)
    start = -20
    ids = [create(client, stage="applied", at=at(start), source="linkedin") for _ in range(6)]
    for app_id, days in zip(ids[:3], (2, 4, 6)):
        client.post(f"{API}/{app_id}/events", json={"stage": "screening", "at": at(start + days)})
    for app_id in ids[3:5]:
        client.post(f"{API}/{app_id}/events", json={"stage": "rejected", "at": at(start + 1)})
    create(client, stage="applied", at=at(start), source="referral")
    funnel = client.get("/api/v1/tracking/funnel").json()
    assert funnel["applications"] == 7 and funnel["submitted"] == 7
    assert sum(w["applications"] for w in funnel["perWeek"]) == 7
    by_source = {g["key"]: g["responseRate"] for g in funnel["responseBySource"]}
    assert by_source["linkedin"] == {"value": round(5 / 6, 3), "n": 6, "tooFew": False}
    assert by_source["referral"] == {"value": None, "n": 1, "tooFew": True}
    assert {g["key"] for g in funnel["responseByBoard"]} == {"manual"}
    conversion = {(c["fromStage"], c["toStage"]): c["rate"] for c in funnel["conversion"]}
    assert conversion[("saved", "applied")] == {"value": 1.0, "n": 7, "tooFew": False}
    assert conversion[("applied", "screening")] == {"value": round(3 / 7, 3), "n": 7, "tooFew": False}
    assert conversion[("screening", "interviewing")] == {"value": None, "n": 3, "tooFew": True}
    times = {t["stage"]: t["medianDays"] for t in funnel["timeInStage"]}
    assert times["applied"] == {"value": 2.0, "n": 5, "tooFew": False}
    assert times["screening"]["tooFew"] is True
