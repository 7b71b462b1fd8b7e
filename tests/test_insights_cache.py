"""Insight answers kept per store version: kept while nothing changes, recomputed after any change."""

from __future__ import annotations

import sqlite3

import pytest

from server.insights import cache
from server.insights.query import InsightFilter
from server.insights.salary import salary_insights
from server.insights.terms import skill_df, store_version
from tests.insights_store import posting, write
from tests.plans import pro

SALARY = "/api/v1/insights/salary"


def paid_store(conn: sqlite3.Connection) -> None:
    for i, high in enumerate((100_000, 110_000, 120_000, 130_000, 140_000)):
        posting(conn, title=f"Python Developer {i}", company=f"Acme {i}", interval="yearly", low=high - 10_000,
                high=high, currency="USD")


@pytest.fixture
def store(app, client):
    pro(app)
    write(client, paid_store)


@pytest.fixture
def conn(client, store):
    cache.clear()
    connection = sqlite3.connect(client.app.state.database.path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()
    cache.clear()


def test_the_api_answers_again_after_a_write(client, store):
    first = client.get(SALARY).json()
    assert first["postings"] == 5 and first == client.get(SALARY).json()
    write(client, lambda c: posting(c, title="Python Developer", company="Beta", interval="yearly",
                                    low=200_000, currency="USD"))
    for _ in range(3):  # whichever reader answers
        after = client.get(SALARY).json()
        assert after["postings"] == 6
        assert after["currencies"][0]["percentiles"]["p50"]["value"] == 120_000


def test_an_answer_is_kept_until_another_connection_commits(client, conn):
    first = salary_insights(conn, InsightFilter())
    assert salary_insights(conn, InsightFilter()) is first
    assert salary_insights(conn, InsightFilter(q="python")) is not first  # another question
    other = sqlite3.connect(client.app.state.database.path, isolation_level=None)
    other.execute("UPDATE jobs SET annual_max = annual_max * 2")
    other.close()
    after = salary_insights(conn, InsightFilter())
    assert after is not first and after.currencies[0].percentiles["p50"].value == 175_000


def test_a_connection_sees_its_own_writes(conn):
    first = salary_insights(conn, InsightFilter())
    conn.execute("DELETE FROM jobs WHERE title = 'Python Developer 0'")
    assert salary_insights(conn, InsightFilter()).postings == first.postings - 1 == 4


def test_the_uncached_function_always_computes(conn):
    first = salary_insights(conn, InsightFilter())
    again = salary_insights.__wrapped__(conn, InsightFilter())
    assert again is not first and again == first


def test_a_failed_question_is_not_kept(conn):
    with pytest.raises(Exception):
        salary_insights(conn, InsightFilter(q='"unclosed'))
    assert salary_insights(conn, InsightFilter(q="python")).postings == 5


def test_symbol_skills_follow_changed_postings(conn):
    def symbol_counts() -> dict[str, int]:
        df = skill_df(conn, store_version(conn))
        return {label: df[label] for label in ("C++", "C#", ".NET", "Node.js")}

    assert symbol_counts() == {"C++": 0, "C#": 0, ".NET": 0, "Node.js": 0}
    posting(conn, title="Engineer", description="Modern C++ and ASP.NET; some NODE.JS", currency="USD")
    assert symbol_counts() == {"C++": 1, "C#": 0, ".NET": 1, "Node.js": 1}
    conn.execute("UPDATE jobs SET description = 'C# only', updated_at = updated_at + 1 "
                 "WHERE title = 'Engineer'")
    assert symbol_counts() == {"C++": 0, "C#": 1, ".NET": 0, "Node.js": 0}
    sql = conn.execute("SELECT sum(instr(lower(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' "
                       "|| coalesce(skills, '')), 'c#') > 0) FROM jobs").fetchone()[0]
    assert sql == 1
    conn.execute("DELETE FROM jobs WHERE title = 'Engineer'")
    assert symbol_counts()["C#"] == 0


def test_the_whole_store_pay_query_reads_only_its_index(conn):
    from server.insights.salary import _PAY

    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + _PAY))
    assert "COVERING INDEX jobs_pay" in plan
