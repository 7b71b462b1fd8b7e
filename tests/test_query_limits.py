"""Limits declared on query parameters hold: an over-long text or an
out-of-range number is a 400 naming the parameter, never silently accepted."""

import pytest

from tests.plans import pro

CASES = [
    ("/api/v1/jobs", {"q": "x" * 501}, "q"),
    ("/api/v1/jobs", {"location": "x" * 201}, "location"),
    ("/api/v1/jobs", {"limit": "0"}, "limit"),
    ("/api/v1/jobs", {"limit": "201"}, "limit"),
    ("/api/v1/jobs", {"currency": "usdollar"}, "currency"),
    ("/api/v1/jobs", {"cursor": "x" * 501}, "cursor"),
    ("/api/v1/applications", {"q": "x" * 201}, "q"),
    ("/api/v1/applications", {"tag": "x" * 61}, "tag"),
    ("/api/v1/applications", {"stage": "x" * 501}, "stage"),
    ("/api/v1/resumes/1/matches", {"limit": "0"}, "limit"),
    ("/api/v1/resumes/1/matches", {"offset": "-1"}, "offset"),
    ("/api/v1/resumes/1/matches", {"q": "x" * 201}, "q"),
    ("/api/v1/insights/salary", {"q": "x" * 201}, "q"),
    ("/api/v1/insights/salary", {"boards": "x" * 201}, "boards"),
    ("/api/v1/insights/companies", {"limit": "0"}, "limit"),
    ("/api/v1/insights/companies", {"offset": "-1"}, "offset"),
    ("/api/v1/insights/trends", {"weeks": "0"}, "weeks"),
    ("/api/v1/insights/trends", {"weeks": "105"}, "weeks"),
    ("/api/v1/insights/trends", {"gap_days": "0"}, "gap_days"),
    ("/api/v1/insights/trends", {"term_weeks": "27"}, "term_weeks"),
    ("/api/v1/insights/trends", {"min_count": "0"}, "min_count"),
    ("/api/v1/insights/companies/acme", {"gap_days": "400"}, "gap_days"),
    ("/api/v1/insights/companies/" + "x" * 501, {}, "key"),
]


@pytest.mark.parametrize(("path", "params", "name"), CASES)
def test_a_parameter_out_of_its_limits_is_a_400_naming_it(client, app, path, params, name):
    pro(app)
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"].startswith(f"{name}:")


def test_values_inside_the_limits_pass(client, app):
    pro(app)
    assert client.get("/api/v1/jobs", params={"q": "x" * 500, "limit": "200", "currency": "usd"}).status_code == 200
    assert client.get("/api/v1/applications", params={"q": "x" * 200, "tag": "x" * 60}).status_code == 200
