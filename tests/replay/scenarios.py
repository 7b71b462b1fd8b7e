"""Named replay scenarios: the routes (see ``tests.replay``) each board is answered with.

Every scenario covers all five boards, so a worker asked for several boards gets
an answer from each: a failure scenario replaces only the failing board's routes
and leaves the others answering normally (``CONNECTION_RESET`` fails them all).

The fixtures in ``boards/`` describe one search, "python engineer" near New York
(LinkedIn and Google answer it with jobs from Taipei, London and Hong Kong too).
One job is on every board: "Senior Python Engineer" at Nimbus Analytics in
New York, applied for at ``SHARED_APPLY_URL`` (Indeed, ZipRecruiter and Google
carry that URL). "Software Engineer, Platform" at Formosa Semiconductor (Taipei)
and "Quant Developer" at Victoria Harbour Capital (Hong Kong) are on LinkedIn
and Google.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Route = dict[str, Any]

SHARED_APPLY_URL = "https://careers.nimbusanalytics.com/jobs/4821"
HOSTS = {
    "indeed": "apis.indeed.com",
    "linkedin": "www.linkedin.com",
    "zip_recruiter": "www.ziprecruiter.com",
    "glassdoor": "www.glassdoor.com",
    "google": "www.google.com",
}
HTML = {"content-type": "text/html; charset=utf-8"}
JSON = {"content-type": "application/json"}

LINKEDIN_JOB_IDS = ["3901234567", "3901234568", "3901234569", "3901234570", "3901234571"]
ZIP_RECRUITER_JOBS = {  # listing key: its page's path
    "8f2d61c0a93b1e77": "/c/Nimbus-Analytics/Job/Senior-Python-Engineer/-in-New-York,NY",
    "41c9e0b7d2a35f68": "/c/Brightline-Logistics/Job/Python-Developer/-in-Chicago,IL",
    "d5a0f3c8e17b2946": "/c/Maple-Ledger/Job/Backend-Engineer/-in-Toronto,ON",
    "7be2c4d6f8a01935": "/c/Hudson-Media/Job/Data-Analyst/-in-New-York,NY",
}
GOOGLE_NEXT_PAGE = "EuIBCqIBQUxrdDRfR0lyX3RmVXlUNmJJX1Z4bGc0Z0N3ZVh1VE9MZ3VQOGNzWjJfUHlUc2x4S1pWY2U"


def route(method: str, board: str, path: str, body_file: str | None = None, **extra: Any
          ) -> Route:
    headers = JSON if body_file and body_file.endswith(".json") else HTML
    found = {"method": method, "host": HOSTS[board], "path": path, "headers": headers}
    if body_file:
        found["body_file"] = body_file
    return found | extra


# -- each board answering normally ----------------------------------------------

OK: dict[str, list[Route]] = {
    "indeed": [
        # the second page is the query that carries the first page's cursor
        route("POST", "indeed", "/graphql", "indeed_search_page2.json",
              match={"contains": 'cursor: "eyJwYWdlIjoyfQ"'}),
        route("POST", "indeed", "/graphql", "indeed_search_page1.json"),
    ],
    "linkedin": [
        route("GET", "linkedin", "/jobs-guest/jobs/api/seeMoreJobPostings/search",
              "linkedin_search.html", match={"params": {"start": 0}}),
        *(route("GET", "linkedin", f"/jobs/view/{job_id}", f"linkedin_job_{job_id}.html")
          for job_id in LINKEDIN_JOB_IDS),
    ],
    "zip_recruiter": [
        route("GET", "zip_recruiter", "/jobs-search", "ziprecruiter_search.html"),
        *(route("GET", "zip_recruiter", path, f"ziprecruiter_job_{key}.html",
                match={"params": {"jid": key}})
          for key, path in ZIP_RECRUITER_JOBS.items()),
    ],
    "glassdoor": [
        route("GET", "glassdoor", "/autocomplete/location", "glassdoor_location.json"),
        route("POST", "glassdoor", "/graph", "glassdoor_search.json",
              match={"json": {"operationName": "JobSearchResultsQuery"}}),
        route("POST", "glassdoor", "/graph", "glassdoor_details.json",
              match={"json": {"operationName": "JobDetails"}}),
    ],
    "google": [
        route("GET", "google", "/search", "google_search.html", match={"params": {"udm": 8}}),
        route("GET", "google", "/async/callback:550", "google_jobs_page2.txt",
              match={"params": {"fc": GOOGLE_NEXT_PAGE}}),
    ],
}

NO_ROWS: dict[str, list[Route]] = {
    "indeed": [route("POST", "indeed", "/graphql", "indeed_no_results.json")],
    "linkedin": [route("GET", "linkedin", "/jobs-guest/jobs/api/seeMoreJobPostings/search",
                       "linkedin_no_results.html")],
    "zip_recruiter": [route("GET", "zip_recruiter", "/jobs-search", "ziprecruiter_no_results.html")],
    "glassdoor": [
        OK["glassdoor"][0],
        route("POST", "glassdoor", "/graph",
              body=[{"data": {"jobListings": {"jobListings": [], "paginationCursors": []}}}],
              headers=JSON),
    ],
    "google": [route("GET", "google", "/search", "google_no_results.html")],
}


def with_boards(**replaced: list[Route]) -> list[Route]:
    """Every board answering normally, except those given (board name: routes)."""
    unknown = set(replaced) - set(OK)
    if unknown:
        raise ValueError(f"unknown boards {sorted(unknown)}")
    return [r for board, routes in OK.items() for r in replaced.get(board, routes)]


def reset(board: str) -> list[Route]:
    """The board's connection is reset on every request."""
    return [route("*", board, "*", error="connection_reset")]


