"""The license panel end to end: the real license service as a subprocess
(SQLite, its own signing keys), the app trusting those keys as a
self-hosted service, and a person entering a key in Settings."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot

def test_a_person_activates_pro_and_sees_a_revocation_explained(browser, license_service, pro_server):
    license_id, key = license_service.issue("pro")
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(pro_server.login_url())
    page.goto(f"{pro_server.url}/#/settings")
    panel = page.get_by_test_id("license-panel")
    state = page.get_by_test_id("license-state")
    assert state.inner_text() == "Free"

    page.get_by_test_id("license-key").fill(key[:-2])  # a typo: refused before any network call
    page.get_by_test_id("license-activate").click()
    assert "not a complete license key" in page.get_by_test_id("license-error").inner_text()

    page.get_by_test_id("license-key").fill(key.lower())  # people type keys any which way
    page.get_by_test_id("license-activate").click()
    expect(state).to_have_text("Active")
    assert "JobDeck Pro" in page.get_by_test_id("license-plan").inner_text()
    assert "Salary insights" in panel.inner_text() and key not in panel.inner_text()
    panel.scroll_into_view_if_needed()
    screenshot(page, "settings-license-desktop")
    page.set_viewport_size(VIEWPORTS["phone"])
    page.reload()
    expect(state).to_have_text("Active")
    panel.scroll_into_view_if_needed()
    screenshot(page, "settings-license-phone")

    license_service.run("revoke", "--database-url", license_service.database, license_id)
    page.get_by_test_id("license-refresh").click()
    expect(state).to_have_text("Revoked")
    assert "your data stays" in panel.inner_text()
