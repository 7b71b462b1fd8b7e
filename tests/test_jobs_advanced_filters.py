"""Advanced filters (Pro, ``filters.advanced``) on GET /api/v1/jobs: title
only, excluded words, seniority, industry, company rating, direct apply; and
what Free gets instead (a clear 402, the basic filters untouched)."""

import pytest

from tests.plans import pro
from tests.test_jobs_api import load

COLUMNS = ["id", "site", "title", "company", "location", "date_posted", "description", "job_level",
           "company_industry", "company_rating", "job_url_direct"]
ROWS = [
    ["li-1", "linkedin", "Python Developer", "Acme", "Taipei", "2026-11-20", "Django services, some Rust",
     "Mid-Senior level", "Technology, Information and Internet", "", "https://acme.example/jobs/1"],
    ["li-2", "linkedin", "Senior Data Engineer", "Beta", "Taipei", "2026-11-19", "Spark and Python pipelines",
     "Mid-Senior level", "Financial Services", "", ""],
    ["li-3", "linkedin", "Junior Python Developer", "Gamma", "Remote", "2026-11-18", "Learn Django",
     "Entry level", "Technology, Information and Internet", "", ""],
    ["gd-1", "glassdoor", "Backend Engineer", "Delta", "Taipei", "2026-11-17",
     "Python APIs; security clearance required", "", "Defense", "4.4", ""],
    ["gd-2", "glassdoor", "Rust Engineer", "Epsilon", "Taipei", "2026-11-16", "Systems work in Rust", "",
     "Technology, Information and Internet", "3.1", "https://epsilon.example/apply"],
]


@pytest.fixture
def stored(client):
    load(client, ROWS, COLUMNS)
    return client


def titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(item["title"] for item in response.json()["items"])


def test_free_gets_a_clear_402_naming_the_filters_used(stored):
    for params in ({"title_only": "true", "q": "python"}, {"exclude": "senior"}, {"level": "Entry level"},
                   {"industry": "Defense"}, {"min_rating": "4"}, {"direct_apply": "true"}):
        response = stored.get("/api/v1/jobs", params=params)
        assert response.status_code == 402, (params, response.text)
        error = response.json()["error"]
        assert error["details"]["entitlement"] == "filters.advanced"
        assert next(iter(params)) in error["message"]
    # The basic filters stay Free.
    assert titles(stored.get("/api/v1/jobs", params={"q": "python", "location": "Taipei"})) == [
        "Backend Engineer", "Python Developer", "Senior Data Engineer"]


def test_title_only_ignores_mentions_in_the_description(stored, app):
    pro(app)
    assert titles(stored.get("/api/v1/jobs", params={"q": "python"})) == [
        "Backend Engineer", "Junior Python Developer", "Python Developer", "Senior Data Engineer"]
    assert titles(stored.get("/api/v1/jobs", params={"q": "python", "title_only": "true"})) == [
        "Junior Python Developer", "Python Developer"]
    assert titles(stored.get("/api/v1/jobs", params={"q": "pyth*", "title_only": "true", "sort": "newest"})) == [
        "Junior Python Developer", "Python Developer"]


def test_excluded_words_and_phrases_hide_jobs_that_mention_them(stored, app):
    pro(app)
    assert titles(stored.get("/api/v1/jobs", params={"exclude": "senior, security clearance"})) == [
        "Junior Python Developer", "Python Developer", "Rust Engineer"]
    # A phrase is a phrase: "clearance security" is not in any posting.
    assert len(titles(stored.get("/api/v1/jobs", params={"exclude": "clearance security"}))) == 5
    # Combined with a query and its facets.
    response = stored.get("/api/v1/jobs", params={"q": "rust", "exclude": "django", "facets": "true"})
    assert titles(response) == ["Rust Engineer"]
    assert response.json()["facets"]["boards"] == {"glassdoor": 1}


