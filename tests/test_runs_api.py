"""Search runs through the API: the real worker process, its events, its outcome."""

import time

import pytest


def wait_for_run(client, run_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/v1/runs/{run_id}").json()
        if run["state"] not in ("queued", "running"):
            return run
        time.sleep(0.1)
    pytest.fail(f"run {run_id} did not finish")


def test_no_network_is_each_boards_error_never_zero_jobs(client):
    # The suite's network guard is the unreachable network here.
    run = client.post("/api/v1/runs", json={"term": "python", "boards": ["indeed", "linkedin"]}).json()
    assert run["state"] in ("queued", "running")
    done = wait_for_run(client, run["id"])
    assert done["state"] == "failed" and done["error"] is None
    for board in done["boards"]:
        assert board["state"] == "failed"
        assert "only loopback is allowed" in board["error"], board  # the board's own error, kept
        assert board["found"] == 0 and board["finishedAt"]


@pytest.mark.parametrize("body, where", [
    ({"term": ""}, "term"),
    ({"term": "x", "boards": ["monster"]}, "boards"),
    ({"term": "x", "results": 100000}, "results"),
    ({"term": "x", "country": "<script>"}, "country"),
    ({"term": "x", "surprise": 1}, "surprise"),
])
def test_bad_search_input_is_a_400_naming_the_field(client, body, where):
    response = client.post("/api/v1/runs", json=body)
    assert response.status_code == 400
    assert where in response.json()["error"]["message"]


def test_unknown_run_is_404_and_finished_run_cannot_be_cancelled(client):
    assert client.get("/api/v1/runs/4242").status_code == 404
    run = client.post("/api/v1/runs", json={"term": "python", "boards": ["indeed"]}).json()
    wait_for_run(client, run["id"])
    response = client.post(f"/api/v1/runs/{run['id']}/cancel")
    assert response.status_code == 409


def test_runs_cut_short_by_a_stop_are_marked_interrupted_at_the_next_start(settings):
    import sqlite3

    from litestar.testing import TestClient

    from server.app import create_app
    from server.home import prepare_home
    from tests.conftest import BASE_URL

    prepare_home(settings.home_path)
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL):
        pass  # creates the database
    conn = sqlite3.connect(settings.database_path)
    with conn:
        conn.execute("INSERT INTO search_runs (id, params, state, created_at, started_at) "
                     "VALUES (7, '{\"term\": \"x\"}', 'running', 1, 1)")
        conn.execute("INSERT INTO run_boards (run_id, site, state) VALUES (7, 'indeed', 'running')")
    conn.close()
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
        run = client.get("/api/v1/runs/7").json()
    assert run["state"] == "interrupted"
    assert "stopped" in run["error"]
    assert run["boards"][0]["state"] == "cancelled"
