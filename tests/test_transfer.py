"""Import and export: jobspy CSVs import as they are; export → import loses nothing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.home import prepare_home
from server.settings import load_settings
from tests.conftest import BASE_URL
from tests.test_jobs_api import load

JOBDECK = [sys.executable, "-m", "server.cli"]


def fresh_client(tmp_path: Path, name: str):
    home = tmp_path / name
    prepare_home(home)
    app = create_app(load_settings({"home": str(home), "port": 8765}, environ={}, config_file=home / "x.toml"))
    client = TestClient(app, base_url=BASE_URL)
    client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
    return client


def snapshot(client):
    """Everything a person would miss: every posting's fields, statuses, notes, clusters."""
    items = []
    cursor = None
    while True:
        page = client.get("/api/v1/jobs", params={"status": "new,seen,saved,hidden,applied", "sort": "newest",
                                                  **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page["nextCursor"]
        if not cursor:
            break
    out = []
    for item in items:
        detail = client.get(f"/api/v1/jobs/{item['id']}").json()
        sources = sorted(({k: v for k, v in s.items() if k != "jobId"} for s in detail["sources"]),
                         key=lambda s: (s["site"], s["boardId"]))
        out.append((detail["status"], detail["note"], detail["firstSeen"], json.dumps(sources, sort_keys=True)))
    return sorted(out)


def test_export_then_import_into_an_empty_home_loses_nothing(tmp_path):
    with fresh_client(tmp_path, "a") as source:
        load(source)
        first = source.get("/api/v1/jobs", params={"q": "nurse"}).json()["items"][0]["id"]
        source.patch(f"/api/v1/jobs/{first}", json={"status": "saved", "note": "Näher dran, 好工作"})
        before = snapshot(source)
        for fmt in ("csv", "json"):
            exported = source.get("/api/v1/export", params={"format": fmt})
            assert exported.status_code == 200
            with fresh_client(tmp_path, f"b-{fmt}") as target:
                result = target.post(f"/api/v1/import?format={fmt}", content=exported.content).json()
                assert result == {"found": 6, "new": 6, "updated": 0}
                assert snapshot(target) == before


def test_bad_file_names_the_line_and_imports_nothing(client):
    text = "id,site,title,min_amount\nin-1,indeed,Cook,100\nin-2,indeed,Baker,lots\n"
    response = client.post("/api/v1/import?format=csv", content=text)
    assert response.status_code == 400
    assert "line 3" in response.json()["error"]["message"]
    assert "min_amount" in response.json()["error"]["message"]
    assert client.get("/api/v1/jobs").json()["items"] == []
    for bad, fmt in (("not json", "json"), ('{"jobs": 3}', "json"), ("a,b\n1,2\n", "csv"), (b"\xff\xfe", "csv")):
        response = client.post(f"/api/v1/import?format={fmt}", content=bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "bad_file"


def test_a_jobspy_csv_imports_as_it_is(client):
    # The header and value shapes jobspy's own DataFrame.to_csv writes.
    text = ("id,site,job_url,job_url_direct,title,company,location,date_posted,job_type,salary_source,"
            "interval,min_amount,max_amount,currency,is_remote,job_level,job_function,listing_type,emails,"
            "description,company_industry,company_url,company_logo,company_url_direct,company_addresses,"
            "company_num_employees,company_revenue,company_description,skills,experience_range,"
            "company_rating,company_reviews_count,vacancy_count,work_from_home_type\n"
            "in-abc,indeed,https://www.indeed.com/viewjob?jk=abc,https://careers.acme.example/1,"
            "Data Engineer,Acme,\"Austin, TX, US\",2026-11-02,fulltime,direct_data,yearly,120000.0,"
            "150000.0,USD,False,,,,hr@acme.example,**Build** pipelines,Software,,,,,"
            "\"1,001 to 5,000\",,,,,4.1,120.0,,\n")
    assert client.post("/api/v1/import?format=csv", content=text).json()["new"] == 1
    job = client.get("/api/v1/jobs").json()["items"][0]
    detail = client.get(f"/api/v1/jobs/{job['id']}").json()["sources"][0]
    assert detail["companyNumEmployees"] == "1,001 to 5,000" and detail["companyRating"] == 4.1
    assert detail["emails"] == ["hr@acme.example"] and detail["annualMax"] == 150000


def test_cli_import_and_export(tmp_path):
    home = tmp_path / "cli"
    csv_file = tmp_path / "jobs.csv"
    csv_file.write_text("id,site,title,company\nli-1,linkedin,Designer,Studio\n", encoding="utf-8")
    env = {"JOBDECK_HOME": str(home), "PATH": "/usr/bin:/bin", "JOBDECK_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run([*JOBDECK, "import", str(csv_file)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "1 new" in done.stdout
    out = tmp_path / "out.json"
    done = subprocess.run([*JOBDECK, "export", "--format", "json", "-o", str(out)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["jobs"][0]["title"] == "Designer"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,site,title\n1,indeed,\n", encoding="utf-8")
    done = subprocess.run([*JOBDECK, "import", str(bad)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "line 2" in done.stderr


@pytest.mark.parametrize(("fmt", "body", "named"), [
    ("csv", "id,site,title,jobdeck_first_seen\nin-1,indeed,Cook,1\nin-2,indeed,Baker,inf\n",
     ["line 3", "jobdeck_first_seen"]),
    ("csv", "id,site,title,jobdeck_last_seen\nin-1,indeed,Cook,1e30\n", ["line 2", "jobdeck_last_seen"]),
    ("csv", "id,site,title,company_reviews_count\nin-1,indeed,Cook,1e30\n", ["line 2", "company_reviews_count"]),
    ("json", json.dumps([{"id": "in-1", "site": "indeed", "title": "Cook"},
                         {"id": "in-2", "site": "indeed", "title": "Baker", "jobdeck_note": {"a": 1}}]),
     ["job 2", "jobdeck_note"]),
    ("json", json.dumps([{"id": "in-1", "site": "indeed", "title": "Cook", "jobdeck_cluster": [1]}]),
     ["job 1", "jobdeck_cluster"]),
    ("json", json.dumps([{"id": "in-1", "site": "indeed", "title": "Cook", "jobdeck_first_seen": True}]),
     ["job 1", "jobdeck_first_seen"]),
    ("json", json.dumps([{"id": "in-1", "site": "indeed", "title": "Cook", "jobdeck_status": "liked"}]),
     ["job 1", "jobdeck_status"]),
    ("json", json.dumps([{"id": "in-1", "site": "indeed", "title": "Cook", "vacancy_count": 1e300}]),
     ["job 1", "vacancy_count"]),
], ids=["inf-seconds", "huge-seconds", "huge-count", "object-note", "list-cluster", "bool-seconds",
        "unknown-status", "huge-json-count"])
def test_a_value_out_of_place_names_its_line_and_column_and_imports_nothing(client, fmt, body, named):
    response = client.post(f"/api/v1/import?format={fmt}", content=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_file" and all(part in error["message"] for part in named), error
    assert client.get("/api/v1/jobs").json()["items"] == []


def test_demo_loads_the_sample_once_from_the_cli_and_the_first_screens_button(tmp_path):
    home = tmp_path / "demo"
    env = {"JOBDECK_HOME": str(home), "PATH": "/usr/bin:/bin", "JOBDECK_CONFIG": str(tmp_path / "none.toml")}
    first = subprocess.run([*JOBDECK, "demo"], env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert "Loaded 300 sample postings (300 new)" in first.stdout
    again = subprocess.run([*JOBDECK, "demo"], env=env, capture_output=True, text=True, timeout=60)
    assert "(0 new)" in again.stdout  # loading twice adds nothing
    with fresh_client(tmp_path, "api") as client:  # what the welcome screen's button calls
        assert client.post("/api/v1/demo").json() == {"found": 300, "new": 300, "updated": 0}
        facets = client.get("/api/v1/jobs", params={"facets": "true"}).json()["facets"]
        assert len(facets["boards"]) >= 4 and facets["remote"]["remote"] > 0
        merged = client.get("/api/v1/jobs", params={"limit": 200, "sort": "newest"}).json()["items"]
        assert any(item["postings"] > 1 for item in merged), "the sample's cross-board duplicates are one job"
        for city in ("Taipei", "Hong Kong", "New York", "London"):
            assert client.get("/api/v1/jobs", params={"location": city}).json()["items"], city
