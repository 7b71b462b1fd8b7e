"""GET /api/v1/jobs and friends: full text, filters, clusters, cursors, statuses."""

import base64
import csv
import io

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.home import prepare_home
from server.settings import load_settings
from tests.conftest import BASE_URL

COLUMNS = ["id", "site", "title", "company", "location", "date_posted", "job_type", "interval",
           "min_amount", "max_amount", "currency", "is_remote", "description", "job_url_direct"]
ROWS = [
    ["in-1", "indeed", "Senior Python Developer", "Acme Inc.", "Taipei, Taiwan", "2026-11-20", "fulltime",
     "monthly", "90000", "120000", "TWD", "False", "Django and PostgreSQL", "https://acme.example/jobs/7"],
    ["li-1", "linkedin", "Senior Python Developer", "ACME", "Taipei, Taiwan", "2026-11-21", "fulltime",
     "", "", "", "", "False", "Django, PostgreSQL", ""],
    ["gd-1", "glassdoor", "Python Engineer", "Beta Labs", "Remote", "2026-11-10", "contract",
     "hourly", "60", "80", "USD", "True", "FastAPI services", "https://beta.example/apply?utm_source=gd"],
    ["zr-1", "zip_recruiter", "Python Engineer (remote)", "Other Co", "New York, NY, US", "2026-10-01",
     "fulltime", "yearly", "150000", "180000", "USD", "False", "Python data pipelines",
     "https://www.beta.example/apply"],
    ["go-1", "google", "Registered Nurse", "City Hospital", "London, UK", "2026-11-15", "parttime",
     "hourly", "20", "25", "GBP", "False", "Ward nursing", ""],
    ["in-2", "indeed", "Accountant", "Blocked Corp", "Hong Kong", "2026-11-18", "fulltime",
     "monthly", "30000", "40000", "HKD", "False", "Ledgers and python scripts", ""],
]


