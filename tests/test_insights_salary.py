"""Salary insights against a small store whose every figure was worked out by hand.

Percentiles are linear interpolation between closest ranks (numpy's default):
for sorted x[0..n-1], h = (n - 1) p / 100, value = x[floor h] + frac(h) (x[floor h + 1] - x[floor h]).
"""

from __future__ import annotations

import pytest

from server.insights.stats import histogram, percentile, percentile_rank
from tests.insights_store import posting, write
from tests.plans import pro

SALARY = "/api/v1/insights/salary"


def python_store(conn):
    """USD "python developer" jobs; midpoints (annual) in the comment of each."""
    ids = {}
    c1, _ = posting(conn, title="Python Developer", company="Acme Inc.", interval="yearly", low=100_000,
                    high=120_000, currency="USD", posted="2026-09-10")                      # 110,000 range
    posting(conn, cluster=c1, site="linkedin", title="Python Developer", company="ACME", interval="yearly",
            low=100_000, high=120_000, currency="USD", posted="2026-09-12", first_seen=1_790_000_100)
    ids["two"], _ = posting(conn, title="Senior Python Developer", company="ACME", interval="yearly",
                            low=90_000, high=90_000, currency="USD")                       # 90,000 single
    ids["hourly"], _ = posting(conn, title="Python Developer", company="Acme, Inc.", interval="hourly",
                               low=50, high=60, currency="USD")       # 104,000-124,800: 114,400 range
    posting(conn, site="zip_recruiter", title="Python Developer", company="Beta Labs", interval="monthly",
            low=10_000, currency="USD")                                                   # 120,000 single
    posting(conn, site="zip_recruiter", title="Lead Python Developer", company="Beta Labs", interval="yearly",
            high=130_000, currency="USD")                                                 # 130,000 single
    ids["payments"], _ = posting(conn, site="linkedin", title="Python Developer, Payments (R12345)",
                                 company="Gamma LLC", interval="yearly", low=140_000, high=160_000,
                                 currency="USD")                                           # 150,000 range
    posting(conn, site="linkedin", title="Python Developer (Remote)", company="Gamma LLC", interval="yearly",
            low=95_000, high=105_000, currency="USD", source="description", remote=True)  # 100,000 range, text
    posting(conn, site="glassdoor", title="Python Developer", company="Delta", interval="yearly",
            low=80_000, high=100_000, currency="USD")                                      # an estimate: apart
    posting(conn, title="Python Developer", company="Delta", location="Berlin, Germany", interval="yearly",
            low=50_000, high=60_000, currency="EUR")
    posting(conn, title="Registered Nurse", company="City Hospital", interval="yearly", low=70_000,
            currency="USD")
    posting(conn, title="Python Developer", company="Delta", description="no pay given")
    return ids


@pytest.fixture
def store(app, client):
    pro(app)
    return write(client, python_store)


def test_definitions_by_hand():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10, 20, 30, 40, 50], 10) == 14  # h = 0.4
    assert percentile([7], 90) == 7
    assert percentile_rank([1, 2, 3, 4], 3) == 62.5  # two below, one equal: (2 + 0.5) / 4
    bins = histogram([90_000, 100_000, 110_000, 114_400, 120_000, 130_000, 150_000])
    assert [(b.start, b.end, b.n) for b in bins] == [
        (90_000, 100_000, 1), (100_000, 110_000, 1), (110_000, 120_000, 2), (120_000, 130_000, 1),
        (130_000, 140_000, 1), (140_000, 150_000, 0), (150_000, 160_000, 1)]
    assert [(b.start, b.end, b.n) for b in histogram([5, 5, 5])] == [(5, 5, 3)]