def test_seniority_industry_rating_and_direct_apply(stored, app):
    pro(app)
    assert titles(stored.get("/api/v1/jobs", params={"level": "Entry level"})) == ["Junior Python Developer"]
    assert titles(stored.get("/api/v1/jobs", params=[("level", "Entry level"), ("level", "Mid-Senior level")])) == [
        "Junior Python Developer", "Python Developer", "Senior Data Engineer"]
    # Industries hold commas: each is one repeated parameter, never split.
    assert titles(stored.get("/api/v1/jobs", params={"industry": "Technology, Information and Internet"})) == [
        "Junior Python Developer", "Python Developer", "Rust Engineer"]
    assert titles(stored.get("/api/v1/jobs", params={"min_rating": "4"})) == ["Backend Engineer"]
    assert titles(stored.get("/api/v1/jobs", params={"min_rating": "3", "direct_apply": "true"})) == ["Rust Engineer"]
    assert titles(stored.get("/api/v1/jobs", params={"direct_apply": "true", "sort": "newest"})) == [
        "Python Developer", "Rust Engineer"]


def test_bad_advanced_input_is_a_400_with_a_message(stored, app):
    pro(app)
    for params in ({"min_rating": "6"}, {"min_rating": "good"}, {"exclude": '""'}, {"exclude": "x" * 501}):
        response = stored.get("/api/v1/jobs", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["error"]["message"]


def test_filter_options_count_jobs_per_value_and_say_if_on(stored, app):
    options = stored.get("/api/v1/jobs/filter-options").json()
    assert options["access"] == {"on": False, "reason": "unlicensed"}
    pro(app)
    assert stored.get("/api/v1/jobs/filter-options").json()["access"] == {"on": True, "reason": "active"}
    assert options["levels"] == [{"value": "Mid-Senior level", "jobs": 2}, {"value": "Entry level", "jobs": 1}]
    assert options["industries"][0] == {"value": "Technology, Information and Internet", "jobs": 3}
    assert {o["value"] for o in options["industries"]} == {
        "Technology, Information and Internet", "Financial Services", "Defense"}
    assert options["rated"] == 2 and options["directApply"] == 2


def test_an_overlong_level_or_industry_is_refused(stored, app):
    pro(app)
    response = stored.get("/api/v1/jobs", params={"industry": "x" * 201})
    assert response.status_code == 400 and "industry" in response.json()["error"]["message"]


# A job on two boards: LinkedIn knows its seniority, Glassdoor its rating and
# an apply link, and Glassdoor's text adds a line to the same description.
REPOSTED = [
    ["li-9", "linkedin", "Platform Engineer", "Zeta", "Taipei", "2026-11-10", "Kubernetes at scale",
     "Associate", "Software Development", "", ""],
    ["gd-9", "glassdoor", "Platform engineer", "Zeta", "Taipei", "2026-11-11",
     "Kubernetes at scale\n\nOn call one week in six", "", "Technology", "3.9", "https://zeta.example/apply"],
]


def test_the_sync_feed_carries_what_the_filters_test_for_every_posting(client, app):
    load(client, [*ROWS, *REPOSTED], COLUMNS)
    pro(app)
    feed = {c["id"]: c for c in client.get("/api/v1/sync", params={"limit": 500}).json()["changes"]}
    expected = client.get("/api/v1/jobs", params={"min_rating": "3.5", "level": "Associate"}).json()["items"]
    assert [item["title"] for item in expected] == ["Platform engineer"]  # both postings' facts
    job = feed[expected[0]["id"]]
    assert job["postings"] == 2
    assert (sorted(job["levels"]), sorted(job["industries"])) == (["Associate"], ["Software Development", "Technology"])
    assert job["companyRating"] == 3.9 and job["directApply"] is True
    # The other posting's text: its own title, and only what its description adds.
    [other] = job["otherPostings"]
    assert other["title"] == "Platform Engineer"
    assert job["description"][:other["shared"]] + other.get("rest", "") == "Kubernetes at scale"
    hidden = client.get("/api/v1/jobs", params={"exclude": "on call"}).json()["items"]
    assert job["id"] not in {item["id"] for item in hidden}
    single = next(c for c in feed.values() if c["title"] == "Backend Engineer")
    assert (single["industries"], single["companyRating"]) == (["Defense"], 4.4)
    assert not {"levels", "directApply", "otherPostings"} & single.keys()  # empty facts are left out


def test_filter_options_say_until_when_pro_holds_without_the_service(stored, app):
    assert stored.get("/api/v1/jobs/filter-options").json()["validUntil"] is None
    pro(app)
    until = stored.get("/api/v1/jobs/filter-options").json()["validUntil"]
    assert until and until.endswith("Z") and until > "2026-"
