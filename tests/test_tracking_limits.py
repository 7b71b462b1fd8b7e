"""Free and Pro: 20 active applications on Free, reminders and the funnel on Pro,
and nothing already tracked hidden or locked when a license lapses."""

from __future__ import annotations

import json

from tests.plans import lapse, pro

API = "/api/v1/applications"




def add(client, n: int, **body) -> list[int]:
    ids = []
    for i in range(n):
        response = client.post(API, json={"title": f"Job {i}", **body})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def assert_refused(response, entitlement: str = "tracking.unlimited") -> None:
    assert response.status_code == 402, response.text
    error = response.json()["error"]
    assert error["code"] == "feature_not_in_plan" and error["details"]["entitlement"] == entitlement
    assert error["message"]


def test_free_tracks_twenty_active_applications(client):
    ids = add(client, 20)
    usage = client.get("/api/v1/tracking/usage").json()
    assert (usage["active"], usage["limit"], usage["unlimited"]) == (20, 20, False) and usage["reason"]
    assert_refused(client.post(API, json={"title": "One too many"}))
    # The refusal carries the limit, so the app words it without knowing the plan's numbers.
    assert client.post(API, json={"title": "One too many"}).json()["error"]["details"]["limit"] == 20
    # A closed application does not count, and closing one makes room.
    assert client.post(API, json={"title": "Old rejection", "stage": "rejected"}).status_code == 201
    assert client.post(f"{API}/{ids[0]}/events", json={"stage": "withdrawn"}).status_code == 201
    assert client.post(API, json={"title": "Now it fits"}).status_code == 201
    # Reactivating a closed one past the limit is refused; moving between open stages is not.
    assert_refused(client.post(f"{API}/{ids[0]}/events", json={"stage": "applied"}))
    assert client.post(f"{API}/{ids[1]}/events", json={"stage": "applied"}).status_code == 201
    assert len(client.get(API, params={"active": "true"}).json()) == 20


def test_pro_tracks_more_and_a_lapse_hides_nothing(client, app):
    pro(app)
    ids = add(client, 25)
    assert client.get("/api/v1/tracking/usage").json()["unlimited"] is True
    lapse(app)
    listed = client.get(API).json()
    assert len(listed) == 25 and all(a["active"] for a in listed)
    assert all(client.get(f"{API}/{i}").status_code == 200 for i in ids)
    edited = client.patch(f"{API}/{ids[0]}", json={"notes": "still mine"})
    assert edited.status_code == 200 and edited.json()["notes"] == "still mine"
    assert client.post(f"{API}/{ids[1]}/events", json={"stage": "interviewing"}).status_code == 201
    assert client.post(f"{API}/{ids[2]}/contacts", json={"name": "Kim"}).status_code == 201
    exported = client.get("/api/v1/tracking/export", params={"format": "json"}).json()
    assert len(exported["applications"]) == 25
    assert client.get("/api/v1/tracking/export").text.count("\r\n") >= 26
    assert client.get("/api/v1/tracking/calendar.ics").status_code == 200
    refused = client.post(API, json={"title": "The 26th"})
    assert_refused(refused)
    assert refused.json()["error"]["details"]["reason"] == "offline_too_long"
    assert len(client.get(API).json()) == 25


def test_an_import_past_the_limit_is_refused_whole_on_free_saying_how_much_fits(client):
    add(client, 19)
    rows = "title,status\n" + "".join(f"Imported {i},applied\n" for i in range(3)) + "Closed,rejected\n"
    refused = client.post("/api/v1/tracking/import", json={"content": rows})
    assert_refused(refused)
    error = refused.json()["error"]
    assert {k: error["details"][k] for k in ("limit", "room", "fileActive", "fileClosed", "resumable")} == {
        "limit": 20, "room": 1, "fileActive": 3, "fileClosed": 1, "resumable": False}
    assert "3 active applications" in error["message"] and "room for 1 more" in error["message"]
    assert len(client.get(API).json()) == 19
    closed_only = "title,status\nClosed 1,rejected\nClosed 2,ghosted\n"
    assert client.post("/api/v1/tracking/import", json={"content": closed_only}).json()["imported"] == 2


