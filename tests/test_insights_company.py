"""Company insights: names merged, facts, pay, time visible, reposts and the user's own history,
against a small store worked out by hand; and the free teaser."""

from __future__ import annotations

import pytest

from server.scrape.normalize import normalise_company
from tests.insights_store import DAY, T0, posting, write
from tests.plans import pro

COMPANIES = "/api/v1/insights/companies"


def acme_store(conn):
    a, _ = posting(conn, title="Python Developer", company="Acme Inc.", site="indeed", location="Austin, TX",
                   interval="yearly", low=100_000, high=120_000, currency="USD",
                   seen=[T0, T0 + 7 * DAY, T0 + 14 * DAY], company_industry="Software",
                   company_num_employees="1,001 to 5,000", company_rating=4.1, company_logo="https://l.example/a.png")
    posting(conn, cluster=a, title="Python Developer", company="ACME", site="linkedin", location="Austin, TX",
            seen=[T0 + 7 * DAY])
    posting(conn, title="Data Analyst", company="ACME", site="linkedin", location="New York, NY", remote=True,
            seen=[T0, T0 + 7 * DAY, T0 + 28 * DAY, T0 + 35 * DAY], company_industry="IT Services")
    posting(conn, title="Python Developer", company="Acme, Inc.", site="zip_recruiter", location="Austin, TX",
            seen=[T0 + 21 * DAY], company_rating=3.9)
    posting(conn, title="Accountant", company="Beta Labs", seen=[T0])

    def application(title, company, cluster, stages):
        app_id = conn.execute("INSERT INTO applications (cluster_id, title, company, created_at, updated_at) "
                              "VALUES (?, ?, ?, ?, ?)", (cluster, title, company, T0, T0)).lastrowid
        for i, stage in enumerate(stages):
            kind = "note" if stage is None else "stage"
            conn.execute("INSERT INTO application_events (application_id, kind, stage, at) VALUES (?, ?, ?, ?)",
                         (app_id, kind, stage, T0 + (i + 1) * DAY))
        return app_id

    application("Python Developer", "Acme Inc.", a, ["applied", "interviewing", None])
    application("Platform Engineer", "ACME Corporation", None, ["applied", "rejected"])
    application("Accountant", "Beta Labs", None, ["applied"])
    application("Designer", "acme", None, [])
    return a


@pytest.fixture
def acme(app, client):
    pro(app)
    return write(client, acme_store)


@pytest.mark.parametrize("name", ["Acme Inc.", "ACME", "Acme, Inc.", "ACME Corporation", "Acme Co.", "acme"])
def test_company_names_meet(name):
    assert normalise_company(name) == "acme"


