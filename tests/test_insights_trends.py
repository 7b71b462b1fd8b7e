"""Market trends from sightings: new jobs per week, days visible, reposts, likely ghosts,
remote share and rising/falling terms, against stores worked out by hand.

The window: 12 weeks ending Sunday 2026-12-13, so week 0 is Monday 2026-09-21 (the week of T0).
"""

from __future__ import annotations

import pytest

from tests.insights_store import DAY, T0, posting, write
from tests.plans import pro

TRENDS = "/api/v1/insights/trends"
WINDOW = {"end": "2026-12-13", "weeks": 12}


def history(conn):
    days = lambda *ds: [T0 + d * DAY for d in ds]  # noqa: E731
    posting(conn, title="Python Developer", site="linkedin", seen=days(0))                      # A: 0 days
    posting(conn, title="Python Developer", site="indeed", remote=True, seen=days(0, 7))        # B: 7
    posting(conn, title="Python Developer", site="indeed", seen=days(7, 14))                    # C: 7
    posting(conn, title="Python Developer", site="zip_recruiter", seen=days(7, 14, 21))         # D: 14
    posting(conn, title="Python Developer", site="indeed", seen=days(14, 35))                   # E: 21, 1 repost
    posting(conn, title="Python Developer", site="indeed", remote=True, seen=days(42, 70))      # F: still up
    posting(conn, title="Python Developer", site="glassdoor", seen=days(0, 21, 42, 63))         # G: 63, 3 reposts
    posting(conn, title="Registered Nurse", seen=days(0))                                       # not "python"


@pytest.fixture
def store(app, client):
    pro(app)
    write(client, history)


def test_weeks_visibility_reposts_and_ghosts(client, store):
    response = client.get(TRENDS, params={"q": "python", **WINDOW})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["start"], body["end"], body["jobs"]) == ("2026-09-21", "2026-12-13", 7)
    weeks = body["weeks"]
    assert len(weeks) == 12 and weeks[0]["week"] == "2026-09-21" and weeks[11]["week"] == "2026-12-07"
    assert [w["newJobs"] for w in weeks] == [3, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert weeks[0]["newPostingsByBoard"] == {"linkedin": 1, "indeed": 1, "glassdoor": 1}
    assert weeks[0]["remoteShare"] == {"value": None, "n": 3, "tooFew": True}  # 1 of 3: too few
    # Ended = not seen in the last 14 days of the window (since 2026-11-30): A B C D E G.
    # Days visible 0, 7, 7, 14, 21, 63: median (7 + 14) / 2; F is still visible.
    assert body["visible"] == {"medianDays": {"value": 10.5, "n": 6, "tooFew": False}, "ended": 6,
                               "stillVisible": 1, "withoutSightings": 0}
    reposts = body["reposts"]
    assert (reposts["reposted"], reposts["ghostCount"]) == (3, 1)  # E, F (back after 28 days) and G
    assert reposts["share"] == {"value": 0.4286, "n": 7, "tooFew": False}
    ghost = reposts["ghosts"][0]
    assert (ghost["daysVisible"], ghost["reposts"], ghost["title"]) == (63.0, 3, "Python Developer")


def test_filters_and_a_longer_gap(client, store):
    body = client.get(TRENDS, params={"q": "python", "boards": "indeed", **WINDOW}).json()
    assert body["jobs"] == 4  # B, C, E, F
    body = client.get(TRENDS, params={"q": "python", "gap_days": 30, **WINDOW}).json()
    assert body["reposts"]["reposted"] == 0  # no gap reaches 30 days
    assert client.get(TRENDS, params={"q": "nurse", **WINDOW}).json()["jobs"] == 1


def terms_store(conn):
    for i in range(20):   # week 8 (from 2026-11-16): half ask for Python
        posting(conn, title="Backend Engineer", description="Python and SQL" if i < 10 else "SQL",
                first_seen=T0 + 56 * DAY)
    for i in range(20):   # week 10 (from 2026-11-30): Rust rises
        posting(conn, title="Backend Engineer", description="Python and SQL" if i < 4 else "Rust and SQL",
                first_seen=T0 + 70 * DAY)


def test_rising_and_falling_terms(app, client):
    pro(app)
    write(client, terms_store)
    terms = client.get(TRENDS, params={"term_weeks": 2, **WINDOW}).json()["terms"]
    assert (terms["recentFrom"], terms["beforeFrom"], terms["recentJobs"], terms["beforeJobs"]) == \
        ("2026-11-30", "2026-11-16", 20, 20)
    assert terms["rising"] == [{"term": "Rust", "kind": "skill", "recent": 16, "before": 0, "recentShare": 0.8,
                                "beforeShare": 0.0, "change": 0.8}]
    assert terms["falling"] == [{"term": "Python", "kind": "skill", "recent": 4, "before": 10,
                                 "recentShare": 0.2, "beforeShare": 0.5, "change": -0.3}]
    strict = client.get(TRENDS, params={"term_weeks": 2, "min_count": 17, **WINDOW}).json()["terms"]
    assert strict["rising"] == strict["falling"] == []
    few = client.get(TRENDS, params={"term_weeks": 2, "q": "nobody", **WINDOW}).json()["terms"]
    assert few["tooFew"] is True and few["rising"] == []


@pytest.mark.parametrize("params", [{"weeks": 0}, {"weeks": 500}, {"term_weeks": 7, "weeks": 12},
                                    {"end": "13/12/2026"}, {"gap_days": -1}])
def test_bad_input(client, store, params):
    response = client.get(TRENDS, params=params)
    assert response.status_code == 400, response.text


def test_trends_need_the_entitlement(client):
    response = client.get(TRENDS)
    assert response.status_code == 402 and response.json()["error"]["details"]["entitlement"] == "insights.trends"
