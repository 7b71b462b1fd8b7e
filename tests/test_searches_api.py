"""Saved searches: create, list, edit, delete, re-run with the last run's summary."""

from tests.test_runs_api import wait_for_run

PARAMS = {"term": "registered nurse", "location": "London", "boards": ["indeed", "google"],
          "results": 20, "country": "uk"}


def test_saved_search_lifecycle(client):
    created = client.post("/api/v1/searches", json={"name": "Nursing in London", "params": PARAMS})
    assert created.status_code == 201, created.text
    search = created.json()
    assert search["params"]["term"] == "registered nurse" and search["lastRun"] is None
    assert search["runs"] == 0 and search["newInLastRun"] == 0

    edited = client.patch(f"/api/v1/searches/{search['id']}",
                          json={"name": "Nurses", "params": {**PARAMS, "remote": True}}).json()
    assert edited["name"] == "Nurses" and edited["params"]["remote"] is True

    run = client.post(f"/api/v1/searches/{search['id']}/run").json()
    assert run["searchId"] == search["id"] and run["params"]["remote"] is True
    wait_for_run(client, run["id"])
    listed = client.get("/api/v1/searches").json()
    assert [s["name"] for s in listed] == ["Nurses"]
    assert listed[0]["runs"] == 1 and listed[0]["lastRun"]["id"] == run["id"]
    assert listed[0]["lastRun"]["state"] == "failed"  # no network in tests

    assert client.delete(f"/api/v1/searches/{search['id']}").status_code == 204
    assert client.get(f"/api/v1/searches/{search['id']}").status_code == 404
    # Its runs stay, no longer tied to it.
    assert client.get(f"/api/v1/runs/{run['id']}").json()["searchId"] is None


def test_bad_saved_searches_are_refused(client):
    assert client.post("/api/v1/searches", json={"name": "", "params": PARAMS}).status_code == 400
    blank = client.post("/api/v1/searches", json={"name": "   ", "params": PARAMS})
    assert blank.status_code == 400 and "name" in blank.json()["error"]["message"]
    kept = client.post("/api/v1/searches", json={"name": " Nurses ", "params": PARAMS}).json()
    assert kept["name"] == "Nurses"
    renamed = client.patch(f"/api/v1/searches/{kept['id']}", json={"name": "\t"})
    assert renamed.status_code == 400 and client.get(f"/api/v1/searches/{kept['id']}").json()["name"] == "Nurses"
    assert client.patch(f"/api/v1/searches/{kept['id']}", json={"name": ""}).status_code == 400
    assert client.post("/api/v1/searches", json={"name": "x", "params": {"term": "x", "boards": []}}).status_code == 400
    assert client.patch("/api/v1/searches/999", json={"name": "x"}).status_code == 404
    assert client.post("/api/v1/searches/999/run").status_code == 404
    assert client.delete("/api/v1/searches/999").status_code == 404