def test_percentiles_shape_and_kinds_per_currency(client, store):
    answer = client.get(SALARY, params={"q": "python"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # 10 paid postings match "python" (the one without pay does not count, nor the nurse): 8 posted
    # (Acme's job twice, on two boards), 1 read from the description, 1 Glassdoor estimate.
    assert body["postings"] == 10
    assert body["kinds"] == {"posted": 8, "text": 1, "estimate": 1, "noCurrency": 0}
    usd, eur = body["currencies"]
    assert (usd["currency"], eur["currency"]) == ("USD", "EUR")
    # One figure per job: the Acme job on two boards counts once. Sorted midpoints:
    # 90,000  100,000  110,000  114,400  120,000  130,000  150,000 (n = 7)
    assert usd["n"] == 7
    p = usd["percentiles"]
    assert p["p25"] == {"value": 105_000, "n": 7, "tooFew": False}   # h = 1.5
    assert p["p50"] == {"value": 114_400, "n": 7, "tooFew": False}   # h = 3
    assert p["p75"] == {"value": 125_000, "n": 7, "tooFew": False}   # h = 4.5
    assert p["p10"] == p["p90"] == {"value": None, "n": 7, "tooFew": True}  # tails need 10
    assert usd["shape"] == {"range": 4, "single": 3}
    assert usd["histogram"]["n"] == 7 and [b["n"] for b in usd["histogram"]["bins"]] == [1, 1, 2, 1, 1, 0, 1]
    # Every board's posting counts in byBoard; three each is too few for a median.
    boards = {g["key"]: g for g in usd["byBoard"]}
    assert {k: g["n"] for k, g in boards.items()} == {"indeed": 3, "linkedin": 3, "zip_recruiter": 2}
    assert boards["indeed"]["median"] == {"value": None, "n": 3, "tooFew": True}
    months = {g["key"]: g["n"] for g in usd["byMonth"]}
    assert months == {"2026-09": 1, "2026-10": 6}  # the latest posting's month, once per job
    # Glassdoor's estimate is apart, never in the distribution.
    assert usd["estimates"]["n"] == 1 and usd["estimates"]["byBoard"][0]["key"] == "glassdoor"
    # EUR is its own distribution, of one job: no confident number.
    assert eur["n"] == 1 and eur["percentiles"]["p50"] == {"value": None, "n": 1, "tooFew": True}
    assert eur["histogram"] == {"n": 1, "tooFew": True, "bins": []}


def test_filters_narrow_the_postings(client, store):
    remote = client.get(SALARY, params={"q": "python", "remote": "true"}).json()
    assert remote["postings"] == 1 and remote["kinds"]["text"] == 1
    berlin = client.get(SALARY, params={"location": "berlin"}).json()
    assert [c["currency"] for c in berlin["currencies"]] == ["EUR"]
    boards = client.get(SALARY, params={"boards": "zip_recruiter"}).json()
    assert boards["postings"] == 2
    period = client.get(SALARY, params={"since": "2026-09-01", "until": "2026-09-30"}).json()
    assert period["postings"] == 2  # Acme's job: on Indeed 2026-09-10, on LinkedIn 2026-09-12
    period = client.get(SALARY, params={"since": "2026-09-11", "until": "2026-09-30"}).json()
    assert period["postings"] == 1
    assert client.get(SALARY, params={"q": "nobody-has-this"}).json() == {
        "postings": 0, "kinds": {"posted": 0, "text": 0, "estimate": 0, "noCurrency": 0}, "currencies": []}


def test_compare_ranks_a_job_among_its_peers(client, store):
    hourly = store["hourly"]
    body = client.get(f"{SALARY}/compare/{hourly}").json()
    assert body["posting"]["annualMin"] == 104_000 and body["posting"]["annualMax"] == 124_800
    assert body["posting"]["midpoint"] == 114_400 and body["posting"]["kind"] == "posted"
    # Peers: other USD jobs whose titles have "python" and "developer", estimates left out:
    # 90,000 100,000 110,000 120,000 130,000 150,000
    assert body["peerWords"] == ["python", "developer"] and body["peers"] == 6
    assert body["rankOfMidpoint"] == {"value": 50.0, "n": 6, "tooFew": False}   # 3 below of 6
    assert body["rankOfMin"] == {"value": 33.33, "n": 6, "tooFew": False}      # 2 below
    assert body["rankOfMax"] == {"value": 66.67, "n": 6, "tooFew": False}      # 4 below
    assert body["percentiles"]["p50"]["value"] == 115_000                       # h = 2.5


def test_compare_drops_title_words_until_there_are_enough_peers(client, store):
    body = client.get(f"{SALARY}/compare/{store['payments']}").json()
    # "payments" alone has no peers: the comparison falls back to "python developer".
    assert body["peerWords"] == ["python", "developer"] and body["peers"] == 6
    assert body["rankOfMidpoint"]["value"] == 100.0


def test_compare_without_pay_or_peers_is_never_a_confident_number(client, store):
    nurse = client.get("/api/v1/jobs", params={"q": "nurse"}).json()["items"][0]["id"]
    body = client.get(f"{SALARY}/compare/{nurse}").json()
    assert body["peers"] == 0 and body["rankOfMidpoint"] == {"value": None, "n": 0, "tooFew": True}
    unpaid = client.get("/api/v1/jobs", params={"q": "python", "has_salary": "false"}).json()["items"][0]["id"]
    body = client.get(f"{SALARY}/compare/{unpaid}").json()
    assert body["posting"] is None and body["rankOfMidpoint"]["value"] is None
    assert client.get(f"{SALARY}/compare/999999").status_code == 404
    assert client.get(f"{SALARY}/compare/{nurse}", params={"posting": 999999}).status_code == 404


@pytest.mark.parametrize("params", [{"since": "2026-10-01", "until": "2026-09-01"}, {"since": "yesterday"},
                                    {"q": '"unclosed'}, {"remote": "perhaps"}, {"q": "x" * 300}])
def test_bad_input_is_a_400_that_says_why(client, store, params):
    response = client.get(SALARY, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"]


def test_without_the_entitlement_it_is_a_402(client, app):
    write(client, python_store)
    for path in (SALARY, f"{SALARY}/compare/1"):
        response = client.get(path)
        assert response.status_code == 402, response.text
        assert response.json()["error"]["details"]["entitlement"] == "insights.salary"
