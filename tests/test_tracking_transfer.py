"""Export and import: JobDeck's CSV and JSON round-trip whole, other trackers'
CSV through a previewed column mapping, and a bad file imports nothing."""

from __future__ import annotations

import csv
import io
from typing import Iterator

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.home import prepare_home
from server.settings import load_settings
from tests.conftest import BASE_URL, TEST_PORT
from tests.test_jobs_api import load as load_jobs
from tests.test_tracking_limits import pro

API = "/api/v1/applications"
IMPORT = "/api/v1/tracking/import"


@pytest.fixture
def empty(tmp_path) -> Iterator[TestClient]:
    """A second, empty home to import into."""
    settings = load_settings({"home": str(tmp_path / "other"), "port": TEST_PORT, "open_browser": False},
                             environ={}, config_file=tmp_path / "none.toml")
    prepare_home(settings.home_path)
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
        pro(app)
        yield client


def fill(client) -> None:
    stages = client.get("/api/v1/tracking/stages").json()["stages"]
    take_home = {"key": "take_home", "label": "Take-home", "submitted": True, "response": True, "terminal": False}
    client.put("/api/v1/tracking/stages", json={"stages": [*stages[:4], take_home, *stages[4:]]})
    first = client.post(API, json={
        "title": "Backend Engineer", "company": "Acme, Inc.", "location": "Taipei", "url": "https://acme.example/1",
        "description": "Line one\nLine \"two\", with commas", "stage": "applied", "at": "2026-01-05T09:00:00Z",
        "excitement": 5, "salaryExpectation": 1500000, "salaryCurrency": "TWD", "salaryInterval": "yearly",
        "resumeVersion": "v3", "source": "LinkedIn", "tags": ["python", "remote"], "notes": "# Notes\n- a\n- b",
        "followUpAt": "2026-02-01T00:00:00Z", "clientId": "app-000000000001"}).json()
    for stage, when, note in (("screening", "2026-01-09T10:00:00Z", "Recruiter call"),
                              ("take_home", "2026-01-12T10:00:00Z", None),
                              ("interviewing", "2026-01-20T10:00:00Z", None)):
        client.post(f"{API}/{first['id']}/events", json={"stage": stage, "at": when, "note": note})
    client.post(f"{API}/{first['id']}/events", json={"note": "Sent thanks", "at": "2026-01-21T08:00:00Z"})
    client.post(f"{API}/{first['id']}/contacts", json={"name": "Ann Lee", "role": "Recruiter",
                                                       "email": "ann@acme.example", "notes": "Met at meetup"})
    client.post(f"{API}/{first['id']}/interviews", json={
        "startsAt": "2030-01-25T14:00:00", "timeZone": "Asia/Taipei", "kind": "onsite", "location": "HQ",
        "participants": ["Ann Lee", "CTO"], "notes": "Whiteboard"})
    second = client.post(API, json={"title": "Data Analyst", "stage": "applied", "at": "2026-01-02T09:00:00Z"}).json()
    client.post(f"{API}/{second['id']}/events", json={"stage": "rejected", "at": "2026-01-15T09:00:00Z"})
    # What other trackers write for "no value" is text like any other in JobDeck's own file.
    client.post(API, json={"title": "Wishlist job", "tags": [], "location": "N/A", "notes": "-"})