def test_company_detail_by_hand(client, acme):
    response = client.get(f"{COMPANIES}/acme")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["key"] == "acme" and body["name"] == "ACME"
    assert body["names"] == [{"key": "ACME", "n": 2}, {"key": "Acme Inc.", "n": 1}, {"key": "Acme, Inc.", "n": 1}]
    assert (body["jobs"], body["postings"]) == (3, 4)
    assert body["boards"] == [{"key": "linkedin", "n": 2}, {"key": "indeed", "n": 1}, {"key": "zip_recruiter", "n": 1}]
    assert body["titles"] == [{"key": "Python Developer", "n": 2}, {"key": "Data Analyst", "n": 1}]
    assert body["remote"] == {"value": None, "n": 3, "tooFew": True}  # 1 of 3: too few for a share
    assert body["salary"] == [{"currency": "USD", "n": 1, "lowest": 100_000, "highest": 120_000,
                               "median": {"value": None, "n": 1, "tooFew": True}, "estimates": 0}]
    # Facts from the most recently seen posting that has each: the analyst job (last seen day 35)
    # says "IT Services"; the rating from ZipRecruiter (day 21) beats Indeed's (day 14).
    assert body["facts"]["industry"]["value"] == "IT Services" and body["facts"]["industry"]["board"] == "linkedin"
    assert body["facts"]["rating"]["value"] == 3.9 and body["facts"]["rating"]["board"] == "zip_recruiter"
    assert body["facts"]["size"]["value"] == "1,001 to 5,000"
    assert [(r["board"], r["value"]) for r in body["ratings"]] == [("indeed", 4.1), ("zip_recruiter", 3.9)]
    # Sightings: the Python job on days 0, 7, 7, 14 (no gap of 14); the analyst on 0, 7, 28, 35
    # (back after 21 days: one repost); the third on day 21 only.
    visibility = body["visibility"]
    assert visibility == {"medianDays": {"value": None, "n": 3, "tooFew": True}, "withSightings": 3,
                          "reposted": 1, "reposts": 1, "gapDays": 14}
    shorter = client.get(f"{COMPANIES}/acme", params={"gap_days": 7}).json()["visibility"]
    assert (shorter["reposted"], shorter["reposts"]) == (2, 5)  # gaps of 7 count now: 7, 7 and 7, 21, 7
    # The user's own history: by job or by the company name typed; the stage is the latest stage event.
    history = body["history"]
    assert history["n"] == 3
    assert {a["title"]: a["stage"] for a in history["applications"]} == {
        "Python Developer": "interviewing", "Platform Engineer": "rejected", "Designer": None}
    assert history["byStage"] == [{"key": "interviewing", "n": 1}, {"key": "none", "n": 1},
                                  {"key": "rejected", "n": 1}]


def test_a_display_name_finds_the_company_too(client, acme):
    assert client.get(f"{COMPANIES}/Acme, Inc.").json()["key"] == "acme"
    assert client.get(f"{COMPANIES}/nobody").status_code == 404


def test_company_list_and_search(client, acme):
    page = client.get(COMPANIES).json()
    assert page["total"] == 2 and page["nextOffset"] is None
    assert [(c["key"], c["name"], c["jobs"]) for c in page["items"]] == [("acme", "ACME", 3),
                                                                       ("beta labs", "Beta Labs", 1)]
    assert page["items"][0]["boards"] == ["indeed", "linkedin", "zip_recruiter"]
    assert [c["key"] for c in client.get(COMPANIES, params={"q": "Beta Labs, Inc."}).json()["items"]] == ["beta labs"]
    first = client.get(COMPANIES, params={"limit": 1}).json()
    assert first["nextOffset"] == 1 and len(first["items"]) == 1
    assert client.get(COMPANIES, params={"limit": 0}).status_code == 400


def test_no_applications_at_all_is_fine(app, client):
    pro(app)
    write(client, lambda conn: posting(conn, title="Chef", company="Bistro"))
    body = client.get(f"{COMPANIES}/bistro").json()
    assert body["history"] == {"n": 0, "byStage": [], "applications": []}
    assert body["visibility"]["withSightings"] == 0


def test_company_insights_need_the_entitlement(client, app):
    write(client, acme_store)
    for path in (COMPANIES, f"{COMPANIES}/acme"):
        response = client.get(path)
        assert response.status_code == 402 and response.json()["error"]["details"]["entitlement"] == \
            "insights.company"


def test_the_teaser_is_free_and_counts_the_users_own_data(client, app):
    write(client, acme_store)
    body = client.get("/api/v1/insights/teaser").json()
    counts = body["counts"]
    # 5 postings of 4 jobs; one with pay; two companies; runs on days 0, 7, 14, 21, 28, 35 of a
    # Monday-started week: six weeks.
    assert (counts["postings"], counts["jobs"], counts["postingsWithSalary"], counts["salaryCurrencies"]) == \
        (5, 4, 1, 1)
    assert counts["companies"] == 2 and counts["weeksOfSightings"] == 6
    assert counts["firstSighting"] == "2026-09-21T14:13:20Z" and counts["resumes"] == 0
    assert counts["applications"] == 4
    assert body["access"]["insights.salary"]["on"] is False and body["access"]["insights.salary"]["reason"]
    pro(app)
    assert client.get("/api/v1/insights/teaser").json()["access"]["resume.match"]["on"] is True
