"""Traditional Chinese: chosen from the browser's languages, complete on every
screen, switchable in Settings and remembered; numbers and money through Intl."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot

LATIN_WORDS = re.compile(r"[A-Za-z]{4,}")
# Names that stay as they are in every language: boards, the product, currencies, formats.
ALLOWED = {"JobDeck", "LinkedIn", "Indeed", "ZipRecruiter", "Glassdoor", "Google", "Bayt", "Naukri", "Bdjobs",
           "HelloWork", "English", "jobspy", "JSON", "python", "Taipei"}


def visible_ui_text(page) -> str:
    """The app's own text: everything but job data (titles, companies, descriptions) and
    verbatim text marked translate="no" (file paths, proxy URLs)."""
    return page.evaluate("""() => {
      const skip = '.job-main, .job-salary, [data-testid=job-description], .detail-title, .facts, .company-about,'
        + ' .source-head, .secret, [data-testid=app-version], option[value=en], [translate=no]';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const out = [];
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || el.closest(skip) || !el.checkVisibility()) continue;
        out.push(node.textContent);
      }
      document.querySelectorAll('[placeholder], [aria-label]').forEach(e => {
        if (!e.closest('[translate=no]')) out.push(e.getAttribute('placeholder') || '', e.getAttribute('aria-label') || '');
      });
      return out.join(' ');
    }""")


def untranslated(text: str) -> list[str]:
    return [w for w in LATIN_WORDS.findall(text) if w not in ALLOWED and not any(w in a for a in ALLOWED)]


def test_zh_tw_from_the_browser_on_every_screen_then_switch_and_remember(browser, server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-TW")
    page = context.new_page()
    page.goto(server.login_url())
    expect(page.get_by_test_id("welcome")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-TW"
    expect(page.get_by_test_id("load-demo")).to_contain_text("載入範例職缺")
    assert untranslated(visible_ui_text(page)) == []
    page.get_by_test_id("load-demo").click()
    expect(page.get_by_test_id("job-count")).to_have_text(re.compile(r"^\d[\d,]* 筆職缺$"))
    expect(page.get_by_test_id("nav-jobs")).to_contain_text("職缺")
    expect(page.locator("[data-testid=status-chip][data-status=saved]")).to_have_text("已收藏")
    assert untranslated(visible_ui_text(page)) == []
    screenshot(page, "jobs-zh-TW-desktop")

    # Money keeps the posting's own currency, formatted for zh-TW.
    page.get_by_test_id("has-salary").check()
    expect(page.locator(".job-salary strong").first).to_be_visible()
    page.locator("[data-testid=job-row] .job-link").first.click()
    expect(page.get_by_test_id("salary-raw")).to_be_visible()
    expect(page.get_by_text("職務內容")).to_be_visible()
    assert untranslated(visible_ui_text(page)) == []
    screenshot(page, "job-detail-zh-TW-desktop")

    # Each screen is read once what it loads has arrived (the last panels to fill).
    for route, loaded in (("#/search", ("search-form",)), ("#/settings", ("license-state", "data-home", "token-create"))):
        page.goto(f"{server.url}/{route}")
        for testid in loaded:
            expect(page.get_by_test_id(testid)).to_be_visible()
        assert untranslated(visible_ui_text(page)) == [], route
    screenshot(page, "settings-zh-TW-desktop")

    # Switch to English in Settings: at once, and still after a reload.
    page.get_by_test_id("language-switch").select_option("en")
    expect(page.get_by_test_id("nav-settings")).to_contain_text("Settings")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    expect(page.get_by_test_id("nav-jobs")).to_contain_text("Jobs")
    page.get_by_test_id("language-switch").select_option("zh-TW")
    expect(page.get_by_test_id("nav-jobs")).to_contain_text("職缺")
    context.close()


def test_phone_in_zh_tw(browser, server):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-TW")
    page = context.new_page()
    page.goto(server.login_url())
    page.evaluate("fetch('/api/v1/demo', {method: 'POST'})")
    page.goto(f"{server.url}/#/search")
    expect(page.get_by_test_id("search-submit")).to_contain_text("立即搜尋")
    expect(page.locator("[data-testid=board-option][data-board=zip_recruiter] [data-testid=board-note]")).to_have_text(
        "僅限美國與加拿大。")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    screenshot(page, "search-zh-TW-phone")
    context.close()