def load(client, rows=ROWS, columns=COLUMNS):
    """Import ``rows`` as a jobspy CSV with ``columns``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    response = client.post("/api/v1/import?format=csv", content=buffer.getvalue())
    assert response.status_code == 200, response.text
    return response.json()


def titles(response):
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


def test_one_row_per_cluster_with_every_board(client):
    assert load(client) == {"found": 6, "new": 6, "updated": 0}
    items = client.get("/api/v1/jobs", params={"q": "senior python"}).json()["items"]
    assert len(items) == 1
    assert items[0]["boards"] == ["indeed", "linkedin"] and items[0]["postings"] == 2
    # Same direct URL (tracking stripped) joins different titles into one cluster.
    remote = client.get("/api/v1/jobs", params={"q": "engineer"}).json()["items"]
    assert len(remote) == 1 and remote[0]["boards"] == ["glassdoor", "zip_recruiter"]


def test_detail_has_every_source_with_its_apply_link(client):
    load(client)
    job_id = client.get("/api/v1/jobs", params={"q": "senior"}).json()["items"][0]["id"]
    detail = client.get(f"/api/v1/jobs/{job_id}").json()
    assert sorted(s["site"] for s in detail["sources"]) == ["indeed", "linkedin"]
    indeed = next(s for s in detail["sources"] if s["site"] == "indeed")
    assert indeed["jobUrlDirect"] == "https://acme.example/jobs/7"
    assert indeed["annualMin"] == 1_080_000 and indeed["currency"] == "TWD"
    assert client.get("/api/v1/jobs/999999").status_code == 404


def test_full_text_words_prefixes_and_phrases(client):
    load(client)
    assert titles(client.get("/api/v1/jobs", params={"q": "nurs*"})) == ["Registered Nurse"]
    assert titles(client.get("/api/v1/jobs", params={"q": '"data pipelines"'})) == ["Python Engineer (remote)"]
    assert titles(client.get("/api/v1/jobs", params={"q": '"pipelines data"'})) == []
    assert titles(client.get("/api/v1/jobs", params={"q": "nurse OR accountant", "sort": "newest"})) == \
        ["Accountant", "Registered Nurse"]
    assert titles(client.get("/api/v1/jobs", params={"q": "zzzunknown"})) == []


@pytest.mark.parametrize("query", ['"unclosed', "python AND", "(python", "python)", "NOT", "AND OR",
                                   "NEAR(python nurse)"])
def test_malformed_full_text_is_a_400_with_a_message(client, query):
    load(client)
    for sort in ("relevance", "newest"):  # full text runs as ranked hits or as a filter
        response = client.get("/api/v1/jobs", params={"q": query, "sort": sort, "facets": "true"})
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "bad_query"
        assert "could not be understood" in response.json()["error"]["message"] or "quotation" in \
            response.json()["error"]["message"]


@pytest.mark.parametrize("query", ["*", '""', "c++", "node.js", "title:python", "-python", "'"])
def test_punctuation_people_type_is_searched_for_not_a_syntax_error(client, query):
    load(client)
    response = client.get("/api/v1/jobs", params={"q": query})
    assert response.status_code == 200, response.text


def test_filters(client):
    load(client)
    get = lambda **p: titles(client.get("/api/v1/jobs", params={"sort": "newest", **p}))
    assert get(boards="google") == ["Registered Nurse"]
    # Filters judge a job by all its postings; the most recent one gives the title.
    assert get(remote="true") == ["Python Engineer (remote)"]
    assert get(job_types="parttime") == ["Registered Nurse"]
    assert get(currency="USD", salary_min="170000") == ["Python Engineer (remote)"]
    assert get(currency="USD", salary_max="100000") == []
    assert len(get(has_salary="true")) == 4
    assert get(has_salary="false") == []  # the LinkedIn posting without pay has an Indeed twin with it
    assert get(posted_since="2026-11-19") == ["Senior Python Developer"]
    assert get(location="hong") == ["Accountant"]
    assert get(companies="city hospital") == ["Registered Nurse"]
    assert "Accountant" not in get(exclude_companies="Blocked Corp")


def test_sort_by_salary_and_cursor_pages_cover_everything_once(client):
    load(client)
    first = client.get("/api/v1/jobs", params={"sort": "salary", "limit": 2}).json()
    assert first["items"][0]["title"] == "Senior Python Developer"  # 1.44M TWD annualised
    seen = [item["id"] for item in first["items"]]
    cursor = first["nextCursor"]
    while cursor:
        page = client.get("/api/v1/jobs", params={"sort": "salary", "limit": 2, "cursor": cursor}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["nextCursor"]
    assert len(seen) == len(set(seen)) == 4
    assert client.get("/api/v1/jobs", params={"cursor": "garbage!"}).status_code == 400
    # A hand-made cursor of valid JSON whose sort key is not a column's value.
    for crafted in ('[{"a": 1}, 1]', "[[1], 2]", '["x"]', '{"k": 1}'):
        cursor = base64.urlsafe_b64encode(crafted.encode()).decode().rstrip("=")
        for params in ({"sort": "salary"}, {"q": "python"}):
            response = client.get("/api/v1/jobs", params={**params, "cursor": cursor})
            assert response.status_code == 400, (crafted, response.text)
            assert response.json()["error"]["code"] == "bad_query"


def test_facets_count_clusters(client):
    load(client)
    facets = client.get("/api/v1/jobs", params={"facets": "true"}).json()["facets"]
    assert facets["boards"]["indeed"] == 2 and facets["boards"]["google"] == 1
    assert facets["remote"] == {"onsite": 3, "remote": 1}
    assert facets["jobTypes"]["fulltime"] == 3


def test_statuses_and_notes(client):
    load(client)
    job_id = client.get("/api/v1/jobs", params={"q": "nurse"}).json()["items"][0]["id"]
    assert client.patch(f"/api/v1/jobs/{job_id}", json={"status": "hidden"}).json()["status"] == "hidden"
    assert "Registered Nurse" not in titles(client.get("/api/v1/jobs"))
    assert titles(client.get("/api/v1/jobs", params={"status": "hidden"})) == ["Registered Nurse"]
    saved = client.patch(f"/api/v1/jobs/{job_id}", json={"status": "saved", "note": "Ask about nights"}).json()
    assert saved["status"] == "saved" and saved["note"] == "Ask about nights"
    assert client.patch(f"/api/v1/jobs/{job_id}", json={"status": "liked"}).status_code == 400
    assert client.patch(f"/api/v1/jobs/{job_id}", json={"colour": "red"}).status_code == 400
    assert client.get("/api/v1/jobs", params={"status": "bogus"}).status_code == 400


def test_reimport_updates_changed_fields_and_keeps_status(client):
    load(client)
    job_id = client.get("/api/v1/jobs", params={"q": "accountant"}).json()["items"][0]["id"]
    client.patch(f"/api/v1/jobs/{job_id}", json={"status": "saved"})
    changed = [r[:] for r in ROWS]
    changed[5][2] = "Senior Accountant"
    assert load(client, changed) == {"found": 6, "new": 0, "updated": 1}
    item = client.get("/api/v1/jobs", params={"q": "accountant"}).json()["items"][0]
    assert (item["id"], item["title"], item["status"]) == (job_id, "Senior Accountant", "saved")


def test_company_blocklist_applies_everywhere(tmp_path):
    home = tmp_path / "home"
    settings = load_settings({"home": str(home), "port": 8765, "company_blocklist": ["blocked corp"]},
                             environ={}, config_file=tmp_path / "none.toml")
    prepare_home(home)
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
        load(client)
        assert "Accountant" not in titles(client.get("/api/v1/jobs", params={"q": "python"}))
        assert "Accountant" not in titles(client.get("/api/v1/jobs"))
        assert "Accountant" not in titles(client.get("/api/v1/jobs", params={"status": "new,hidden"}))
        facets = client.get("/api/v1/jobs", params={"facets": "true"}).json()["facets"]
        assert facets["boards"]["indeed"] == 1  # the Acme posting; Blocked Corp's is not counted


def test_relevance_pages_are_complete_beyond_the_best_ranked_hits(client, monkeypatch):
    from server.db import job_search

    load(client)
    expected = titles(client.get("/api/v1/jobs", params={"q": "python", "limit": 2}))
    monkeypatch.setattr(job_search, "RANKED_FIRST", 1)  # far fewer than the hits
    # Filters that reject the best hit must still find the others.
    assert titles(client.get("/api/v1/jobs", params={"q": "python", "remote": "true"})) == \
        ["Python Engineer (remote)"]
    first = client.get("/api/v1/jobs", params={"q": "python", "limit": 2}).json()
    assert [i["title"] for i in first["items"]] == expected
    rest = client.get("/api/v1/jobs", params={"q": "python", "limit": 2, "cursor": first["nextCursor"]}).json()
    assert len(first["items"]) + len(rest["items"]) == 3 and rest["nextCursor"] is None
