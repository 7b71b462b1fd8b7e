"""jobspy rows → JobRecord: every column kept, values cleaned, duplicates keyed."""

import math

import pytest

from server.scrape.normalize import (
    JOBSPY_COLUMNS, NormaliseError, annualise, dedup_key, dedup_url, normalise, normalise_company,
    currency_code, split_list)


def row(**values):
    base = {column: None for column in JOBSPY_COLUMNS}
    base.update(id="in-1", site="indeed", title="Data Analyst")
    base.update(values)
    return base


def test_nan_and_blank_strings_become_null():
    record = normalise(row(company=float("nan"), location="", description="nan", min_amount=math.nan))
    assert record.company is None and record.location is None
    assert record.description is None and record.min_amount is None


@pytest.mark.parametrize("interval, amount, annual", [
    ("hourly", 50, 104_000), ("daily", 400, 104_000), ("weekly", 2_000, 104_000),
    ("monthly", 10_000, 120_000), ("yearly", 90_000, 90_000), (None, 90_000, None),
])
def test_annualisation_by_interval(interval, amount, annual):
    assert annualise(amount, interval) == annual


@pytest.mark.parametrize(("given", "code"), [
    ("usd", "USD"), ("HK$", "HKD"), ("NT$", "TWD"), ("$", "USD"), ("£", "GBP"), ("¥", "JPY"),
    ("CA$", "CAD"), (" eur ", "EUR"), ("XYZ$", "XYZ$"), (None, None), ("", None)])
def test_currency_symbols_become_iso_codes(given, code):
    assert currency_code(given) == code


def test_salary_kept_raw_and_annualised_in_the_same_currency():
    record = normalise(row(interval="monthly", min_amount="80,000", max_amount=120000, currency="twd",
                           salary_source="direct_data"))
    assert (record.min_amount, record.max_amount, record.currency) == (80000, 120000, "TWD")
    assert (record.annual_min, record.annual_max) == (960000, 1440000)
    assert record.salary_source == "direct_data" and record.salary_interval == "monthly"


def test_a_single_figure_annualises_both_ends():
    record = normalise(row(interval="hourly", min_amount=30, currency="USD"))
    assert record.annual_min == record.annual_max == 62400


def test_swapped_range_is_put_in_order():
    record = normalise(row(interval="yearly", min_amount=100, max_amount=50))
    assert (record.min_amount, record.max_amount) == (50, 100)


def test_flattened_lists_are_split():
    record = normalise(row(job_type="fulltime, contract", emails="a@x.com, b@y.org", skills="python,sql, python"))
    assert record.job_types == ["fulltime", "contract"]
    assert record.emails == ["a@x.com", "b@y.org"]
    assert record.skills == ["python", "sql"]
    assert split_list("['a', 'b']") == ["a", "b"]


def test_dates_become_iso_and_bad_dates_are_named():
    assert normalise(row(date_posted="2026-11-03T10:00:00")).date_posted == "2026-11-03"
    with pytest.raises(NormaliseError, match="date_posted"):
        normalise(row(date_posted="last tuesday"))


def test_location_is_split_into_city_state_country():
    three = normalise(row(location="Austin, TX, US"))
    assert (three.city, three.state, three.country) == ("Austin", "TX", "US")
    two = normalise(row(location="Taipei, Taiwan"))
    assert (two.city, two.state, two.country) == ("Taipei", None, "Taiwan")


def test_required_fields_and_unknown_columns():
    with pytest.raises(NormaliseError, match="title"):
        normalise(row(title=None))
    record = normalise(row(new_column_from_newer_jobspy="kept"))
    assert record.extra == {"new_column_from_newer_jobspy": "kept"}


def test_company_names_meet_across_spellings():
    assert normalise_company("Acme, Inc.") == normalise_company("ACME") == "acme"
    assert normalise_company("Foo Holdings Ltd") == "foo"


def test_dedup_url_ignores_tracking_scheme_and_www():
    assert dedup_url("https://www.acme.com/jobs/1/?utm_source=li&gh_jid=9") == dedup_url("http://acme.com/jobs/1?gh_jid=9")
    assert dedup_url("https://acme.com/jobs/1?gh_jid=9") != dedup_url("https://acme.com/jobs/1?gh_jid=8")
    assert dedup_url("not a url") is None


def test_dedup_key_needs_company_and_place():
    assert dedup_key("Python Developer", "Acme Inc.", "Taipei", False) == dedup_key("python  developer", "ACME", "taipei", None)
    assert dedup_key("Python Developer", None, "Taipei", False) is None
    assert dedup_key("Python Developer", "Acme", None, True) == "python developer|acme|remote"


def test_linkedin_pay_in_hong_kong_dollars_is_stored_as_hkd():
    from jobspy.linkedin import LinkedIn

    pay = LinkedIn._parse_salary("HK$40,000.00/mo - HK$55,000.00/mo")
    assert pay.currency == "HK$"  # jobspy maps only five symbols
    record = normalise(row(site="linkedin", interval="monthly", min_amount=pay.min_amount,
                           max_amount=pay.max_amount, currency=pay.currency))
    assert (record.currency, record.annual_min, record.annual_max) == ("HKD", 480000, 660000)


def test_every_column_jobspy_fills_is_kept():
    from jobspy import scrape_jobs

    from server.scrape.worker import frame_rows
    from tests.replay import replay
    from tests.replay.scenarios import ALL_BOARDS_OK, HOSTS

    with replay(ALL_BOARDS_OK):
        frame = scrape_jobs(site_name=list(HOSTS), search_term="python engineer", location="New York, NY",
                            results_wanted=20, country_indeed="usa", fetch_description=True, verbose=0)
    assert tuple(frame.columns) == JOBSPY_COLUMNS
    renamed = {"id": "board_id", "job_type": "job_types", "interval": "salary_interval"}
    filled = set()
    for source in frame_rows(frame):
        record = normalise(source)
        for column, value in source.items():
            if value is not None and value != "":
                assert getattr(record, renamed.get(column, column)) is not None, (source["site"], column, value)
                filled.add(column)
    # Every column but Naukri's (no fixture for that board) carries a value somewhere.
    assert set(JOBSPY_COLUMNS) - filled == {"experience_range", "skills", "vacancy_count", "work_from_home_type"}
