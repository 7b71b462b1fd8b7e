"""The shipped sample postings, and the generator that writes them and benchmark stores."""

import ast
import json
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from server.sample import load_sample_rows
from server.sample.generate import COLUMNS, SAMPLE_MONTHS, SAMPLE_PATH, SAMPLE_ROWS, generate

ID_PREFIX = {"indeed": "in-", "linkedin": "li-", "zip_recruiter": "zr-", "glassdoor": "gd-",
             "google": "go-", "bayt": "bayt-", "naukri": "nk-"}
INTERVALS = {"yearly", "monthly", "weekly", "daily", "hourly"}
JOB_TYPES = {"fulltime", "parttime", "contract", "temporary", "internship", "perdiem", "other", "volunteer"}
LEGAL_SUFFIXES = {"inc", "llc", "llp", "pllc", "plc", "gmbh", "ag", "corp", "co", "ltd", "pte", "pvt", "na"}
HOSTILE_MARKERS = ("<script", "onerror=", "javascript:", "<style")


@pytest.fixture(scope="module")
def rows():
    return load_sample_rows()


def city(row):
    return (row["location"] or "").split(",")[0].strip()


def vacancy_key(row):
    """Title, company and city as a reader would match them across boards."""
    title = re.sub(r"\s*\(remote\)$", "", row["title"].lower()).strip()
    words = re.sub(r"[.,]", "", row["company"].lower()).split()
    while words and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return title, " ".join(words), city(row).lower()


def test_the_sample_loads_with_enough_rows(rows):
    assert isinstance(rows, list) and len(rows) >= 250
    assert all(isinstance(row, dict) for row in rows)


def test_every_row_has_exactly_the_34_jobspy_columns(rows):
    assert len(COLUMNS) == 34
    assert all(list(row) == list(COLUMNS) for row in rows)


def test_the_columns_are_jobspys():
    model = pytest.importorskip("jobspy.model")
    assert tuple(model.JobPost.model_fields) == COLUMNS


def test_values_are_json_native_and_shaped_like_jobspy(rows):
    assert json.loads(json.dumps(rows)) == rows
    for row in rows:
        assert row["id"].startswith(ID_PREFIX[row["site"]]) and row["job_url"].startswith("https://")
        assert row["title"] and row["company"] and row["description"] and row["location"]
        date.fromisoformat(row["date_posted"])
        assert isinstance(row["is_remote"], bool)
        paid = row["min_amount"] is not None or row["max_amount"] is not None
        assert (row["salary_source"] is not None) == paid == (row["currency"] is not None)
        if paid:
            assert row["salary_source"] in ("direct_data", "description") and row["interval"] in INTERVALS
            assert re.fullmatch(r"[A-Z]{3}", row["currency"])
            assert all(isinstance(a, float) and a > 0 for a in (row["min_amount"], row["max_amount"]) if a)
        if row["job_type"] is not None:
            assert set(row["job_type"].split(", ")) <= JOB_TYPES
        if row["emails"] is not None:
            assert all("@" in email for email in row["emails"].split(", "))
        for column in ("company_logo", "company_url_direct", "job_url_direct"):
            assert row[column] is None or ".example.com" in row[column]


def test_ids_are_unique_per_site(rows):
    by_site = defaultdict(list)
    for row in rows:
        by_site[row["site"]].append(row["id"])
    assert all(len(ids) == len(set(ids)) for ids in by_site.values())
    assert {"indeed", "linkedin", "zip_recruiter", "glassdoor", "google"} <= set(by_site)


def test_cities_and_remote_work(rows):
    cities = {city(row) for row in rows}
    assert {"Taipei", "Hong Kong", "New York", "London", "San Francisco", "Berlin", "Singapore"} <= cities
    assert sum(row["is_remote"] for row in rows) >= 10


def test_pay_comes_in_several_currencies_and_intervals(rows):
    paid = [row for row in rows if row["currency"]]
    assert len({row["currency"] for row in paid}) >= 3
    assert len({row["interval"] for row in paid}) >= 3
    assert len(paid) < len(rows)  # some postings name no pay
    assert any(row["min_amount"] == row["max_amount"] or None in (row["min_amount"], row["max_amount"])
               for row in paid)  # and some a single figure


def test_dates_span_the_last_three_months(rows):
    dates = sorted(date.fromisoformat(row["date_posted"]) for row in rows)
    assert 60 <= (dates[-1] - dates[0]).days <= 95


def test_the_same_vacancy_appears_on_several_boards(rows):
    groups = defaultdict(list)
    for row in rows:
        groups[vacancy_key(row)].append(row)
    across = [group for group in groups.values() if len({row["site"] for row in group}) > 1]
    assert len(across) >= 10
    assert any(len({row["site"] for row in group}) == 3 for group in across)
    assert any(len({row["location"] for row in group}) > 1 for group in across)  # spelled each board's way
    assert any(len({row["job_url_direct"] for row in group if row["job_url_direct"]}) == 1
               and sum(bool(row["job_url_direct"]) for row in group) > 1 for group in across)


def test_some_descriptions_carry_hostile_markup(rows):
    hostile = [row for row in rows if any(marker in row["description"] for marker in HOSTILE_MARKERS)]
    assert 3 <= len(hostile) <= 10
    for marker in HOSTILE_MARKERS:
        assert any(marker in row["description"] for row in hostile), marker


def test_the_app_can_store_every_sample_row(rows):
    from server.scrape.normalize import normalise

    records = [normalise(row) for row in rows]
    assert sum(record.annual_min is not None for record in records) > len(records) / 3


def test_the_shipped_file_is_what_the_generator_writes(rows):
    assert rows == list(generate(SAMPLE_ROWS, months=SAMPLE_MONTHS))
    assert SAMPLE_PATH.stat().st_size < 300_000


def test_the_generator_is_deterministic():
    assert list(generate(300, seed=11)) == list(generate(300, seed=11))
    assert list(generate(50, seed=11)) != list(generate(50, seed=12))
    assert list(generate(40)) == list(generate(300))[:40]  # a prefix does not depend on n


@pytest.mark.parametrize("n", [0, 1, 75, 1_000])
def test_the_generator_yields_n_rows(n):
    made = list(generate(n))
    assert len(made) == n
    assert all(list(row) == list(COLUMNS) for row in made)


def test_a_large_store_spans_the_months_asked_with_unique_ids():
    made = list(generate(5_000, seed=3, months=12))
    dates = {row["date_posted"] for row in made}
    assert (date.fromisoformat(max(dates)) - date.fromisoformat(min(dates))).days > 330
    assert len({(row["site"], row["id"]) for row in made}) == len(made)


def test_the_generator_needs_only_the_standard_library():
    package = Path(__file__).resolve().parents[1] / "server" / "sample"
    for name in ("generate.py", "vocabulary.py", "__init__.py"):
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                assert module.split(".")[0] in sys.stdlib_module_names, (name, module)