def comparable(export: dict) -> list[dict]:
    def strip(app: dict) -> dict:
        app = {k: v for k, v in app.items() if k not in ("id", "changeSeq")}
        app["events"] = [{k: v for k, v in e.items() if k != "id"} for e in app["events"]]
        app["contacts"] = [{k: v for k, v in c.items() if k != "id"} for c in app["contacts"]]
        app["interviews"] = [{k: v for k, v in i.items() if k not in ("id", "applicationId")}
                             for i in app["interviews"]]
        return app
    return sorted((strip(a) for a in export["applications"]), key=lambda a: a["clientId"])


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_into_an_empty_home_loses_nothing(client, empty, fmt):
    fill(client)
    original = client.get("/api/v1/tracking/export", params={"format": "json"}).json()
    exported = client.get("/api/v1/tracking/export", params={"format": fmt})
    assert exported.status_code == 200
    if fmt == "csv":  # a stage has no place in another home until it is defined there
        empty.put("/api/v1/tracking/stages", json={"stages": original["stages"]})
    result = empty.post(IMPORT, json={"format": fmt, "content": exported.text})
    assert result.status_code == 200, result.text
    assert result.json() == {"imported": 3, "skipped": 0, "active": 2, "overLimit": 0}
    again = empty.get("/api/v1/tracking/export", params={"format": "json"}).json()
    assert again["stages"] == original["stages"]
    assert comparable(again) == comparable(original)
    history = next(a for a in again["applications"] if a["title"] == "Backend Engineer")["events"]
    assert [(e["stage"], e["at"]) for e in history][:2] == [("applied", "2026-01-05T09:00:00Z"),
                                                             ("screening", "2026-01-09T10:00:00Z")]
    # The same file again adds nothing.
    assert empty.post(IMPORT, json={"format": fmt, "content": exported.text}).json()["skipped"] == 3


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_board_of_a_stored_job_survives_export_and_import_into_another_home(client, empty, fmt):
    load_jobs(client)
    job = client.get("/api/v1/jobs", params={"limit": 1}).json()["items"][0]
    made = client.post(API, json={"jobId": job["id"], "clientId": "from-a-stored-job"}).json()
    board = made["board"]
    assert board in {s["site"] for s in client.get(f"/api/v1/jobs/{job['id']}").json()["sources"]}
    exported = client.get("/api/v1/tracking/export", params={"format": fmt}).text
    if fmt == "csv":
        assert next(csv.DictReader(io.StringIO(exported)))["board"] == board
    assert empty.post(IMPORT, json={"format": fmt, "content": exported}).status_code == 200
    [app] = empty.get(API).json()
    # The other home does not have the job, and still knows where the posting was.
    assert (app["board"], app["jobId"], app["title"]) == (board, None, made["title"])
    # And passes it on: exported from there, the board is still in the file.
    again = empty.get("/api/v1/tracking/export", params={"format": "json"}).json()["applications"]
    assert [a["board"] for a in again] == [board]


def test_an_export_from_before_the_board_column_still_imports(client, empty):
    fill(client)
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/tracking/export", params={"format": "csv"}).text)))
    at = rows[0].index("board")
    older = io.StringIO()
    csv.writer(older, lineterminator="\r\n").writerows(row[:at] + row[at + 1:] for row in rows)
    empty.put("/api/v1/tracking/stages", json={"stages": client.get("/api/v1/tracking/stages").json()["stages"]})
    result = empty.post(IMPORT, json={"format": "csv", "content": older.getvalue()})
    assert result.status_code == 200, result.text
    assert result.json()["imported"] == 3 and all(a["board"] is None for a in empty.get(API).json())


def test_a_board_column_in_another_tracker_s_file_is_the_board(client):
    content = "Job Title,Company,Board\nBackend Engineer,Acme,LinkedIn\nData Analyst,Beta,Wellfound\n"
    preview = client.post("/api/v1/tracking/import/preview", json={"content": content}).json()
    assert preview["suggestedMapping"]["Board"] == "board"
    assert client.post(IMPORT, json={"content": content}).status_code == 200
    assert {a["title"]: a["board"] for a in client.get(API).json()} == {"Backend Engineer": "linkedin",
                                                                       "Data Analyst": "Wellfound"}


def test_the_csv_export_has_a_date_column_per_stage(client):
    fill(client)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/tracking/export").text)))
    first = next(r for r in rows if r["title"] == "Backend Engineer")
    assert first["stage"] == "interviewing" and first["stage_applied_at"] == "2026-01-05T09:00:00Z"
    assert first["stage_take_home_at"] == "2026-01-12T10:00:00Z" and first["stage_offer_at"] == ""
    assert first["tags"] == "python, remote" and first["company"] == "Acme, Inc."


@pytest.mark.parametrize("content, where", [
    ("title,status,date applied\nOK,applied,2026-01-02\nBad,applied,someday\n", "line 3"),
    ("title,status\nOK,applied\nWeird,Daydreaming\n", "line 3"),
    ("title,excitement\nOK,3\n,4\n", "line 3"),
    ("title,excitement\nOK,9\n", "line 2"),
    ('title,notes\nOK,"never closed\n', "line 2"),
    ("title\nA\nB,extra\n", "line 3"),
])
def test_a_bad_csv_names_the_line_and_imports_nothing(client, content, where):
    response = client.post(IMPORT, json={"content": content})
    assert response.status_code == 400, response.text
    message = response.json()["error"]["message"]
    assert message.startswith("Nothing was imported.") and where in message, message
    assert client.get(API).json() == []


