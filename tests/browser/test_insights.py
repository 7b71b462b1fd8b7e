"""The Insights screen end to end: sample data, Pro activated through the
real license service, the figures the API computes drawn in the PWA (with
the count each stands on), a company page opened from a job, resume match,
the Free teaser with the user's real counts, and the last figures offline."""

from __future__ import annotations

import re
from collections import Counter

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot
from tests.browser.pro import activate_pro, api, with_sample_data

RESUME = """Jordan Lee - Data Engineer
Six years building data pipelines in Python and SQL. Airflow, dbt, Spark and Kafka in production;
warehouses on Snowflake and BigQuery; AWS (S3, Glue, Lambda), Docker and Terraform.
Led a team of four; mentored analysts on data modelling and testing."""


def both_sizes(page, name: str, ready) -> None:
    """The screen at desktop size, then at phone size: screenshots of each."""
    for size in ("desktop", "phone"):
        page.set_viewport_size(VIEWPORTS[size])
        ready()
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"{name}-{size}")
    page.set_viewport_size(VIEWPORTS["desktop"])


def chart_size(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_pro_insights_salary_company_resume_trends_and_offline(browser, license_service, pro_server):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    with_sample_data(page, pro_server)
    activate_pro(page, license_service)

    # Salary: one block per currency, each saying how many postings it stands on.
    salary = api(page, "/api/v1/insights/salary")["body"]
    top = salary["currencies"][0]
    page.goto(f"{pro_server.url}/#/insights/salary")
    block = page.locator(f'[data-testid="salary-currency"][data-currency="{top["currency"]}"]')
    expect(block).to_be_visible()
    assert page.get_by_test_id("salary-currency").count() == len(salary["currencies"])
    expect(block.get_by_test_id("figure-n").first).to_have_text(f"from {top['n']} postings")
    canvas = block.locator('[data-testid="salary-histogram"] canvas')
    expect(canvas).to_be_visible()
    box = chart_size(canvas)
    assert box["width"] > 100 and box["height"] > 50
    band = block.locator('[data-testid="salary-band"] svg')
    assert chart_size(band)["width"] > 100 and "80%" in band.get_attribute("aria-label")
    # A figure from too few postings never shows a number.
    too_few = [g for c in salary["currencies"] for g in c["byMonth"] if g["median"]["tooFew"]]
    if too_few:
        assert page.get_by_test_id("too-few").first.inner_text() == "Too few postings to tell"
    both_sizes(page, "insights-salary", lambda: expect(canvas).to_be_visible())

    # Trends: new jobs per week drawn, and the rising/falling lists (or why not).
    page.get_by_test_id("insights-tab").and_(page.locator('[data-tab="trends"]')).click()
    weekly = page.locator('[data-testid="trends-weekly-chart"] canvas')
    expect(weekly).to_be_visible()
    assert chart_size(weekly)["height"] > 50
    expect(page.get_by_test_id("trends-rising")).to_be_visible()
    # New postings per week split by board: one line per board, the legend most postings first with its total.
    by_board = page.locator('[data-testid="trends-boards-chart"] canvas')
    expect(by_board).to_be_visible()
    assert chart_size(by_board)["height"] > 50
    totals: Counter = Counter()
    for week in api(page, "/api/v1/insights/trends?weeks=12")["body"]["weeks"]:
        totals.update(week["newPostingsByBoard"])
    boards = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    assert boards, "the sample data has new postings in the last 12 weeks"
    legend = page.get_by_test_id("trends-boards-legend").locator("li")
    expect(legend).to_have_count(len(boards))
    assert [li.get_attribute("data-board") for li in legend.all()] == [board for board, _ in boards]
    expect(legend.first.locator(".count-n")).to_have_text(str(boards[0][1]))
    assert str(boards[0][1]) in page.get_by_test_id("trends-boards-chart").get_attribute("aria-label")
    # And new jobs per week in the top places: one line each, the legend in the API's order with its total.
    places = api(page, "/api/v1/insights/trends?weeks=12")["body"]["byLocation"]
    assert places, "the sample data has new jobs with a place in the last 12 weeks"
    expect(page.locator('[data-testid="trends-places-chart"] canvas')).to_be_visible()
    place_legend = page.get_by_test_id("trends-places-legend").locator("li")
    expect(place_legend).to_have_count(len(places))
    expect(place_legend.first).to_contain_text(places[0]["key"])
    expect(place_legend.first.locator(".count-n")).to_have_text(str(places[0]["n"]))
    label = page.get_by_test_id("trends-places-chart").get_attribute("aria-label")
    assert places[0]["key"] in label and str(max(places[0]["perWeek"])) in label
    page.get_by_test_id("trends-places").scroll_into_view_if_needed()
    screenshot(page, "insights-trends-places-desktop")
    both_sizes(page, "insights-trends", lambda: expect(weekly).to_be_visible())

    # The company page opens from a job's page.
    companies = api(page, "/api/v1/insights/companies?limit=1")["body"]["items"]
    jobs = api(page, "/api/v1/jobs?limit=200")["body"]["items"]
    job = next(j for j in jobs if (j.get("company") or "").lower().startswith(companies[0]["name"].lower()[:6]))
    page.goto(f"{pro_server.url}/#/job/{job['id']}")
    link = page.get_by_test_id("job-company-link")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_test_id("company-page")).to_be_visible()
    expect(page.get_by_test_id("company-name")).to_have_text(companies[0]["name"])
    chart = page.locator('[data-testid="company-timeline"] canvas')
    expect(chart).to_be_visible()
    expect(page.get_by_test_id("company-boards")).to_contain_text(re.compile(r"\d"))
    both_sizes(page, "insights-company", lambda: expect(chart).to_be_visible())

    # Glassdoor's pay is its own estimate (jobspy gives no sign of employer-stated pay): the job's
    # page says so, as the salary insight counts it; another board's pay is the board's statement.
    def paid_source(job_id: int) -> dict | None:
        sources = api(page, f"/api/v1/jobs/{job_id}")["body"]["sources"]
        return next((s for s in sources if s["minAmount"] is not None or s["maxAmount"] is not None), None)

    shown = {}
    for candidate in jobs:
        source = paid_source(candidate["id"])
        if source and source["site"] in ("glassdoor", "indeed") and source["site"] not in shown:
            shown[source["site"]] = candidate["id"]
        if len(shown) == 2:
            break
    assert set(shown) == {"glassdoor", "indeed"}, "the sample data has paid postings on both boards"
    for site, words in (("glassdoor", "the board's own pay estimate"), ("indeed", "stated by the board")):
        page.goto(f"{pro_server.url}/#/job/{shown[site]}")
        expect(page.get_by_test_id("salary-source")).to_contain_text(words)

    # Resume match: paste a resume, get the jobs ranked with their missing keywords.
    page.goto(f"{pro_server.url}/#/insights/resume")
    page.get_by_test_id("resume-name").fill("Data engineer")
    page.get_by_test_id("resume-text").fill(RESUME)
    page.get_by_test_id("resume-save").click()
    rows = page.get_by_test_id("match-row")
    expect(rows.first).to_be_visible()
    resume_id = api(page, "/api/v1/resumes")["body"][0]["id"]
    ranked = api(page, f"/api/v1/resumes/{resume_id}/matches?sort=match&limit=30")["body"]["items"]
    assert rows.count() == len(ranked) > 1
    assert [int(r.get_attribute("data-job-id")) for r in rows.all()[:5]] == [m["jobId"] for m in ranked[:5]]
    expect(rows.first.get_by_test_id("match-score")).to_have_text(f"{round(ranked[0]['score']['value'])}% match")
    expect(page.get_by_test_id("match-missing").first).to_be_visible()
    both_sizes(page, "insights-resume", lambda: expect(rows.first).to_be_visible())

    # The job's page now shows its match with that resume, and how its pay compares.
    page.goto(f"{pro_server.url}/#/job/{ranked[0]['jobId']}")
    expect(page.get_by_test_id("job-match-score")).to_be_visible()

    # Offline: the server stops; the Salary tab shows the last figures and their time.
    page.goto(f"{pro_server.url}/#/insights/salary")
    expect(block.get_by_test_id("figure-n").first).to_have_text(f"from {top['n']} postings")
    pro_server.stop()
    page.get_by_test_id("insights-tab").and_(page.locator('[data-tab="companies"]')).click()
    page.get_by_test_id("insights-tab").and_(page.locator('[data-tab="salary"]')).click()
    expect(page.get_by_test_id("insights-asof")).to_be_visible()
    expect(block.get_by_test_id("figure-n").first).to_have_text(f"from {top['n']} postings")
    expect(block.locator('[data-testid="salary-histogram"] canvas')).to_be_visible()
    # Trends too, by board, from the answer kept when it was last shown.
    page.get_by_test_id("insights-tab").and_(page.locator('[data-tab="trends"]')).click()
    expect(page.get_by_test_id("insights-asof")).to_be_visible()
    expect(page.locator('[data-testid="trends-boards-chart"] canvas')).to_be_visible()
    expect(page.get_by_test_id("trends-boards-legend").locator("li")).to_have_count(len(boards))


def test_free_shows_what_pro_adds_with_the_users_real_numbers(browser, server):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    with_sample_data(page, server)
    counts = api(page, "/api/v1/insights/teaser")["body"]["counts"]
    assert api(page, "/api/v1/insights/salary")["status"] == 402
    page.goto(f"{server.url}/#/insights")
    teaser = page.get_by_test_id("insights-teaser")
    expect(teaser).to_be_visible()
    assert teaser.get_attribute("data-postings-with-salary") == str(counts["postingsWithSalary"])
    expect(teaser).to_contain_text(f"You have {counts['postingsWithSalary']} postings with a salary in "
                                   f"{counts['salaryCurrencies']} currencies across {counts['companies']} companies")
    assert page.locator('[data-testid="insights-screen"] canvas').count() == 0  # no sample charts
    expect(page.get_by_test_id("insights-upgrade")).to_have_attribute("href", "#/settings")
    screenshot(page, "insights-teaser-desktop")

    job = api(page, "/api/v1/jobs?limit=1")["body"]["items"][0]
    page.goto(f"{server.url}/#/job/{job['id']}")
    expect(page.get_by_test_id("job-insights-teaser")).to_be_visible()
    assert page.get_by_test_id("job-company-link").count() == 0