def google_hangs(seconds: float = 30.0) -> list[Route]:
    """Google answers nothing for ``seconds``, then times out as the real session would."""
    return with_boards(google=[route("GET", "google", "*", delay_seconds=seconds, error="timeout")])


INDEED_429_ROUTE = route("POST", "indeed", "/graphql", "indeed_429.json", status=429,
                         headers=JSON | {"retry-after": "60"})

ALL_BOARDS_OK = with_boards()
ALL_BOARDS_NO_ROWS = with_boards(**NO_ROWS)
INDEED_429 = with_boards(indeed=[INDEED_429_ROUTE])
# blocked once, then fine: for retries
INDEED_429_THEN_OK = with_boards(indeed=[INDEED_429_ROUTE | {"times": 1}, *OK["indeed"]])
# a Cloudflare challenge page
INDEED_BLOCKED = with_boards(indeed=[route("POST", "indeed", "/graphql", "indeed_blocked.html",
                                           status=403)])
# Indeed's Cloudflare challenge: a 200 HTML page where jobspy expects JSON
INDEED_CHALLENGE = with_boards(indeed=[route("POST", "indeed", "/graphql", "indeed_blocked.html")])
LINKEDIN_429 = with_boards(linkedin=[route("GET", "linkedin", "/jobs-guest/*", status=429,
                                           body="")])
# LinkedIn answers 200 with its sign-up wall instead of job cards
LINKEDIN_BLOCKED = with_boards(linkedin=[route("GET", "linkedin", "/jobs-guest/*",
                                               "linkedin_authwall.html")])
CONNECTION_RESET = with_boards(**{board: reset(board) for board in OK})
GOOGLE_HANGS = google_hangs()

SCENARIOS: dict[str, list[Route]] = {
    "ALL_BOARDS_OK": ALL_BOARDS_OK,
    "ALL_BOARDS_NO_ROWS": ALL_BOARDS_NO_ROWS,
    "INDEED_429": INDEED_429,
    "INDEED_429_THEN_OK": INDEED_429_THEN_OK,
    "INDEED_BLOCKED": INDEED_BLOCKED,
    "INDEED_CHALLENGE": INDEED_CHALLENGE,
    "LINKEDIN_429": LINKEDIN_429,
    "LINKEDIN_BLOCKED": LINKEDIN_BLOCKED,
    "CONNECTION_RESET": CONNECTION_RESET,
    "GOOGLE_HANGS": GOOGLE_HANGS,
}


def write_scenario(scenario: str | list[Route], path: str | Path) -> Path:
    """Write a scenario (a name in SCENARIOS, or routes) where a worker subprocess
    can read it: point JOBDECK_TEST_REPLAY at the returned path."""
    name, routes = ((scenario, SCENARIOS[scenario]) if isinstance(scenario, str)
                    else ("custom", scenario))
    path = Path(path)
    path.write_text(json.dumps({"name": name, "routes": routes}, indent=2), encoding="utf-8")
    return path