def test_a_bad_json_file_names_the_place_and_imports_nothing(client):
    for content, where in (('{"applications": [', "line 1"),
                           ('{"applications": [{"title": "A"}, {"title": 5}]}', "application 2"),
                           ('{"applications": [{"title": "A", "events": [{"stage": "nope", "at": '
                            '"2026-01-01T00:00:00Z"}]}]}', "application 1")):
        response = client.post(IMPORT, json={"format": "json", "content": content})
        assert response.status_code == 400 and where in response.json()["error"]["message"], response.text
    assert client.get(API).json() == []


# The shapes of real exports (headers, placeholders, date forms, stage words), with made-up rows.
# Huntr: camelCase, the stage in listName, "-" for no value.
HUNTR = ("id,createdAt,title,salary,location,url,rootDomain,htmlDescription,deadline,color,lastMovedAt,boardId,"
         "boardName,listId,listName,companyId,companyName,companyDomain,creatorUserId,creatorUserFirstName,"
         "creatorUserLastName,creatorUserEmail\n"
         "6601a0,2026-01-03 10:15:00,Backend Engineer,-,Remote,https://acme.example/1,acme.example,"
         "<p>Build <b>APIs</b></p>,-,-,-,b1,Job Search 2026,l1,Wishlist,c1,Acme,acme.example,u1,Ann,Lee,"
         "ann@mail.example\n"
         "6601a1,2026-01-05 09:00:00,\"Frontend Dev, Web\",120000,Taipei,https://beta.example/2,beta.example,-,"
         "2026-02-01 05:00:00,-,2026-01-12 16:47:21,b1,Job Search 2026,l2,interview,c2,Beta,beta.example,u1,Ann,"
         "Lee,ann@mail.example\n")
TEAL = ("Company,Job Position,Status,Excitement,Date Saved,Date Applied,Max. Salary,Location,URL,Notes\n"
        "Gamma,Data Engineer,Applied,★★★★,2026-01-02,2026-01-04,\"$150,000\",NYC,https://g.example,\n"
        "Delta,ML Engineer,Offer Received,5,2026-01-01,2026-01-03,160k,SF,https://d.example,Negotiate\n")
# Simplify: statuses in capitals, "Status Date" for the current one, "N/A" for no value.
SIMPLIFY = ("Job Title,Company Name,Job URL,Applied Date,Status,Status Date,Archived,Date Archived,Notes\n"
            "SWE Intern,Epsilon,https://e.example,2026-01-06,APPLIED,2026-01-06,false,N/A,\n"
            "New Grad SWE,Zeta,https://z.example,2026-01-07,REJECTED,2026-01-20,false,N/A,Auto reject\n")


@pytest.mark.parametrize("content, tool", [(HUNTR, "huntr"), (TEAL, "teal"), (SIMPLIFY, "simplify")])
def test_other_trackers_preview_then_import(client, content, tool):
    preview = client.post(f"{IMPORT}/preview", json={"content": content})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["detected"] == tool and body["rows"] == 2 and len(body["sampleRows"]) == 2
    assert "title" in body["suggestedMapping"].values() and "stage" in body["suggestedMapping"].values()
    assert "date:applied" in body["fields"]
    result = client.post(IMPORT, json={"content": content, "mapping": body["suggestedMapping"]})
    assert result.status_code == 200, result.text
    assert result.json()["imported"] == 2
    apps = {a["title"]: a for a in client.get(API).json()}
    assert len(apps) == 2 and all(a["company"] and a["url"] for a in apps.values())


def detail(client, title: str) -> dict:
    app = next(a for a in client.get(API).json() if a["title"] == title)
    return client.get(f"{API}/{app['id']}").json()


def steps(app: dict) -> list[tuple[str, str]]:
    return [(e["stage"], e["at"]) for e in app["events"]]


def test_a_huntr_export_keeps_its_lists_dates_and_description(client):
    assert client.post(IMPORT, json={"content": HUNTR}).json()["imported"] == 2
    wish, front = detail(client, "Backend Engineer"), detail(client, "Frontend Dev, Web")
    assert (wish["company"], wish["stage"], wish["location"]) == ("Acme", "saved", "Remote")
    assert wish["salaryExpectation"] is None and wish["description"] == "<p>Build <b>APIs</b></p>"
    assert steps(wish) == [("saved", "2026-01-03T10:15:00Z")]
    assert (front["company"], front["stage"], front["salaryExpectation"]) == ("Beta", "interviewing", 120000)
    # Saved when created, in the list it is in since it was last moved.
    assert steps(front) == [("saved", "2026-01-05T09:00:00Z"), ("interviewing", "2026-01-12T16:47:21Z")]


