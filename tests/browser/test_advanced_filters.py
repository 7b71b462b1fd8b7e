"""Advanced filters in the PWA: Free sees what Pro adds, counted from its own
jobs; Pro filters by excluded words, seniority and title only, the list
matching the API's answer; offline, the list says the filters wait."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot
from tests.browser.pro import activate_pro, api, with_sample_data
from tests.browser.test_offline import open_with_sample_data


def open_filters(page) -> None:
    if not page.get_by_test_id("filters-panel").is_visible():
        page.get_by_test_id("filters-toggle").click()
    expect(page.get_by_test_id("advanced-filters")).to_be_visible()


def api_titles(page, params: list[tuple[str, str]]) -> list[str]:
    answer = api(page, "/api/v1/jobs?" + urlencode([*params, ("limit", "200")]))
    assert answer["status"] == 200, answer
    return [item["title"] for item in answer["body"]["items"]]


def shown_titles(page) -> list[str]:
    return page.locator("[data-testid=job-row] .job-link").all_inner_texts()


def test_free_sees_what_pro_adds_with_its_own_counts(browser, server):
    page = browser.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    with_sample_data(page, server)
    options = api(page, "/api/v1/jobs/filter-options")["body"]
    assert options["access"]["on"] is False and options["levels"]
    page.goto(f"{server.url}/#/jobs")
    open_filters(page)
    pitch = page.get_by_test_id("advanced-pitch")
    expect(pitch).to_contain_text(f"{len(options['levels'])} levels")
    expect(pitch).to_contain_text(f"{options['directApply']:,} jobs")
    expect(page.get_by_test_id("exclude-filter")).to_have_count(0)
    # A bookmarked advanced filter gets the server's reason, and a way out.
    page.goto(f"{server.url}/#/jobs?exclude=senior")
    expect(page.get_by_role("alert")).to_contain_text("Pro")
    open_filters(page)
    page.get_by_test_id("advanced-clear").click()
    expect(page.locator("[data-testid=job-row]").first).to_be_visible()
    assert "exclude" not in page.url
    page.get_by_test_id("advanced-filters").scroll_into_view_if_needed()
    screenshot(page, "advanced-filters-free-desktop")


def test_pro_filters_match_the_api_and_wait_offline(browser, license_service, pro_server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    open_with_sample_data(page, pro_server)  # the replica filled, for the offline part
    activate_pro(page, license_service)
    options = api(page, "/api/v1/jobs/filter-options")["body"]
    assert options["access"]["on"] is True
    level = options["levels"][0]["value"]

    page.goto(f"{pro_server.url}/#/jobs?q=engineer")
    expect(page.locator("[data-testid=job-row]").first).to_be_visible()
    open_filters(page)
    page.locator(f"[data-testid=level-filter][data-value='{level}'] input").check()
    expect(page).to_have_url(re.compile("level="))
    page.get_by_test_id("exclude-filter").fill("senior, lead")
    page.get_by_test_id("exclude-filter").press("Enter")
    page.get_by_test_id("exclude-filter").blur()
    expected = api_titles(page, [("q", "engineer"), ("level", level), ("exclude", "senior, lead")])
    assert expected and all("senior" not in t.lower() and "lead" not in t.lower() for t in expected)
    expect(page.locator("[data-testid=job-row]")).to_have_count(len(expected))
    assert sorted(shown_titles(page)) == sorted(expected)
    page.get_by_test_id("title-only").check()
    expected_titles = api_titles(page, [("q", "engineer"), ("title_only", "true"), ("level", level),
                                        ("exclude", "senior, lead")])
    assert all("engineer" in t.lower() for t in expected_titles)
    expect(page.locator("[data-testid=job-row]")).to_have_count(len(expected_titles))
    page.get_by_test_id("advanced-filters").scroll_into_view_if_needed()
    screenshot(page, "advanced-filters-pro-desktop")
    page.set_viewport_size(VIEWPORTS["phone"])
    open_filters(page)
    page.get_by_test_id("advanced-filters").scroll_into_view_if_needed()
    screenshot(page, "advanced-filters-pro-phone")
    page.set_viewport_size(VIEWPORTS["desktop"])

    # The server stops: the replica answers with the basic filters and says so.
    pro_server.stop()
    page.reload()
    expect(page.get_by_test_id("advanced-offline")).to_be_visible()
    expect(page.locator("[data-testid=job-row]").first).to_be_visible()
    context.close()
