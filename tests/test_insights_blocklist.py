"""The company blocklist applies to insights as everywhere: blocking a company
gives every insight exactly the answer it would give had that company's jobs
never been stored."""

from __future__ import annotations

import random

import pytest

from tests.insights_store import DAY, T0, posting, write
from tests.plans import pro

COMPANIES = ["Acme Inc.", "Globex", "Initech", "Umbrella Corp", "Hooli"]
TITLES = ["Python Developer", "Data Engineer", "Registered Nurse", "Python Data Analyst"]
WINDOW = {"end": "2026-12-13", "weeks": 12}
QUESTIONS = [
    ("/api/v1/insights/salary", {}),
    ("/api/v1/insights/salary", {"q": "python"}),
    ("/api/v1/insights/companies", {}),
    ("/api/v1/insights/trends", WINDOW),
    ("/api/v1/insights/trends", {**WINDOW, "gap_days": 10}),        # spans from the sightings themselves
    ("/api/v1/insights/trends", {**WINDOW, "boards": "indeed"}),    # a filter on postings
    ("/api/v1/insights/trends", {**WINDOW, "term_weeks": 2, "min_count": 1}),
]


def market(conn):
    rng = random.Random(3)
    for i in range(160):
        seen = sorted({T0 + rng.randrange(70) * DAY for _ in range(rng.randint(1, 4))})
        pay = rng.choice([None, 90_000, 120_000, 150_000])
        cluster, _ = posting(conn, title=rng.choice(TITLES), company=COMPANIES[i % len(COMPANIES)],
                             site=rng.choice(["indeed", "linkedin", "glassdoor"]), seen=seen,
                             low=pay, high=pay and pay + 20_000, interval=pay and "yearly",
                             currency=pay and "USD", remote=rng.random() < 0.3)
        if i % 7 == 0:  # the same job on a second board
            posting(conn, title="Python Developer", company=COMPANIES[i % len(COMPANIES)], site="zip_recruiter",
                    cluster=cluster, seen=[at + DAY for at in seen])


def forget(conn, company_key):
    conn.execute("DELETE FROM jobs WHERE cluster_id IN (SELECT id FROM clusters WHERE company_key = ?)",
                 (company_key,))
    conn.execute("DELETE FROM clusters WHERE company_key = ?", (company_key,))


def answers(client):
    out = []
    for path, params in QUESTIONS:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        out.append(response.json())
    return out


@pytest.mark.parametrize("blocked", ["Globex", "Acme"])
def test_blocking_a_company_answers_as_if_its_jobs_were_never_stored(app, client, blocked):
    pro(app)
    write(client, market)
    everything = answers(client)
    assert client.patch("/api/v1/preferences", json={"companyBlocklist": [blocked]}).status_code == 200
    with_blocklist = answers(client)
    assert with_blocklist != everything
    companies = {c["key"] for c in with_blocklist[2]["items"]}
    assert blocked.lower() not in companies and len(companies) == len(COMPANIES) - 1
    resume = client.post("/api/v1/resumes", json={"name": "cv", "text": "Python developer, data engineer"}).json()
    matches = client.get(f"/api/v1/resumes/{resume['id']}/matches", params={"limit": 200}).json()
    assert matches["scored"] == 160 - 160 // len(COMPANIES)  # every other company's jobs

    assert client.patch("/api/v1/preferences", json={"companyBlocklist": []}).status_code == 200
    write(client, forget, blocked.lower())
    assert with_blocklist == answers(client)