def restore_file(active: int, closed: int) -> str:
    """A JobDeck JSON export: every application keeps the client id it was made with."""
    apps = [{"clientId": f"restore-{i:04d}", "title": f"Kept {i}", "stage": "applied"} for i in range(active)]
    apps += [{"clientId": f"closed-{i:04d}", "title": f"Over {i}", "stage": "rejected"} for i in range(closed)]
    return json.dumps({"format": "jobdeck-applications", "version": 1, "applications": apps})


def test_restoring_an_export_on_free_takes_what_fits_and_the_rest_later_on_pro(client, app):
    add(client, 5)
    content = restore_file(25, 3)
    refused = client.post("/api/v1/tracking/import", json={"content": content, "format": "json"})
    assert_refused(refused)
    assert (refused.json()["error"]["details"]["room"], refused.json()["error"]["details"]["resumable"]) == (15, True)
    assert len(client.get(API).json()) == 5  # refused whole: nothing stored

    # The user takes the offer: the first 15 active ones in the file's order and every closed one.
    taken = client.post("/api/v1/tracking/import", json={"content": content, "format": "json", "overLimit": "skip"})
    assert taken.status_code == 200, taken.text
    assert taken.json() == {"imported": 18, "skipped": 0, "active": 15, "overLimit": 10}
    assert client.get("/api/v1/tracking/usage").json()["active"] == 20  # never past Free's limit
    titles = {a["title"] for a in client.get(API).json()}
    assert {f"Kept {i}" for i in range(15)} <= titles and not {f"Kept {i}" for i in range(15, 25)} & titles
    # At the limit, only closed ones still go in; an unknown choice is a 400.
    again = client.post("/api/v1/tracking/import", json={"content": content, "format": "json", "overLimit": "skip"})
    assert again.json() == {"imported": 0, "skipped": 18, "active": 0, "overLimit": 10}
    bad = client.post("/api/v1/tracking/import", json={"content": content, "format": "json", "overLimit": "all"})
    assert bad.status_code == 400

    # On Pro the same file adds only the ten left out, and a lapse hides none of them.
    pro(app)
    rest = client.post("/api/v1/tracking/import", json={"content": content, "format": "json"}).json()
    assert rest == {"imported": 10, "skipped": 18, "active": 10, "overLimit": 0}
    lapse(app)
    assert len(client.get(API).json()) == 33 and client.get("/api/v1/tracking/usage").json()["active"] == 30


def test_reminders_and_the_funnel_need_pro(client, app):
    for path in ("/api/v1/tracking/reminders", "/api/v1/tracking/funnel"):
        assert_refused(client.get(path), "tracking.reminders")
    pro(app)
    for path in ("/api/v1/tracking/reminders", "/api/v1/tracking/funnel"):
        assert client.get(path).status_code == 200


def test_reopening_a_closed_stage_cannot_lift_free_past_twenty(client, app):
    ids = add(client, 20)
    for app_id in ids[:5]:
        assert client.post(f"{API}/{app_id}/events", json={"stage": "rejected"}).status_code == 201
    add(client, 5)
    stages = client.get("/api/v1/tracking/stages").json()["stages"]
    reopened = [{**s, "terminal": False} if s["key"] == "rejected" else s for s in stages]
    assert_refused(client.put("/api/v1/tracking/stages", json={"stages": reopened}))
    # Refused whole: the stage stays closed and the five stay out of the count.
    assert client.get("/api/v1/tracking/stages").json()["stages"] == stages
    assert client.get("/api/v1/tracking/usage").json()["active"] == 20
    # Edits that open nothing pass at the limit, and on Pro the same change passes.
    renamed = [{**s, "label": "Turned down"} if s["key"] == "rejected" else s for s in stages]
    assert client.put("/api/v1/tracking/stages", json={"stages": renamed}).status_code == 200
    pro(app)
    reopened = [{**s, "terminal": False} if s["key"] == "rejected" else s for s in renamed]
    assert client.put("/api/v1/tracking/stages", json={"stages": reopened}).status_code == 200
    assert client.get("/api/v1/tracking/usage").json()["active"] == 25
    # After a lapse, the 25 stay active and the stages can still be renamed.
    lapse(app)
    assert len(client.get(API, params={"active": "true"}).json()) == 25
    relabelled = [{**s, "label": "No"} if s["key"] == "rejected" else s for s in reopened]
    assert client.put("/api/v1/tracking/stages", json={"stages": relabelled}).status_code == 200
