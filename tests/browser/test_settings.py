"""The Settings screen in a real browser: the company blocklist hides jobs from
the list, search defaults reach the Search form, a bad proxy is reported beside
the field, and "Back up now" adds a backup to the list.

Writes screenshots of the screen at phone and desktop sizes, light and dark.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, VIEWPORTS, screenshot
from tests.browser.test_pwa_screens import load_demo, open_app


def job_count(page) -> int:
    count = page.get_by_test_id("job-count")
    expect(count).to_have_text(re.compile(r"^\d+ jobs?$"))
    return int(count.inner_text().split()[0])


def open_jobs(page, server) -> None:
    page.goto(f"{server.url}/#/jobs")
    page.reload()
    expect(page.get_by_test_id("job-row").first).to_be_visible()


def test_blocklist_hides_a_company_and_backup_now_lists_the_backup(browser, server):
    context, page, problems = open_app(browser, server)
    load_demo(page)
    first = page.evaluate("fetch('/api/v1/jobs?limit=1').then(r => r.json()).then(j => j.items[0].company)")
    theirs = page.evaluate("c => fetch('/api/v1/jobs?limit=200&companies=' + encodeURIComponent(c))"
                           ".then(r => r.json()).then(j => j.items.length)", first)
    assert theirs >= 1
    page.goto(f"{server.url}/#/jobs")
    expect(page.get_by_test_id("job-row").first).to_contain_text(first)
    before = job_count(page)

    # Added with the keyboard alone: type, Enter.
    page.get_by_test_id("nav-settings").click()
    field = page.get_by_test_id("blocklist-input")
    expect(field).to_be_enabled()  # once the preferences have loaded
    field.focus()
    page.keyboard.type(f"  {first.upper()} ")
    page.keyboard.press("Enter")
    chip = page.get_by_test_id("blocklist-chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(first.upper())
    expect(page.get_by_test_id("blocklist-saved")).to_have_text("Saved.")

    # A fresh load of the list (the Jobs screen keeps its last list for Back).
    open_jobs(page, server)
    expect(page.get_by_test_id("job-count")).to_have_text(f"{before - theirs} jobs")
    expect(page.get_by_test_id("job-row").first).not_to_contain_text(first)

    # Shown again once removed.
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("blocklist-remove").click()
    expect(chip).to_have_count(0)
    open_jobs(page, server)
    expect(page.get_by_test_id("job-count")).to_have_text(f"{before} jobs")

    page.get_by_test_id("nav-settings").click()
    expect(page.get_by_test_id("backup-none")).to_be_visible()
    expect(page.get_by_test_id("data-home")).to_have_text(str(server.home))
    page.get_by_test_id("backup-now").click()
    row = page.get_by_test_id("backup-row")
    expect(row).to_have_count(1)
    name = row.get_attribute("data-name")
    assert re.fullmatch(r"jobdeck-\d{8}-\d{6}\.sqlite3", name)
    assert (server.home / "backups" / name).is_file()
    link = row.get_by_test_id("backup-download")
    expect(link).to_have_attribute("href", f"/api/v1/backups/{quote(name)}")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == name
    assert not problems
    context.close()


def test_search_defaults_reach_the_search_form_and_errors_show_beside_the_field(browser, server):
    context, page, problems = open_app(browser, server, hash_="#/settings")
    panel = page.get_by_test_id("defaults-panel")
    expect(panel.locator("[data-board=indeed] input")).to_be_enabled()
    expect(panel.locator("[data-board=indeed] input")).to_be_checked()
    panel.locator("[data-board=linkedin] input").uncheck()
    panel.locator("[data-board=google] input").check()
    page.get_by_test_id("default-country").select_option("taiwan")
    page.get_by_test_id("default-results").fill("55")
    page.get_by_test_id("defaults-save").click()
    expect(page.get_by_test_id("defaults-saved")).to_have_text("Saved.")

    # A bad value: the server's message under the field, nothing saved.
    page.get_by_test_id("default-results").fill("5000")
    page.get_by_test_id("defaults-save").click()
    expect(page.get_by_test_id("defaults-results-error")).to_contain_text("defaultResults")
    page.get_by_test_id("proxies-input").fill("http://proxy.example:3128\nftp://user:hunter2@proxy.example:21")
    page.get_by_test_id("proxies-save").click()
    error = page.get_by_test_id("proxies-error")
    expect(error).to_contain_text("line 2")
    expect(error).not_to_contain_text("hunter2")
    page.get_by_test_id("proxies-input").fill("user:hunter2@proxy.example:3128")
    page.get_by_test_id("proxies-save").click()
    expect(page.get_by_test_id("proxies-saved")).to_have_text("Saved.")
    expect(page.get_by_test_id("proxies-input")).to_have_value("http://user:***@proxy.example:3128")
    expect(error).to_be_hidden()

    page.get_by_test_id("nav-search").click()
    form = page.get_by_test_id("search-form")
    expect(form.locator("[data-board=google] input")).to_be_checked()
    expect(form.locator("[data-board=linkedin] input")).not_to_be_checked()
    expect(page.get_by_test_id("search-country")).to_have_value("taiwan")
    expect(page.get_by_test_id("search-results")).to_have_value("55")
    assert not problems
    context.close()


def test_settings_screenshots_at_phone_and_desktop_sizes_light_and_dark(browser, server):
    context, page, _ = open_app(browser, server)
    page.evaluate("fetch('/api/v1/preferences', {method: 'PATCH', headers: {'Content-Type': 'application/json'},"
                  " body: JSON.stringify({companyBlocklist: ['Initech', 'Globex Corporation', 'Umbrella'],"
                  " proxies: ['http://user:pw@proxy.example:3128']})})")
    page.evaluate("fetch('/api/v1/backups', {method: 'POST'})")
    context.close()
    for scheme in ("light", "dark"):
        for size in VIEWPORTS:
            context = browser.new_context(viewport=VIEWPORTS[size], locale="en-US", color_scheme=scheme)
            page = context.new_page()
            page.goto(server.login_url())
            page.goto(f"{server.url}/#/settings")
            expect(page.get_by_test_id("blocklist-chip")).to_have_count(3)
            expect(page.get_by_test_id("backup-row")).to_have_count(1)
            suffix = "" if scheme == "light" else "-dark"
            screenshot(page, f"settings-preferences-{size}{suffix}")
            page.get_by_test_id("data-panel").scroll_into_view_if_needed()
            screenshot(page, f"settings-data-{size}{suffix}")
            page.screenshot(path=str(SCREENSHOTS / f"settings-full-{size}{suffix}.png"), full_page=True)
            # Nothing wider than the screen at phone size.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= VIEWPORTS[size]["width"], width
            context.close()
