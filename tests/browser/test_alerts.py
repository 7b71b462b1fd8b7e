"""Saved-search alerts end to end: on Free the alert control explains it is
Pro; with Pro activated through the real license service, turning an alert
on makes the server's scheduler re-run the search at once (its boards
replayed), the alert arrives on the event stream as a count on the nav and
a browser notification, opens on its new jobs, and is marked read; with the
server gone, the list shows what the device last saw."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot
from tests.browser.pro import LicenseService, activate_pro, api
from tests.replay.scenarios import write_scenario
from tests.server_process import ServerProcess

PARAMS = {"term": "data analyst", "location": "New York, NY", "boards": ["indeed", "linkedin"],
          "results": 10, "country": "usa"}

# Records each notification the page shows, then lets the browser show it.
SPY_ON_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  if (!Real) return;
  window.__notified = [];
  class Recorded extends Real {
    constructor(title, options) {
      window.__notified.push({ title, body: options?.body || "" });
      super(title, options);
    }
  }
  window.Notification = Recorded;
})();
"""


@pytest.fixture
def alert_server(tmp_path: Path, license_service: LicenseService) -> Iterator[ServerProcess]:
    """The server, its license service, and job boards answered from a replay."""
    scenario = write_scenario("ALL_BOARDS_OK", tmp_path / "boards.json")
    process = ServerProcess(tmp_path / "home", env={
        **license_service.app_env(), "JOBDECK_TEST_REPLAY": str(scenario)}).start()
    yield process
    process.stop()


def test_an_alert_arrives_notifies_opens_on_its_jobs_and_is_marked_read(browser, license_service, alert_server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.grant_permissions(["notifications"], origin=alert_server.url)
    context.add_init_script(SPY_ON_NOTIFICATIONS)
    page = context.new_page()
    page.goto(alert_server.login_url())
    search = api(page, "/api/v1/searches", "POST", {"name": "Analysts in NYC", "params": PARAMS})["body"]

    # Free: the alert control says it is Pro and cannot be turned on.
    page.goto(f"{alert_server.url}/#/search")
    saved = page.locator(f'[data-testid="saved-search"][data-id="{search["id"]}"]')
    expect(saved.get_by_test_id("saved-alert-pro")).to_contain_text("JobDeck Pro")
    expect(saved.get_by_test_id("saved-alert-select")).to_be_disabled()
    expect(page.get_by_test_id("nav-alerts-count")).to_have_count(0)

    activate_pro(page, license_service)
    page.reload()
    select = saved.get_by_test_id("saved-alert-select")
    expect(select).to_be_enabled()
    expect(saved.get_by_test_id("saved-alert-pro")).to_have_count(0)

    # On: the first check runs at once; its new jobs arrive as an alert.
    select.select_option("6")
    expect(saved.get_by_test_id("saved-alert-status")).to_have_attribute("data-state", "on")
    count = page.get_by_test_id("nav-alerts-count")
    expect(count).to_have_text("1", timeout=60_000)
    expect(page.get_by_test_id("nav-alerts")).to_have_attribute("aria-label", "Alerts: 1 unread")
    screenshot(page, "saved-search-alert-desktop")
    alert = api(page, "/api/v1/alerts")["body"]["items"][0]
    assert alert["searchName"] == "Analysts in NYC" and alert["newPostings"] > 0
    notified = page.evaluate("window.__notified")
    assert notified == [{"title": "New jobs for “Analysts in NYC”",
                         "body": f"{alert['newPostings']} new postings found"}]

    # The list: unread, then marked read from its button; the count goes away.
    page.get_by_test_id("nav-alerts").click()
    row = page.locator(f'[data-testid="alert-row"][data-alert-id="{alert["id"]}"]')
    expect(row).to_have_attribute("data-read", "false")
    expect(row).to_contain_text(f"{alert['newPostings']} new postings")
    screenshot(page, "alerts-unread-desktop")
    row.get_by_test_id("alert-mark-read").click()
    expect(row).to_have_attribute("data-read", "true")
    expect(count).to_have_count(0)
    assert api(page, "/api/v1/alerts")["body"]["unread"] == 0

    # Opened: the new jobs of that run, each a link to the job.
    row.locator("a.alert-link").click()
    detail = page.get_by_test_id("alert-detail")
    expect(detail).to_be_visible()
    jobs = detail.get_by_test_id("alert-job")
    expect(jobs).to_have_count(alert["jobs"])
    page.set_viewport_size(VIEWPORTS["phone"])
    screenshot(page, "alerts-opened-phone")
    first_id = jobs.first.get_attribute("data-job-id")
    jobs.first.locator("a").click()
    expect(page.get_by_test_id("job-detail")).to_be_visible()
    assert page.url.endswith(f"#/job/{first_id}")

    # The server goes away: the list is what this device last saw, and says so;
    # the alert opened before still opens on its jobs.
    alert_server.stop()
    page.evaluate("location.hash = '#/alerts'")
    expect(page.get_by_test_id("alerts-offline")).to_be_visible()
    expect(row).to_have_attribute("data-read", "true")
    page.evaluate(f"location.hash = '#/alerts/{alert['id']}'")
    expect(page.get_by_test_id("alert-job")).to_have_count(alert["jobs"])
    expect(count).to_have_count(0)
    context.close()