def test_a_simplify_export_keeps_when_each_status_was_reached(client):
    assert client.post(IMPORT, json={"content": SIMPLIFY}).json()["imported"] == 2
    intern, grad = detail(client, "SWE Intern"), detail(client, "New Grad SWE")
    assert (intern["company"], intern["stage"], intern["url"]) == ("Epsilon", "applied", "https://e.example")
    assert steps(intern) == [("applied", "2026-01-06T00:00:00Z")]
    assert grad["stage"] == "rejected" and grad["notes"] == "Auto reject"
    assert steps(grad) == [("applied", "2026-01-07T00:00:00Z"), ("rejected", "2026-01-20T00:00:00Z")]


def test_a_placeholder_is_an_empty_cell_in_other_trackers_files(client):
    sheet = ("Job Title,Company Name,Applied Date,Status,Status Date\n"
             "Saved only,Eta,N/A,SAVED,-\n")
    assert client.post(IMPORT, json={"content": sheet}).status_code == 200
    app = detail(client, "Saved only")
    assert app["stage"] == "saved" and [s for s, _ in steps(app)] == ["saved"]


def test_a_teal_file_keeps_its_dates_excitement_and_salary(client):
    client.post(IMPORT, json={"content": TEAL})
    apps = {a["title"]: client.get(f"{API}/{a['id']}").json() for a in client.get(API).json()}
    gamma = apps["Data Engineer"]
    assert gamma["stage"] == "applied" and gamma["excitement"] == 4 and gamma["salaryExpectation"] == 150000
    assert [(e["stage"], e["at"][:10]) for e in gamma["events"]] == [("saved", "2026-01-02"), ("applied", "2026-01-04")]
    assert apps["ML Engineer"]["stage"] == "offer" and apps["ML Engineer"]["salaryExpectation"] == 160000


def test_any_spreadsheet_with_a_mapping_and_a_stage_map(client):
    sheet = "Role,Firm,Where I am,When I applied,Pay\nChef,Bistro,Waiting,2026-01-10,\nCook,Diner,Nope,2026-01-11,\n"
    preview = client.post(f"{IMPORT}/preview", json={"content": sheet}).json()
    assert preview["detected"] is None and preview["suggestedMapping"]["Role"] == "title"
    mapping = {"Role": "title", "Firm": "company", "Where I am": "stage", "When I applied": "date:applied",
               "Pay": None}
    refused = client.post(IMPORT, json={"content": sheet, "mapping": mapping})
    assert refused.status_code == 400 and "line 2" in refused.json()["error"]["message"]
    result = client.post(IMPORT, json={"content": sheet, "mapping": mapping,
                                       "stageMap": {"Waiting": "applied", "Nope": "rejected"}})
    assert result.json() == {"imported": 2, "skipped": 0, "active": 1, "overLimit": 0}
    stages = {a["title"]: a["stage"] for a in client.get(API).json()}
    assert stages == {"Chef": "applied", "Cook": "rejected"}


@pytest.mark.parametrize("mapping, text", [
    ({"Role": "company"}, "title"),
    ({"Role": "title", "Firm": "salary"}, "not a field"),
    ({"Role": "title", "Missing": "company"}, "no column"),
    ({"Role": "title", "Firm": "title"}, "two columns"),
])
def test_a_bad_mapping_is_refused(client, mapping, text):
    response = client.post(IMPORT, json={"content": "Role,Firm\nChef,Bistro\n", "mapping": mapping})
    assert response.status_code == 400 and text in response.json()["error"]["message"], response.text


@pytest.mark.parametrize("content, fmt", [
    ("title,excitement\nA,inf\n", "csv"),
    ("title,history\nA," + "[" * 5000 + "\n", "csv"),
    ("[" * 100_000, "json"),
    ("title,date applied\nA,0001-01-01\n", "csv"),
])
def test_odd_files_are_a_400_never_a_500(client, content, fmt):
    for path in (IMPORT, f"{IMPORT}/preview"):
        response = client.post(path, json={"format": fmt, "content": content})
        assert response.status_code == 400 or (path.endswith("preview") and response.status_code == 200), \
            response.text
    assert client.get(API).json() == []
