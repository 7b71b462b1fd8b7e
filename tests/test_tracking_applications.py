"""Applications: from a stored job or by hand, stages as append-only events,
fields, idempotent client ids, the changes feed, configurable stages."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from tests.test_jobs_api import load as load_jobs

API = "/api/v1/applications"


def iso(delta: timedelta = timedelta()) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat(timespec="seconds")


def create(client, **body):
    response = client.post(API, json={"title": "Backend Engineer", "company": "Acme", **body})
    assert response.status_code == 201, response.text
    return response.json()


def move(client, app_id, stage, **body):
    response = client.post(f"{API}/{app_id}/events", json={"stage": stage, **body})
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_a_job_entered_by_hand_starts_saved_with_one_event(client):
    app = create(client, url="https://acme.example/jobs/1", description="Build *APIs*", excitement=4,
                 salaryExpectation=120000, salaryCurrency="USD", salaryInterval="yearly",
                 resumeVersion="backend-v3", source="referral", tags=["python", "remote"],
                 notes="## Why\nGood team", followUpAt=iso(timedelta(days=3)))
    assert app["stage"] == "saved" and app["active"] is True and app["jobId"] is None
    assert [(e["kind"], e["stage"]) for e in app["events"]] == [("stage", "saved")]
    assert app["excitement"] == 4 and app["tags"] == ["python", "remote"] and app["notes"].startswith("## Why")
    assert app["salaryExpectation"] == 120000 and app["salaryCurrency"] == "USD"
    assert app["resumeVersion"] == "backend-v3" and app["description"] == "Build *APIs*"
    assert app["clientId"]  # made by the server when the client sent none
    assert client.get(API).json()[0]["id"] == app["id"]


def test_every_stage_change_is_an_event_and_the_current_stage_is_derived(client):
    app = create(client)
    move(client, app["id"], "applied")
    move(client, app["id"], "screening", note="Recruiter called")
    detail = move(client, app["id"], "interviewing")
    assert detail["stage"] == "interviewing"
    assert [e["stage"] for e in detail["events"]] == ["saved", "applied", "screening", "interviewing"]
    assert detail["events"][2]["note"] == "Recruiter called"
    # A back-dated step joins the history in time order without changing where it stands.
    late = move(client, app["id"], "applied", at=iso(timedelta(days=-2)))
    assert late["stage"] == "interviewing"
    assert [e["stage"] for e in late["events"]] == ["applied", "saved", "applied", "screening", "interviewing"]
    # A dated note is history too; a move to the current stage records nothing.
    noted = client.post(f"{API}/{app['id']}/events", json={"note": "Sent thank-you email"}).json()
    assert noted["events"][-1]["kind"] == "note" and noted["stage"] == "interviewing"
    same = client.post(f"{API}/{app['id']}/events", json={"stage": "interviewing"})
    assert same.status_code == 200 and len(same.json()["events"]) == len(noted["events"])
    # A clock running ahead counts as now.
    ahead = move(client, app["id"], "offer", at=iso(timedelta(days=30)))
    assert datetime.fromisoformat(ahead["events"][-1]["at"]) <= datetime.now(timezone.utc) + timedelta(seconds=2)
    events = client.get(f"{API}/{app['id']}/events").json()
    assert [e["stage"] for e in events if e["kind"] == "stage"][-1] == "offer"


def test_the_history_is_append_only_in_the_database(client, settings):
    app = create(client)
    move(client, app["id"], "applied")
    conn = sqlite3.connect(settings.database_path)
    try:
        for sql in ("UPDATE application_events SET stage = 'offer'", "DELETE FROM application_events"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
    finally:
        conn.close()
    assert [e["stage"] for e in client.get(f"{API}/{app['id']}/events").json()] == ["saved", "applied"]


def test_a_stored_job_becomes_an_application_and_shows_as_applied(client):
    load_jobs(client)
    job = client.get("/api/v1/jobs", params={"q": "nurse"}).json()["items"][0]
    app = create(client, jobId=job["id"], title=None, company=None, stage="applied")
    assert app["jobId"] == job["id"] and app["title"] == "Registered Nurse" and app["company"] == "City Hospital"
    assert app["description"] == "Ward nursing" and app["board"] == "google" and app["stage"] == "applied"
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "applied"
    again = client.post(API, json={"jobId": job["id"]})
    assert again.status_code == 409 and again.json()["error"]["details"] == {"applicationId": app["id"]}
    assert client.post(API, json={"jobId": 987654}).status_code == 404


def test_saving_a_job_leaves_its_status_until_it_is_applied_to(client):
    load_jobs(client)
    job = client.get("/api/v1/jobs", params={"q": "accountant"}).json()["items"][0]
    app = create(client, jobId=job["id"], title=None, company=None)
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "new"
    move(client, app["id"], "applied")
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "applied"


def test_a_replayed_client_id_makes_nothing_twice(client):
    body = {"clientId": "7f9c2ba4-e88f-4a2b-9d0c-1b2c3d4e5f60", "title": "Data Engineer"}
    first = client.post(API, json=body)
    second = client.post(API, json=body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and len(client.get(API).json()) == 1
    app_id = first.json()["id"]
    event = {"clientId": "evt-00000001", "stage": "applied"}
    assert client.post(f"{API}/{app_id}/events", json=event).status_code == 201
    move(client, app_id, "screening")
    replay = client.post(f"{API}/{app_id}/events", json=event)
    assert replay.status_code == 200 and replay.json()["stage"] == "screening"
    assert [e["stage"] for e in replay.json()["events"]] == ["saved", "applied", "screening"]


def test_edits_set_and_clear_fields_and_an_older_offline_edit_loses(client):
    app = create(client, notes="first", excitement=2)
    edited = client.patch(f"{API}/{app['id']}", json={"notes": "second", "excitement": None, "tags": ["a"]}).json()
    assert (edited["notes"], edited["excitement"], edited["tags"]) == ("second", None, ["a"])
    stale = client.patch(f"{API}/{app['id']}", json={"notes": "offline", "editedAt": iso(timedelta(hours=-1))})
    assert stale.status_code == 200 and stale.json()["notes"] == "second"
    assert client.patch(f"{API}/{app['id']}", json={"title": "Staff Engineer"}).json()["title"] == "Staff Engineer"


@pytest.mark.parametrize("body", [
    {"title": ""}, {"excitement": 6}, {"stage": "nope"}, {"salaryCurrency": "dollars"}, {"tags": ["a,b"]},
    {"followUpAt": "2026-01-01T00:00:00"}, {"followUpAt": "0001-01-01T00:00:00Z"}, {"surprise": 1},
    {"clientId": "short"},
])
def test_bad_applications_are_refused_with_a_message(client, body):
    response = client.post(API, json={"title": "Chef", **body})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"]


def test_unknown_ids_are_404(client):
    app = create(client)
    assert client.get(f"{API}/999").status_code == 404
    assert client.patch(f"{API}/999", json={"notes": "x"}).status_code == 404
    assert client.post(f"{API}/999/events", json={"stage": "applied"}).status_code == 404
    assert client.post(f"{API}/{app['id']}/events", json={}).status_code == 400
    assert client.post(f"{API}/{app['id']}/events", json={"stage": "hired"}).status_code == 400


def test_lists_filter_by_stage_activity_text_and_tag(client):
    a = create(client, title="Python Developer", tags=["python"])
    b = create(client, title="Nurse", company="Hospital")
    move(client, b["id"], "rejected")
    assert [x["id"] for x in client.get(API, params={"active": "true"}).json()] == [a["id"]]
    assert [x["id"] for x in client.get(API, params={"active": "false"}).json()] == [b["id"]]
    assert [x["id"] for x in client.get(API, params={"stage": "rejected,offer"}).json()] == [b["id"]]
    assert [x["id"] for x in client.get(API, params={"q": "hosp"}).json()] == [b["id"]]
    assert [x["id"] for x in client.get(API, params={"tag": "python"}).json()] == [a["id"]]


def test_the_changes_feed_returns_what_changed_since_a_cursor(client):
    a = create(client)
    b = create(client, title="Second")
    first = client.get(f"{API}/changes").json()
    assert first["reset"] is True and {x["id"] for x in first["changes"]} == {a["id"], b["id"]}
    assert client.get(f"{API}/changes", params={"since": first["cursor"]}).json()["changes"] == []
    move(client, a["id"], "applied")
    client.post(f"{API}/{b['id']}/contacts", json={"name": "Ann Lee"})
    page = client.get(f"{API}/changes", params={"since": first["cursor"], "limit": 1}).json()
    assert page["more"] is True and page["reset"] is False and page["changes"][0]["id"] == a["id"]
    rest = client.get(f"{API}/changes", params={"since": page["cursor"]}).json()
    assert [x["id"] for x in rest["changes"]] == [b["id"]] and rest["changes"][0]["contacts"][0]["name"] == "Ann Lee"
    assert client.get(f"{API}/changes", params={"since": "nonsense"}).status_code == 400
    assert client.get(f"{API}/changes", params={"since": "otherdb.5"}).json()["reset"] is True


def test_stages_are_configurable_but_a_stage_in_history_stays(client):
    stages = client.get("/api/v1/tracking/stages").json()["stages"]
    assert [s["key"] for s in stages] == ["saved", "applied", "screening", "interviewing", "offer", "accepted",
                                          "rejected", "withdrawn", "ghosted"]
    assert {s["key"] for s in stages if s["terminal"]} == {"accepted", "rejected", "withdrawn", "ghosted"}
    take_home = {"key": "take_home", "label": "Take-home task", "submitted": True, "response": True,
                 "terminal": False}
    changed = [*stages[:3], take_home, *stages[3:]]
    changed[0] = {**changed[0], "label": "Wishlist"}
    put = client.put("/api/v1/tracking/stages", json={"stages": changed})
    assert put.status_code == 200, put.text
    assert [s["key"] for s in put.json()["stages"]][3] == "take_home"
    app = create(client)
    assert move(client, app["id"], "take_home")["stage"] == "take_home"
    without = [s for s in changed if s["key"] != "take_home"]
    refused = client.put("/api/v1/tracking/stages", json={"stages": without})
    assert refused.status_code == 409 and "take_home" in refused.json()["error"]["message"]
    assert client.put("/api/v1/tracking/stages",
                      json={"stages": [s for s in changed if not s["terminal"]]}).status_code == 400
