"""Contacts and interviews, and interviews as RFC 5545 calendars parsed back."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import icalendar

from server.tracking.calendar import escape, fold

API = "/api/v1/applications"


def application(client, title="Backend Engineer", company="Acme, Inc."):
    response = client.post(API, json={"title": title, "company": company})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_contacts_are_added_edited_and_removed(client):
    app_id = application(client)
    body = {"clientId": "contact-0001", "name": "Ann Lee", "role": "Recruiter", "email": "ann@acme.example",
            "phone": "+1 555 0100", "link": "https://linkedin.example/ann", "notes": "Prefers email"}
    made = client.post(f"{API}/{app_id}/contacts", json=body)
    assert made.status_code == 201, made.text
    assert client.post(f"{API}/{app_id}/contacts", json=body).status_code == 200  # a replay
    contact = made.json()
    assert contact["role"] == "Recruiter" and contact["email"] == "ann@acme.example"
    edited = client.patch(f"{API}/{app_id}/contacts/{contact['id']}", json={"role": "Hiring manager", "phone": None})
    assert edited.json()["role"] == "Hiring manager" and edited.json()["phone"] is None
    assert [c["name"] for c in client.get(f"{API}/{app_id}/contacts").json()] == ["Ann Lee"]
    assert client.delete(f"{API}/{app_id}/contacts/{contact['id']}").status_code == 204
    assert client.get(f"{API}/{app_id}/contacts").json() == []
    assert client.delete(f"{API}/{app_id}/contacts/{contact['id']}").status_code == 404
    assert client.post(f"{API}/999/contacts", json={"name": "X"}).status_code == 404
    assert client.post(f"{API}/{app_id}/contacts", json={"name": ""}).status_code == 400


def test_an_interview_keeps_its_time_zone(client):
    app_id = application(client)
    made = client.post(f"{API}/{app_id}/interviews", json={
        "startsAt": "2030-03-14T14:00:00", "timeZone": "Europe/Berlin", "durationMinutes": 45, "kind": "video",
        "meetingUrl": "https://meet.example/abc", "participants": ["Ann Lee", "Bo Chen"]})
    assert made.status_code == 201, made.text
    interview = made.json()
    assert interview["startsAt"] == "2030-03-14T13:00:00Z" and interview["endsAt"] == "2030-03-14T13:45:00Z"
    assert interview["localStart"] == "2030-03-14T14:00:00" and interview["timeZone"] == "Europe/Berlin"
    # A new zone alone keeps the wall-clock time; an offset in startsAt is taken as given.
    moved = client.patch(f"{API}/{app_id}/interviews/{interview['id']}", json={"timeZone": "America/New_York"})
    assert moved.json()["localStart"] == "2030-03-14T14:00:00" and moved.json()["startsAt"] == "2030-03-14T18:00:00Z"
    exact = client.patch(f"{API}/{app_id}/interviews/{interview['id']}", json={"startsAt": "2030-03-15T09:30:00Z"})
    assert exact.json()["startsAt"] == "2030-03-15T09:30:00Z" and exact.json()["localStart"] == "2030-03-15T05:30:00"
    bad = client.post(f"{API}/{app_id}/interviews", json={"startsAt": "2030-03-14T14:00:00", "timeZone": "Mars/Base"})
    assert bad.status_code == 400 and "time zone" in bad.json()["error"]["message"]
    assert client.get(f"{API}/{app_id}").json()["interviews"][0]["kind"] == "video"
    assert client.delete(f"{API}/{app_id}/interviews/{interview['id']}").status_code == 204
    assert client.get(f"{API}/{app_id}/interviews").json() == []


def ago(minutes: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(minutes=minutes)).isoformat(timespec="seconds")


def test_an_offline_contact_edit_loses_only_the_fields_written_since(client, settings):
    app_id = application(client)
    contact = client.post(f"{API}/{app_id}/contacts", json={"name": "Ann Lee", "role": "Recruiter"}).json()
    url = f"{API}/{app_id}/contacts/{contact['id']}"
    assert client.patch(url, json={"role": "Hiring manager", "editedAt": ago(5)}).json()["role"] == "Hiring manager"
    # Made offline before that edit, replayed after it: the role stays, the untouched email is written.
    late = client.patch(url, json={"role": "Sourcer", "email": "ann@acme.example", "editedAt": ago(10)})
    assert late.status_code == 200
    assert (late.json()["role"], late.json()["email"]) == ("Hiring manager", "ann@acme.example")
    # The same edit replayed changes nothing; a newer one wins.
    assert client.patch(url, json={"role": "Sourcer", "editedAt": ago(10)}).json()["role"] == "Hiring manager"
    assert client.patch(url, json={"role": "Sourcer", "editedAt": ago(1)}).json()["role"] == "Sourcer"
    # Removed on the server: an edit made offline is a 404, a second removal too, and its times go with it.
    assert client.delete(url).status_code == 204
    gone = client.patch(url, json={"role": "Recruiter", "editedAt": ago(1)})
    assert gone.status_code == 404 and "no contact" in gone.json()["error"]["message"]
    assert client.delete(url).status_code == 404
    with sqlite3.connect(settings.database_path) as conn:
        left = conn.execute("SELECT count(*) FROM application_field_times WHERE field LIKE 'contact:%'").fetchone()
    assert left == (0,)


def test_an_offline_interview_edit_loses_only_the_fields_written_since(client):
    app_id = application(client)
    interview = client.post(f"{API}/{app_id}/interviews", json={
        "startsAt": "2030-03-14T14:00:00", "timeZone": "Europe/Berlin", "kind": "video"}).json()
    url = f"{API}/{app_id}/interviews/{interview['id']}"
    assert client.patch(url, json={"kind": "onsite", "editedAt": ago(5)}).json()["kind"] == "onsite"
    late = client.patch(url, json={"kind": "phone", "startsAt": "2030-03-15T10:00:00", "editedAt": ago(10)}).json()
    assert (late["kind"], late["localStart"]) == ("onsite", "2030-03-15T10:00:00")
    assert client.patch(url, json={"notes": "x", "editedAt": "yesterday"}).status_code == 400
    assert client.delete(url).status_code == 204
    assert client.patch(url, json={"kind": "phone", "editedAt": ago(1)}).status_code == 404


def test_an_offline_edit_or_removal_never_lands_on_a_contact_that_took_a_reused_id(client):
    app_id = application(client)
    first = client.post(f"{API}/{app_id}/contacts", json={"name": "Ann Lee"}).json()
    assert first["clientId"]  # given one by the server when the client sent none
    assert client.delete(f"{API}/{app_id}/contacts/{first['id']}").status_code == 204
    second = client.post(f"{API}/{app_id}/contacts", json={"name": "Bo Chen"}).json()
    assert second["id"] == first["id"]  # SQLite hands the freed id out again
    url = f"{API}/{app_id}/contacts/{second['id']}"
    assert client.patch(url, json={"role": "Recruiter", "clientId": first["clientId"]}).status_code == 404
    assert client.delete(url, params={"clientId": first["clientId"]}).status_code == 404
    assert client.delete(url, params={"clientId": "bad id!"}).status_code == 400
    assert client.get(f"{API}/{app_id}/contacts").json()[0]["role"] is None
    assert client.patch(url, json={"role": "Recruiter", "clientId": second["clientId"]}).json()["role"] == "Recruiter"
    assert client.delete(url, params={"clientId": second["clientId"]}).status_code == 204


def test_an_offline_edit_or_removal_never_lands_on_an_interview_that_took_a_reused_id(client):
    app_id = application(client)
    body = {"startsAt": "2030-03-14T14:00:00", "timeZone": "UTC"}
    first = client.post(f"{API}/{app_id}/interviews", json=body).json()
    assert client.delete(f"{API}/{app_id}/interviews/{first['id']}").status_code == 204
    second = client.post(f"{API}/{app_id}/interviews", json=body).json()
    assert second["id"] == first["id"] and second["clientId"] != first["clientId"]
    url = f"{API}/{app_id}/interviews/{second['id']}"
    assert client.patch(url, json={"kind": "phone", "clientId": first["clientId"]}).status_code == 404
    assert client.delete(url, params={"clientId": first["clientId"]}).status_code == 404
    assert client.get(url.rsplit("/", 1)[0]).json()[0]["kind"] is None


def raw_lines(text: str) -> list[bytes]:
    assert text.endswith("\r\n")
    data = text.encode("utf-8")
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    return data.split(b"\r\n")[:-1]


def test_the_calendar_of_upcoming_interviews_parses_back(client):
    app_id = application(client, title="Senior Developer; Platform (Remote)", company="Zürich Ünïcode AG")
    other = application(client, title="Past role")
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)
    notes = "Bring the portfolio, and the references.\nSecond line: a backslash \\ too. " + "Lang " * 40
    client.post(f"{API}/{app_id}/interviews", json={
        "startsAt": soon.isoformat(), "timeZone": "Asia/Taipei", "kind": "onsite", "location": "Floor 3, Room 2",
        "participants": ["Ann Lee", "Bo Chen"], "notes": notes})
    client.post(f"{API}/{other}/interviews", json={"startsAt": "2020-01-01T10:00:00Z"})
    response = client.get("/api/v1/tracking/calendar.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    for line in raw_lines(response.text):
        assert len(line) <= 75, line
    calendar = icalendar.Calendar.from_ical(response.text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # the past interview is not upcoming
    event = events[0]
    assert event.decoded("dtstart") == soon and event.decoded("dtend") == soon + timedelta(hours=1)
    assert str(event["summary"]) == "onsite interview: Senior Developer; Platform (Remote) at Zürich Ünïcode AG"
    assert str(event["location"]) == "Floor 3, Room 2"
    assert notes in str(event["description"]) and "Asia/Taipei" in str(event["description"])
    assert str(event["uid"]).endswith("@jobdeck") and event.get("dtstamp") is not None
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]


def test_one_interview_as_a_calendar_file(client):
    app_id = application(client)
    made = client.post(f"{API}/{app_id}/interviews", json={"startsAt": "2030-06-01T09:00:00", "timeZone": "UTC",
                                                           "meetingUrl": "https://meet.example/x"}).json()
    response = client.get(f"{API}/{app_id}/interviews/{made['id']}/calendar.ics")
    assert response.status_code == 200
    assert 'filename="interview-' in response.headers["content-disposition"]
    event = icalendar.Calendar.from_ical(response.text).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2030, 6, 1, 9, tzinfo=timezone.utc)
    assert str(event["location"]) == "https://meet.example/x"
    assert client.get(f"{API}/{app_id}/interviews/999/calendar.ics").status_code == 404


def test_escaping_and_folding_follow_rfc_5545():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 100)
    pieces = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in pieces) and all(p.startswith(b" ") for p in pieces[1:])
    assert "".join(p.decode("utf-8")[1:] if i else p.decode("utf-8") for i, p in enumerate(pieces)) == \
        "DESCRIPTION:" + "é" * 100
