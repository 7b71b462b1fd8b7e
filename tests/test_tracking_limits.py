"""Free and Pro: 20 active applications on Free, reminders and the funnel on Pro,
and nothing already tracked hidden or locked when a license lapses."""

from __future__ import annotations

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


def test_an_import_past_the_limit_is_refused_whole_on_free(client):
    add(client, 19)
    rows = "title,status\n" + "".join(f"Imported {i},applied\n" for i in range(3)) + "Closed,rejected\n"
    assert_refused(client.post("/api/v1/tracking/import", json={"content": rows}))
    assert len(client.get(API).json()) == 19
    closed_only = "title,status\nClosed 1,rejected\nClosed 2,ghosted\n"
    assert client.post("/api/v1/tracking/import", json={"content": closed_only}).json()["imported"] == 2


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
