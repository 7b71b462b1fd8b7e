"""jobspy's real parsers, fed hand-written board responses by tests.replay.

These pin down what jobspy 1.4.1 returns, rows and ``df.attrs``, for each board
answering, refusing (429/403, a block page), dropping the connection, hanging or
finding nothing; the scrape worker is built on exactly these facts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import requests
from curl_cffi.requests import exceptions as curl_exceptions
from jobspy import scrape_jobs
from jobspy.linkedin import LinkedIn
from jobspy.model import JobPost
from jobspy.util import RotatingProxySession

from tests.replay import REPLAY_ENV, REPLAY_LOG_ENV, UnmatchedRequest, replay
from tests.replay import scenarios as sc
from tests.replay.responses import FakeResponse

REPO = Path(__file__).resolve().parent.parent
BLOCKED_429 = "response status code 429 (blocked: use a proxy)"
BLOCKED_403 = "response status code 403 (blocked: use a proxy)"
RESET_REQUESTS = "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"
RESET_CURL = ("Failed to perform, curl: (56) Recv failure: Connection reset by peer. "
              "See https://curl.se/libcurl/c/libcurl-errors.html first for more details.")


def scrape(board: str | list[str], **options: object) -> pd.DataFrame:
    arguments = {"search_term": "python engineer", "location": "New York, NY",
                 "results_wanted": 20, "country_indeed": "usa", "verbose": 0} | options
    return scrape_jobs(site_name=[board] if isinstance(board, str) else board, **arguments)


def row(df: pd.DataFrame, title: str) -> pd.Series:
    found = df[df.title == title]
    assert len(found) == 1, f"{title!r}: {len(found)} rows"
    return found.iloc[0]


def pay(job: pd.Series) -> tuple[object, ...]:
    names = ("interval", "min_amount", "max_amount", "currency")
    return tuple(None if pd.isna(job[name]) else job[name] for name in names)


def no_errors(df: pd.DataFrame) -> bool:
    return df.attrs == {"errors": {}, "warnings": {}}


# -- each board answering -------------------------------------------------------

def test_indeed_reads_both_pages_of_its_graphql_search():
    with replay(sc.ALL_BOARDS_OK) as replayer:
        df = scrape("indeed")
    assert no_errors(df)
    assert sorted(df.id) == ["in-0b1c2d3e4f5a6b7c", "in-5f1c0de4a9b27e31", "in-a83e9b1c2d4f6071",
                             "in-c07d5e2f9a1b3846", "in-e4f6a7b8c9d01234"]
    first, second = replayer.requests_to("apis.indeed.com", "/graphql")
    assert "cursor:" not in first.json["query"] and 'cursor: "eyJwYWdlIjoyfQ"' in second.json["query"]

    nimbus = row(df, "Senior Python Engineer")
    assert (nimbus.company, nimbus.location) == ("Nimbus Analytics", "New York, NY, USA")
    assert pay(nimbus) == ("yearly", 150000.0, 185000.0, "USD")
    assert nimbus.job_url_direct == sc.SHARED_APPLY_URL
    assert nimbus.company_rating == 4.1 and nimbus.emails == "talent@nimbusanalytics.com"
    lumen = row(df, "Backend Developer (Django)")  # only Indeed's estimate; applied on Indeed
    assert pay(lumen) == ("yearly", 118000.0, 142000.0, "USD") and pd.isna(lumen.job_url_direct)
    remote = row(df, "Data Engineer")
    assert pay(remote) == ("hourly", 65.0, 80.0, "USD") and remote.is_remote
    assert remote.job_type == "contract" and remote.location == "USA"
    assert pay(row(df, "Python Developer")) == ("monthly", 9500.0, 9500.0, "USD")
    orchid = row(df, "Machine Learning Engineer")  # employer null: the source name is used
    assert orchid.company == "Orchid AI" and pay(orchid) == (None, None, None, None)


def test_indeed_stops_paging_once_it_has_the_results_wanted():
    with replay(sc.ALL_BOARDS_OK) as replayer:
        df = scrape("indeed", results_wanted=2)
    assert list(df.title) == ["Senior Python Engineer", "Backend Developer (Django)"]
    assert len(replayer.seen) == 1


def test_linkedin_reads_search_cards_without_asking_for_details():
    with replay(sc.ALL_BOARDS_OK) as replayer:
        df = scrape("linkedin")
    assert no_errors(df)
    assert [s.path for s in replayer.seen] == ["/jobs-guest/jobs/api/seeMoreJobPostings/search"]
    assert replayer.seen[0].params == {"keywords": "python engineer", "location": "New York, NY",
                                       "distance": "50", "start": "0"}
    assert list(df.id) == [f"li-{job_id}" for job_id in sc.LINKEDIN_JOB_IDS]
    assert list(df.location) == ["New York, NY, USA", "Taipei City, Taipei City, Taiwan",
                                 "London, England, UK", "Hong Kong, Hong Kong SAR", "USA"]
    assert list(df.is_remote) == [False, False, False, False, True]
    assert df.min_amount.isna().all()  # pay is only on the job pages


def test_linkedin_job_pages_give_pay_type_and_description():
    with replay(sc.ALL_BOARDS_OK) as replayer:
        df = scrape("linkedin", fetch_description=True)
    assert no_errors(df)
    assert len(replayer.requests_to("www.linkedin.com", "/jobs/view/*")) == 5
    assert pay(row(df, "Senior Python Engineer")) == ("yearly", 150000.0, 185000.0, "USD")
    assert pay(row(df, "Backend Engineer")) == ("yearly", 65000.0, 80000.0, "GBP")
    assert pay(row(df, "Quant Developer")) == ("monthly", 40000.0, 55000.0, "HK$")
    guessed = row(df, "Python Developer (Remote)")  # "$60 - $75 an hour" in the text
    assert pay(guessed) == ("hourly", 60.0, 75.0, "USD") and guessed.salary_source == "description"
    assert guessed.job_type == "contract" and guessed.emails == "jobs@brightline-logistics.com"
    taipei = row(df, "Software Engineer, Platform")
    assert pay(taipei) == (None, None, None, None) and taipei.job_level == "associate"
    assert taipei.description.startswith("Join the fab automation platform team")


def test_zip_recruiter_reads_next_js_job_cards_and_job_pages():
    with replay(sc.ALL_BOARDS_OK) as replayer:
        df = scrape("zip_recruiter", fetch_description=True)
    assert no_errors(df)
    assert sorted(df.id) == sorted(f"zr-{key}" for key in sc.ZIP_RECRUITER_JOBS)
    assert len(replayer.requests_to("www.ziprecruiter.com", "/c/*")) == 4
    nimbus = row(df, "Senior Python Engineer")
    assert nimbus.job_url_direct == sc.SHARED_APPLY_URL  # decoded from the redirect's token
    assert pay(nimbus) == ("yearly", 150000.0, 185000.0, "USD")
    assert nimbus.company_rating == 4.1 and nimbus.company_url_direct == "https://www.nimbusanalytics.com"
    assert nimbus.description.startswith("Nimbus Analytics builds forecasting tools")
    remote = row(df, "Python Developer")
    assert remote.is_remote and pay(remote) == ("hourly", 60.0, 75.0, "USD")
    assert remote.job_url_direct.endswith("/jobs/7712035?gh_src=zr&click=")  # "[click_id]" dropped
    toronto = row(df, "Backend Engineer")
    assert toronto.location == "Toronto, ON, Canada" and pay(toronto) == ("yearly", 110000.0, 130000.0, "CAD")
    hidden = row(df, "Data Analyst")  # pay not visible
    assert pay(hidden) == (None, None, None, None) and hidden.job_type == "parttime"


def test_glassdoor_finds_the_location_then_searches_then_fetches_details():
    with replay(sc.ALL_BOARDS_OK) as replayer:
        df = scrape("glassdoor", fetch_description=True)
    assert no_errors(df)
    autocomplete, search, details = replayer.seen
    assert autocomplete.params["term"] == "New York, NY"
    assert search.json[0]["operationName"] == "JobSearchResultsQuery"
    assert search.json[0]["variables"]["locationId"] == 1132348
    assert details.json[0]["operationName"] == "JobDetails"
    assert sorted(df.id) == ["gd-1009523617842", "gd-1009523617843", "gd-1009523617844",
                             "gd-1009523617845"]
    assert pay(row(df, "Senior Python Engineer")) == ("yearly", 148000.0, 190000.0, "USD")
    assert pay(row(df, "Backend Developer (Django)")) == ("monthly", 9000.0, 11500.0, "USD")
    remote = row(df, "Python Developer")
    assert pay(remote) == ("hourly", 58.0, 77.25, "USD") and remote.is_remote
    assert pd.isna(remote.location)
    assert row(df, "Machine Learning Engineer").location == "New York State, USA"
    assert row(df, "Python Developer").description == "Fully remote contract. Airflow, dbt, Snowflake."
    assert pd.isna(row(df, "Backend Developer (Django)").description)  # its details were null


def test_google_reads_the_embedded_jobs_then_the_next_page():
    with replay(sc.ALL_BOARDS_OK) as replayer:
        df = scrape("google")
    assert no_errors(df)
    search, more = replayer.seen
    assert search.params == {"q": "python engineer jobs near New York, NY", "udm": "8"}
    assert more.path == "/async/callback:550" and more.params["fc"] == sc.GOOGLE_NEXT_PAGE
    assert len(df) == 5 and df.id.str.startswith("go-").all()
    assert row(df, "Senior Python Engineer").job_url == sc.SHARED_APPLY_URL
    assert row(df, "Quant Developer").location == "Hong Kong"
    assert row(df, "Software Engineer, Platform").company == "Formosa Semiconductor"
    assert row(df, "Python Developer").is_remote  # "remote" in the description
    assert df.min_amount.isna().all()  # Google gives no pay


def test_one_job_is_on_every_board():
    with replay(sc.ALL_BOARDS_OK):
        df = scrape(list(sc.HOSTS), fetch_description=True)
    assert no_errors(df)
    shared = df[(df.title == "Senior Python Engineer") & (df.company == "Nimbus Analytics")]
    assert sorted(shared.site) == ["glassdoor", "google", "indeed", "linkedin", "zip_recruiter"]
    assert shared.location.str.startswith("New York, NY").all()
    apply_urls = shared.job_url_direct.fillna(shared.job_url[shared.site == "google"])
    assert set(apply_urls.dropna()) == {sc.SHARED_APPLY_URL}
    assert sorted(shared.site[apply_urls.notna()]) == ["google", "indeed", "zip_recruiter"]


# -- boards failing ---------------------------------------------------------------

@pytest.mark.parametrize(("routes", "board", "error"), [
    (sc.INDEED_429, "indeed", BLOCKED_429),
    (sc.INDEED_BLOCKED, "indeed", BLOCKED_403),
    (sc.INDEED_CHALLENGE, "indeed", "Expecting value: line 1 column 1 (char 0)"),
    (sc.LINKEDIN_429, "linkedin", BLOCKED_429),
    (sc.LINKEDIN_BLOCKED, "linkedin", "unexpected page with no jobs (blocked?)"),
], ids=["indeed-429", "indeed-403", "indeed-challenge-200", "linkedin-429", "linkedin-authwall"])
def test_a_refused_board_returns_no_rows_and_its_error(routes, board, error):
    with replay(routes) as replayer:
        df = scrape(board)
    assert len(df) == 0 and list(df.columns) == list(JobPost.model_fields)
    assert df.attrs == {"errors": {board: error}, "warnings": {}}
    assert len(replayer.seen) == 1  # no retry inside jobspy


def test_a_refused_board_does_not_stop_the_others():
    with replay(sc.INDEED_429):
        df = scrape(["indeed", "linkedin"])
    assert df.attrs["errors"] == {"indeed": BLOCKED_429}
    assert set(df.site) == {"linkedin"} and len(df) == 5


def test_a_route_with_times_answers_only_that_often():
    with replay(sc.INDEED_429_THEN_OK):
        refused, answered = scrape("indeed"), scrape("indeed")
    assert refused.attrs["errors"] == {"indeed": BLOCKED_429} and len(refused) == 0
    assert no_errors(answered) and len(answered) == 5


@pytest.mark.parametrize(("board", "error"), [
    ("indeed", RESET_REQUESTS), ("linkedin", RESET_REQUESTS), ("google", RESET_REQUESTS),
    ("zip_recruiter", RESET_CURL), ("glassdoor", RESET_CURL),
])
def test_a_reset_connection_is_the_boards_error(board, error):
    with replay(sc.CONNECTION_RESET) as replayer:
        df = scrape(board)
    assert len(df) == 0 and df.attrs == {"errors": {board: error}, "warnings": {}}
    assert [s.host for s in replayer.seen] == [sc.HOSTS[board]]


@pytest.mark.parametrize(("board", "errors"), [
    ("indeed", {}), ("linkedin", {}), ("zip_recruiter", {}), ("glassdoor", {}),
    ("google", {"google": "no job data returned"}),  # only Google calls no rows an error
])
def test_no_rows(board, errors):
    with replay(sc.ALL_BOARDS_NO_ROWS):
        df = scrape(board)
    assert len(df) == 0 and df.attrs == {"errors": errors, "warnings": {}}


def test_a_hung_board_waits_then_times_out():
    with replay(sc.google_hangs(0.3)):
        started = time.monotonic()
        df = scrape("google")
    assert time.monotonic() - started >= 0.3
    assert df.attrs["errors"] == {"google": "HTTPSConnectionPool(host='www.google.com', port=443): "
                                            "Read timed out. (read timeout=15)"}


# -- the replayer itself ----------------------------------------------------------

@pytest.mark.parametrize(("board", "routes", "sent"), [
    ("indeed", [], "POST https://apis.indeed.com/graphql"),
    # jobspy turns a failed job page into a log line: the replayer must not let it
    ("linkedin", sc.with_boards(linkedin=sc.OK["linkedin"][:1]),
     "GET https://www.linkedin.com/jobs/view/3901234567"),
], ids=["search", "job-page"])
def test_an_unmatched_request_raises_through_jobspy_naming_it(board, routes, sent):
    df = None
    with pytest.raises(UnmatchedRequest, match=re.escape(sent)):
        with replay(routes):
            df = scrape(board, fetch_description=True)
    assert df is None  # raised through scrape_jobs, not turned into a board error


def test_an_unmatched_request_fails_the_block_even_when_caught_inside_it():
    with pytest.raises(UnmatchedRequest, match="apis.indeed.com"):
        with replay([]):
            try:
                scrape("indeed")
            except UnmatchedRequest:
                pass  # a careless caller


@pytest.mark.parametrize(("board", "near_miss", "sent"), [
    ("indeed", sc.route("GET", "indeed", "/graphql", "indeed_search_page1.json"),
     "POST https://apis.indeed.com/graphql"),
    ("google", sc.route("GET", "google", "/search", "google_search.html",
                        match={"params": {"udm": 9}}),
     "GET https://www.google.com/search?q=python+engineer+jobs+near+New+York%2C+NY&udm=8"),
    ("linkedin", sc.route("GET", "linkedin", "/jobs-guest/jobs/api/seeMoreJobPostings",
                          "linkedin_search.html"),
     "GET https://www.linkedin.com/jobs-guest/jobs/api/seeMoreJobPostings/search?"),
    ("glassdoor", sc.route("GET", "glassdoor", "/autocomplete/location", "glassdoor_location.json",
                           match={"json": {"operationName": "JobDetails"}}),
     "GET https://www.glassdoor.com/autocomplete/location?"),
], ids=["method", "params", "path", "json"])
def test_a_route_answers_only_the_request_it_describes(board, near_miss, sent):
    with pytest.raises(UnmatchedRequest, match=re.escape(sent)):
        with replay([near_miss]):
            scrape(board)


def test_replay_zeroes_board_delays_and_restores_everything():
    original = RotatingProxySession.request
    with replay(sc.ALL_BOARDS_OK):
        assert LinkedIn.delay == (0, 0) and RotatingProxySession.request is not original
    assert LinkedIn.delay == (3, 7) and RotatingProxySession.request is original


def test_the_fake_response_fails_as_the_real_one_would():
    refused = FakeResponse(429, b"<html>slow down</html>", "https://apis.indeed.com/graphql",
                           {"Retry-After": "60"}, "requests")
    assert not refused.ok and refused.headers["retry-after"] == "60"
    with pytest.raises(requests.HTTPError, match="429"):
        refused.raise_for_status()
    with pytest.raises(requests.exceptions.JSONDecodeError):
        refused.json()
    with pytest.raises(curl_exceptions.HTTPError):
        FakeResponse(403, b"", "https://www.glassdoor.com/graph", {}, "curl").raise_for_status()
    FakeResponse(200, b"{}", "https://www.glassdoor.com/graph", {}, "curl").raise_for_status()


def test_a_subprocess_replays_the_scenario_named_in_its_environment(tmp_path):
    # tests/hooks/sitecustomize.py, first on PYTHONPATH, calls install_from_env()
    hooks = str(REPO / "tests" / "hooks")
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join([hooks, os.environ.get("PYTHONPATH", "")]),
        "JOBDECK_TEST_HOOKS": str(REPO),
        REPLAY_ENV: str(sc.write_scenario("INDEED_429", tmp_path / "scenario.json")),
        REPLAY_LOG_ENV: str(tmp_path / "requests.jsonl")}
    code = ("import json, sys\n"
            "assert 'jobspy' not in sys.modules  # installed lazily, on import\n"
            "from jobspy import scrape_jobs\n"
            "df = scrape_jobs(site_name=['indeed', 'google'], search_term='python engineer',\n"
            "                 location='New York, NY', verbose=0)\n"
            "print(json.dumps({'sites': sorted(set(df.site)), 'attrs': df.attrs}))\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"sites": ["google"],
                                       "attrs": {"errors": {"indeed": BLOCKED_429}, "warnings": {}}}
    seen = [json.loads(line) for line in (tmp_path / "requests.jsonl").read_text().splitlines()]
    assert sorted(s["host"] for s in seen) == ["apis.indeed.com", "www.google.com", "www.google.com"]
    assert all(s["route"] is not None for s in seen)
