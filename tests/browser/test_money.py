"""Money in the PWA goes through the browser's Intl: checked in real Chromium."""

from __future__ import annotations


def test_dollar_currencies_stay_distinguishable(browser, server):
    page = browser.new_page()
    page.goto(server.login_url())
    shown = page.evaluate("""async () => {
        const { formatRange } = await import('/lib/salary.js');
        return {
            twd: formatRange(69000, 93000, 'TWD', 'en'),
            hkd: formatRange(40000, 55000, 'HKD', 'en'),
            usd: formatRange(120000, 160000, 'USD', 'en'),
            twdInTaiwan: formatRange(69000, 93000, 'TWD', 'zh-TW'),
            usdInTaiwan: formatRange(120000, 160000, 'USD', 'zh-TW'),
        };
    }""")
    assert shown["twd"].startswith("NT$") and shown["hkd"].startswith("HK$"), shown
    assert shown["usd"].startswith("$")
    # In Taiwan the local dollar is plain "$" and the US dollar is marked.
    assert shown["twdInTaiwan"].startswith("$") and shown["usdInTaiwan"].startswith("US$"), shown
