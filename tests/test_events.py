"""The SSE stream of a real server: a run's progress arrives as typed events."""

import asyncio
import http.client
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from server.db import Database
from server.db.credentials import create_api_token
from tests.replay.scenarios import write_scenario
from tests.server_process import ServerProcess


def serve(tmp_path, env: dict[str, str] | None = None):
    server = ServerProcess(tmp_path / "home", env=env).start()

    async def token() -> str:
        db = Database(server.home / "jobdeck.sqlite3")
        await db.open()
        try:
            return (await create_api_token(db, "events-test", ["read", "write"]))[1]
        finally:
            await db.close()

    with ThreadPoolExecutor(1) as pool:
        secret = pool.submit(asyncio.run, token()).result()
    return server, {"Authorization": f"Bearer {secret}", "Host": f"127.0.0.1:{server.port}"}


@pytest.fixture
def live(tmp_path):
    server, headers = serve(tmp_path)
    yield server, headers
    server.stop()


@pytest.fixture
def live_indeed_429(tmp_path):
    """A real server whose scrape workers get the boards' answers replayed:
    Indeed refuses with 429 every time, the others answer."""
    scenario = write_scenario("INDEED_429", tmp_path / "replay.json")
    server, headers = serve(tmp_path, {"JOBDECK_TEST_REPLAY": str(scenario), "JOBDECK_RETRY_BACKOFF_SECONDS": "0"})
    yield server, headers
    server.stop()


def read_events(response, until: str, limit: int = 50) -> list[tuple[str, dict]]:
    events, name = [], None
    for _ in range(limit * 4):
        line = response.readline().decode().rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:") and name:
            events.append((name, json.loads(line[5:])))
            if name == until:
                return events
            name = None
    pytest.fail(f"no {until} event in {events}")


def subscribe(server, headers) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """The event stream, connected."""
    stream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    stream.request("GET", "/api/v1/events", headers=headers)
    response = stream.getresponse()
    assert response.readline().startswith(b": connected")
    return stream, response


def start_run(server, headers, search: dict) -> tuple[http.client.HTTPConnection, dict]:
    api = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    api.request("POST", "/api/v1/runs", body=json.dumps(search),
                headers={**headers, "Content-Type": "application/json"})
    return api, json.loads(api.getresponse().read())


def test_run_progress_streams_as_typed_events(live):
    server, headers = live
    stream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    stream.request("GET", "/api/v1/events", headers=headers)
    response = stream.getresponse()
    assert response.status == 200
    assert response.getheader("content-type").startswith("text/event-stream")
    assert response.readline().startswith(b": connected")

    api = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    api.request("POST", "/api/v1/runs", body=json.dumps({"term": "nurse", "boards": ["indeed", "google"]}),
                headers={**headers, "Content-Type": "application/json"})
    run = json.loads(api.getresponse().read())

    events = read_events(response, until="run.finished")
    names = [name for name, _ in events]
    assert names[0] == "run.queued" and "run.started" in names
    finished = {data["site"]: data for name, data in events if name == "board.finished"}
    assert set(finished) == {"indeed", "google"}
    assert all(data["state"] == "failed" and data["error"] for data in finished.values())
    assert events[-1][1] == {"runId": run["id"], "state": "failed"}
    stream.close()
    api.close()


def test_boards_answering_stream_their_counts_and_a_refusal_its_advice(live_indeed_429):
    # jobspy's real parsers in the worker: LinkedIn answers, Indeed refuses (429).
    server, headers = live_indeed_429
    stream, response = subscribe(server, headers)
    api, run = start_run(server, headers, {"term": "python engineer", "boards": ["indeed", "linkedin"],
                                           "results": 10})

    events = read_events(response, until="run.finished")
    finished = {data["site"]: data for name, data in events if name == "board.finished"}
    linkedin, indeed = finished["linkedin"], finished["indeed"]
    assert (linkedin["state"], linkedin["found"], linkedin["new"], linkedin["updated"]) == ("done", 5, 5, 0)
    assert ("job.changed", {"runId": run["id"], "new": 5, "updated": 0}) in events
    assert (indeed["state"], indeed["kind"]) == ("blocked", "blocked") and "proxies" in indeed["error"]
    retried = [data["attempt"] for name, data in events if name == "board.started" and data["site"] == "indeed"]
    assert retried[0] == 1 and len(retried) >= 2, "a refused board is asked again before it is called blocked"
    assert events[-1] == ("run.finished", {"runId": run["id"], "state": "partial"})
    stream.close()
    api.close()


def test_events_need_credentials(live):
    server, headers = live
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/api/v1/events", headers={"Host": headers["Host"]})
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 401


def test_the_api_document_describes_events_as_a_stream(client):
    answer = client.get("/schema/openapi.json").json()["paths"]["/api/v1/events"]["get"]["responses"]["200"]
    assert list(answer["content"]) == ["text/event-stream"]


@pytest.fixture
def live_google_hangs(tmp_path):
    scenario = write_scenario("GOOGLE_HANGS", tmp_path / "replay.json")
    server, headers = serve(tmp_path, {"JOBDECK_TEST_REPLAY": str(scenario),
                                       "JOBDECK_BOARD_DEADLINE_SECONDS": "120"})
    yield server, headers
    server.stop()


def test_a_board_the_run_ends_without_still_gets_its_event(live_google_hangs):
    """Cancelled while Google hangs: Google's end is streamed before the run's,
    so a follower (the app, `jobdeck search`) shows every board's outcome."""
    server, headers = live_google_hangs
    stream, response = subscribe(server, headers)
    api, run = start_run(server, headers, {"term": "nurse", "boards": ["indeed", "google"]})
    read_events(response, until="board.finished")  # Indeed answers; Google hangs
    api.request("POST", f"/api/v1/runs/{run['id']}/cancel", headers=headers)
    cancelled = api.getresponse()
    assert cancelled.status == 200, cancelled.read()
    cancelled.read()
    events = read_events(response, until="run.finished")
    assert ("board.finished", {"runId": run["id"], "site": "google", "state": "cancelled",
                               "error": None}) in events
    assert events[-1] == ("run.finished", {"runId": run["id"], "state": "cancelled"})
    stream.close()
    api.close()
