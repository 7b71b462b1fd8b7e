"""GET /api/v1/sync and POST /api/v1/sync/mutations: the offline replica's API."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.test_jobs_api import ROWS, load


def pull(client, since=None, limit=None):
    params = {k: v for k, v in (("since", since), ("limit", limit)) if v is not None}
    response = client.get("/api/v1/sync", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def pull_all(client, since=None, limit=None):
    changes, deleted, pages = {}, set(), 0
    while True:
        page = pull(client, since, limit)
        pages += 1
        for item in page["changes"]:
            changes[item["id"]] = item
            deleted.discard(item["id"])
        for gone in page["deleted"]:
            changes.pop(gone, None)
            deleted.add(gone)
        since = page["cursor"]
        if not page["more"]:
            return changes, deleted, since, pages


def when(seconds_from_now=0.0):
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)).isoformat()


def mutation(job_id, field, value, at=None, mid=None):
    return {"id": mid or str(uuid.uuid4()), "jobId": job_id, "field": field, "value": value, "at": at or when()}


def send(client, *mutations):
    response = client.post("/api/v1/sync/mutations", json={"mutations": list(mutations)})
    assert response.status_code == 200, response.text
    return response.json()


def test_first_sync_has_every_job_in_the_list_shape_plus_its_description(client):
    load(client)
    page = pull(client)
    assert page["reset"] is True and page["more"] is False and page["deleted"] == []
    listed = client.get("/api/v1/jobs", params={"limit": 200, "status": "new"}).json()["items"]
    assert {c["id"] for c in page["changes"]} == {item["id"] for item in listed}
    synced = {c["id"]: c for c in page["changes"]}
    for item in listed:  # every list field, the same value
        assert {k: synced[item["id"]][k] for k in item} == item
    senior = next(c for c in page["changes"] if c["title"] == "Senior Python Developer")
    assert senior["description"].startswith("Django") and senior["changeSeq"] > 0
    assert senior["site"] in ("indeed", "linkedin") and senior["firstSeen"].endswith("Z")


def test_changes_since_a_cursor_are_only_what_changed(client):
    load(client)
    _, _, cursor, _ = pull_all(client)
    assert pull(client, cursor)["changes"] == []
    job_id = pull(client)["changes"][0]["id"]
    client.patch(f"/api/v1/jobs/{job_id}", json={"status": "saved"})
    page = pull(client, cursor)
    assert page["reset"] is False
    assert [(c["id"], c["status"]) for c in page["changes"]] == [(job_id, "saved")]
    assert page["changes"][0]["changeSeq"] > int(cursor.split(".")[1])


def test_deletions_arrive_as_tombstones(client):
    load(client)
    _, _, cursor, _ = pull_all(client)
    before = {c["id"] for c in pull(client)["changes"]}
    # Re-importing with a cluster key joins two clusters: the emptied one is deleted.
    import csv
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "site", "title", "company", "jobdeck_cluster"])
    writer.writerow(["gd-1", "glassdoor", "Python Engineer", "Beta Labs", "k"])
    writer.writerow(["go-1", "google", "Registered Nurse", "City Hospital", "k"])
    assert client.post("/api/v1/import?format=csv", content=buffer.getvalue()).status_code == 200
    changes, deleted, _, _ = pull_all(client, cursor)
    assert deleted and deleted <= before
    assert not deleted & set(changes)
    after, _, _, _ = pull_all(client)
    assert set(after) == before - deleted


def test_paging_returns_everything_once_in_order(client):
    load(client)
    whole, _, _, _ = pull_all(client)
    paged, _, cursor, pages = pull_all(client, limit=2)
    assert paged == whole and pages >= 2
    seqs = [int(pull(client, limit=1)["cursor"].split(".")[1])]
    assert seqs[0] == min(c["changeSeq"] for c in whole.values())
    assert pull(client, cursor, limit=2) == {"changes": [], "deleted": [], "cursor": cursor,
                                             "more": False, "reset": False, "blockedCompanies": []}


def test_a_cursor_from_another_database_starts_over(client):
    load(client)
    _, _, cursor, _ = pull_all(client)
    page = pull(client, "0123456789abcdef." + cursor.split(".")[1])
    assert page["reset"] is True and len(page["changes"]) == len(pull(client)["changes"])


def test_last_writer_wins_per_field_by_time(client):
    load(client)
    job_id = pull(client)["changes"][0]["id"]
    newer, older = mutation(job_id, "status", "applied", when(-10)), mutation(job_id, "status", "hidden", when(-60))
    note = mutation(job_id, "note", "called them", when(-120))
    report = send(client, newer, older, note)
    assert [r["outcome"] for r in report["results"]] == ["applied", "stale", "applied"]
    assert report["jobs"] == [{"id": job_id, "status": "applied", "note": "called them",
                               "changeSeq": report["jobs"][0]["changeSeq"]}]
    # An online edit made now beats an offline edit made before it, replayed later.
    client.patch(f"/api/v1/jobs/{job_id}", json={"note": "online"})
    assert send(client, mutation(job_id, "note", "offline", when(-5)))["results"][0]["outcome"] == "stale"
    detail = client.get(f"/api/v1/jobs/{job_id}").json()
    assert (detail["status"], detail["note"]) == ("applied", "online")


def test_a_clock_from_the_future_does_not_win_forever(client):
    load(client)
    job_id = pull(client)["changes"][0]["id"]
    send(client, mutation(job_id, "status", "hidden", when(86_400 * 365)))
    assert send(client, mutation(job_id, "status", "saved", when(1)))["results"][0]["outcome"] == "applied"


def test_replaying_a_mutation_is_idempotent(client):
    load(client)
    job_id = pull(client)["changes"][0]["id"]
    first = mutation(job_id, "status", "saved", when(-30))
    assert send(client, first)["results"][0]["outcome"] == "applied"
    send(client, mutation(job_id, "status", "applied", when(-20)))
    _, _, cursor, _ = pull_all(client)
    replay = send(client, first)
    assert replay["results"] == [{"id": first["id"], "outcome": "duplicate"}]
    assert replay["jobs"][0]["status"] == "applied"
    assert pull(client, cursor)["changes"] == []  # nothing was written


def test_unknown_jobs_are_reported_not_refused(client):
    load(client)
    report = send(client, mutation(999_999, "note", "gone"))
    assert report["results"][0]["outcome"] == "missing" and report["jobs"] == []


@pytest.mark.parametrize("body", [
    {"mutations": []},
    {"mutations": [{"id": "short", "jobId": 1, "field": "status", "value": "saved", "at": "2026-01-01T00:00:00Z"}]},
    {"mutations": [{"id": str(uuid.uuid4()), "jobId": 1, "field": "title", "value": "x", "at": "2026-01-01T00:00:00Z"}]},
    {"mutations": [{"id": str(uuid.uuid4()), "jobId": 1, "field": "status", "value": "won", "at": "2026-01-01T00:00:00Z"}]},
    {"mutations": [{"id": str(uuid.uuid4()), "jobId": 1, "field": "status", "value": "saved", "at": "2026-01-01T00:00:00"}]},
    {"mutations": [{"id": str(uuid.uuid4()), "jobId": 1, "field": "note", "value": "x" * 20_001, "at": "2026-01-01T00:00:00Z"}]},
    {"mutations": [{"id": str(uuid.uuid4()), "jobId": "one", "field": "note", "value": "x", "at": "2026-01-01T00:00:00Z"}]},
    [],
])
def test_bad_mutations_are_refused_with_a_message(client, body):
    load(client, ROWS[:1])
    response = client.post("/api/v1/sync/mutations", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"]
    assert pull(client)["changes"][0]["status"] == "new"


@pytest.mark.parametrize("params", [{"since": "abc.notanumber"}, {"limit": 0}, {"limit": 100_000}, {"since": "x" * 101}])
def test_bad_sync_queries_are_refused(client, params):
    response = client.get("/api/v1/sync", params=params)
    assert response.status_code == 400 and response.json()["error"]["message"]


def test_sync_needs_credentials(anon):
    assert anon.get("/api/v1/sync").status_code == 401


def test_the_blocklist_travels_with_the_feed_as_company_keys(client):
    load(client)
    assert pull(client)["blockedCompanies"] == []
    company = next(c["company"] for c in pull(client)["changes"] if c["company"])
    answer = client.patch("/api/v1/preferences", json={"companyBlocklist": [f"  {company.upper()} "]})
    assert answer.status_code == 200, answer.text
    page = pull(client)
    keys = {c["companyKey"] for c in page["changes"] if c["company"] == company}
    assert keys and set(page["blockedCompanies"]) == keys  # the replica hides exactly these
