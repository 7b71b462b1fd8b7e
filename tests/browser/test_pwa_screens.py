"""The PWA's screens in a real browser: first run, the jobs list, a job, a search, settings.

Each test also writes screenshots at phone and desktop sizes (tests/screenshots/)
so a person can look at every main screen after the suite ran.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot


def open_app(browser, server, *, size="desktop", locale="en-US", hash_=""):
    context = browser.new_context(viewport=VIEWPORTS[size], locale=locale)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(server.login_url())
    if hash_:
        page.goto(f"{server.url}/{hash_}")
    return context, page, problems


def load_demo(page) -> int:
    return page.evaluate("fetch('/api/v1/demo', {method: 'POST'}).then(r => r.json()).then(j => j.found)")


def test_first_run_offers_sample_jobs_then_lists_them(browser, server):
    for size in VIEWPORTS:
        context, page, problems = open_app(browser, server, size=size)
        if size == "phone":
            expect(page.get_by_test_id("welcome")).to_be_visible()
            expect(page.get_by_test_id("start-search")).to_have_attribute("href", "#/search")
            screenshot(page, "welcome-phone")
            page.get_by_test_id("load-demo").click()
        else:
            # The store is no longer empty: the app opens on the jobs.
            page.goto(f"{server.url}/#/welcome")
            expect(page.get_by_test_id("welcome")).to_be_visible()
            screenshot(page, "welcome-desktop")
            page.get_by_test_id("nav-jobs").click()
        expect(page).to_have_url(re.compile(r"#/jobs"))
        rows = page.get_by_test_id("job-row")
        expect(rows.first).to_be_visible()
        expect(page.get_by_test_id("job-count")).to_have_text(re.compile(r"^\d+ jobs$"))
        # One badge per board on each row; the list is virtualised, so far fewer rows than jobs exist.
        expect(rows.first.get_by_test_id("board-badge").first).to_be_visible()
        # Each badge shows its whole name inside the row: no other screen's rule stretches it.
        assert page.evaluate("""() => [...document.querySelectorAll('.job-row [data-testid=board-badge]')].every(
            (b) => { const r = b.getBoundingClientRect(), box = b.parentElement.getBoundingClientRect();
                     return r.width < 160 && r.left >= box.left - 2 && b.scrollWidth <= b.clientWidth; })""")
        total = int(page.get_by_test_id("job-count").inner_text().split()[0])
        assert total > 100
        assert 0 < rows.count() < total
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        expect(page.locator("[data-testid=job-row]").last).to_be_visible()
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"jobs-{size}")
        assert not problems
        context.close()


def test_filtering_then_opening_a_job_and_saving_it(browser, server):
    context, page, problems = open_app(browser, server)
    load_demo(page)
    page.goto(f"{server.url}/#/jobs")
    count = page.get_by_test_id("job-count")
    expect(count).to_have_text(re.compile(r"\d+ jobs"))
    everything = int(count.inner_text().split()[0])

    # A board facet: every row shown carries that board's badge; the URL keeps the filter.
    page.locator("[data-testid=facet-board][data-board=indeed] input").check()
    expect(page).to_have_url(re.compile(r"boards=indeed"))
    expect(count).not_to_have_text(f"{everything} jobs")
    rows = page.get_by_test_id("job-row")
    expect(rows.first).to_be_visible()
    for index in range(min(rows.count(), 8)):
        expect(rows.nth(index).locator("[data-testid=board-badge][data-board=indeed]")).to_have_count(1)

    # Full text narrows further.
    page.get_by_test_id("job-search-input").fill("engineer")
    expect(page).to_have_url(re.compile(r"q=engineer"))
    expect(rows.first).to_contain_text(re.compile("engineer", re.I))

    # Open a job: its title, a sanitised description, sources with safe apply links, salary.
    title = rows.first.locator(".job-title").inner_text()
    rows.first.locator(".job-link").click()
    expect(page).to_have_url(re.compile(r"#/job/\d+$"))
    expect(page.get_by_test_id("job-title")).to_have_text(title)
    expect(page.get_by_test_id("job-description")).to_be_visible()
    apply = page.get_by_test_id("apply-link").first
    expect(apply).to_have_attribute("rel", "noopener noreferrer")
    expect(apply).to_have_attribute("href", re.compile(r"^https?://"))
    # The company card is never empty: the boards' facts, or a line saying there are none.
    company = page.locator("section.card").filter(has=page.get_by_role("heading", name="Company", exact=True))
    expect(company.locator(".fact, .company-about, [data-testid=company-no-facts]").first).to_be_visible()
    screenshot(page, "job-detail-desktop")

    page.get_by_test_id("action-save").click()
    expect(page.get_by_test_id("action-save")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("job-note").fill("Ask about the team size")
    page.get_by_test_id("note-save").click()
    expect(page.get_by_test_id("toast").last).to_be_visible()

    # Back to the list, then the Saved chip shows that job.
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/jobs"))
    page.locator("[data-testid=status-chip][data-status=saved]").click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".job-title")).to_have_text(title)
    stored = page.evaluate("fetch('/api/v1/jobs?status=saved').then(r => r.json())")
    assert [item["title"] for item in stored["items"]] == [title]
    assert stored["items"][0]["note"] == "Ask about the team size"

    # Hiding from the row removes it from the default view.
    page.locator("[data-testid=status-chip][data-status=all]").click()
    page.locator("[data-testid=clear-filters]").click()
    page.get_by_test_id("job-search-input").fill("")
    first = rows.first
    hidden_id = first.get_attribute("data-job-id")
    first.get_by_test_id("row-hide").click()
    expect(page.locator(f"[data-testid=job-row][data-job-id='{hidden_id}']")).to_have_count(0)
    page.locator("[data-testid=status-chip][data-status=hidden]").click()
    expect(page.locator(f"[data-testid=job-row][data-job-id='{hidden_id}']")).to_have_count(1)
    assert not problems
    context.close()


def test_job_detail_and_filters_at_phone_size(browser, server):
    context, page, problems = open_app(browser, server, size="phone")
    load_demo(page)
    page.goto(f"{server.url}/#/jobs")
    expect(page.get_by_test_id("filters-panel")).to_be_hidden()
    page.get_by_test_id("filters-toggle").click()
    expect(page.get_by_test_id("filters-panel")).to_be_visible()
    screenshot(page, "jobs-filters-phone")
    page.get_by_test_id("filters-toggle").click()
    # Nothing on the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    page.get_by_test_id("job-row").first.locator(".job-link").click()
    expect(page.get_by_test_id("job-description")).to_be_visible()
    expect(page.get_by_test_id("salary-raw").or_(page.get_by_text("does not state a salary"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    screenshot(page, "job-detail-phone")
    assert not problems
    context.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_search_shows_live_progress_per_board_then_saves_and_reruns(browser, server, size):
    """No test reaches the internet, so every board fails: progress must say so, with advice."""
    context, page, problems = open_app(browser, server, size=size, hash_="#/search")
    expect(page.get_by_test_id("search-form")).to_be_visible()
    # What each board supports is shown where boards are chosen.
    expect(page.locator("[data-testid=board-option][data-board=zip_recruiter] [data-testid=board-note]")).to_contain_text(
        "United States and Canada")
    page.get_by_test_id("search-submit").click()
    expect(page.get_by_test_id("search-error")).to_be_visible()  # no term yet

    page.get_by_test_id("search-term").fill("data analyst")
    page.get_by_test_id("search-location").fill("Taipei")
    page.locator("[data-testid=board-option][data-board=linkedin] input").uncheck()
    page.locator("[data-testid=board-option][data-board=glassdoor] input").check()
    page.get_by_test_id("search-country").select_option("taiwan")
    page.get_by_test_id("search-submit").click()

    progress = page.get_by_test_id("board-progress")
    expect(progress).to_have_count(2)
    expect(page.locator("[data-testid=board-progress][data-board=indeed]")).to_be_visible()
    expect(page.locator("[data-testid=board-progress][data-board=glassdoor]")).to_be_visible()
    expect(page.get_by_test_id("run-cancel")).to_be_visible()
    if size == "desktop":
        screenshot(page, "search-running-desktop")
    summary = page.get_by_test_id("run-summary")
    expect(summary).to_have_attribute("data-state", "failed", timeout=120_000)
    for board in ("indeed", "glassdoor"):
        row = page.locator(f"[data-testid=board-progress][data-board={board}]")
        expect(row).to_have_attribute("data-state", re.compile("failed|blocked|timeout"))
        expect(row.get_by_test_id("board-advice")).not_to_be_empty()
    expect(page.get_by_test_id("run-cancel")).to_have_count(0)
    run = page.evaluate("fetch('/api/v1/runs').then(r => r.json())")[0]
    assert run["params"]["country"] == "taiwan" and run["params"]["boards"] == ["indeed", "glassdoor"]

    page.get_by_test_id("save-search-name").fill("Analyst in Taipei")
    page.get_by_test_id("save-search").click()
    saved = page.get_by_test_id("saved-search")
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text("Analyst in Taipei")
    screenshot(page, f"search-{size}")
    saved.get_by_test_id("saved-search-run").click()
    expect(summary).not_to_have_attribute("data-state", "failed")
    page.get_by_test_id("run-cancel").click()
    expect(summary).to_have_attribute("data-state", re.compile("cancelled|failed"), timeout=60_000)
    assert not problems
    context.close()


def test_settings_tokens_import_and_license_panel(browser, server, tmp_path):
    for size in VIEWPORTS:
        context, page, problems = open_app(browser, server, size=size, hash_="#/settings")
        expect(page.get_by_test_id("license-state")).to_have_text("Free")
        expect(page.get_by_test_id("license-activate")).to_be_visible()
        expect(page.get_by_test_id("app-version")).to_contain_text(re.compile(r"\d+\.\d+"))
        if size == "desktop":
            page.get_by_test_id("token-name").fill("my script")
            page.get_by_test_id("token-create").click()
            secret = page.get_by_test_id("token-secret").inner_text()
            assert len(secret) > 20
            status = page.evaluate("s => fetch('/api/v1/health', {headers: {Authorization: 'Bearer ' + s}})"
                                   ".then(() => fetch('/api/v1/tokens', {headers: {Authorization: 'Bearer ' + s}}))"
                                   ".then(r => r.status)", secret)
            assert status == 200
            expect(page.get_by_test_id("token-row")).to_have_count(1)
            page.get_by_test_id("token-revoke").click()
            page.get_by_test_id("token-revoke-confirm").click()
            expect(page.get_by_test_id("token-row")).to_have_count(0)
            page.get_by_text("Done").click()
            csv = tmp_path / "jobs.csv"
            csv.write_text("id,site,title,company,job_url\nx1,indeed,Gardener,Green Co,https://example.com/1\n")
            page.get_by_test_id("import-file").set_input_files(str(csv))
            expect(page.get_by_test_id("import-result")).to_contain_text("1 new")
        expect(page.get_by_test_id("export-csv")).to_have_attribute("href", "/api/v1/export?format=csv")
        screenshot(page, f"settings-{size}")
        assert not problems
        context.close()


def test_an_empty_board_facet_says_why(browser, server):
    """No boards: none stored yet, or none with a job these filters leave."""
    context, page, problems = open_app(browser, server, hash_="#/jobs")
    expect(page.get_by_test_id("facet-none")).to_have_text("No boards yet.")
    load_demo(page)
    page.goto(f"{server.url}/#/jobs?q=zzyzxnotaword")
    expect(page.get_by_test_id("job-count")).to_have_text("0 jobs")
    expect(page.get_by_test_id("facet-none")).to_have_text("No board has jobs that match.")
    page.goto(f"{server.url}/#/jobs")
    expect(page.get_by_test_id("facet-board").first).to_be_visible()
    assert not problems
    context.close()
