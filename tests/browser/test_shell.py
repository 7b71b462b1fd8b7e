"""The served shell in a real browser: signing in, strict CSP, service worker."""

from tests.browser.conftest import VIEWPORTS, screenshot
from server.login import write_login_redirect


def test_login_link_signs_the_browser_in_once(browser, server):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = server.login_url()
    page.goto(url)
    assert page.url.split("#")[0].rstrip("/") == server.url  # the app may already have routed to a screen
    cookie = next(c for c in context.cookies() if c["name"] == "jobdeck_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.wait_for_selector("[data-testid=nav-jobs]")
    assert page.locator("[data-testid=signin-banner]").count() == 0 or \
        page.locator("[data-testid=signin-banner]").is_hidden()
    assert page.evaluate("fetch('/api/v1/tokens').then(r => r.status)") == 200
    # The same link again is refused: it is single-use.
    other = browser.new_context().new_page()
    other.goto(url)
    assert "signin=expired" in other.url
    assert other.evaluate("fetch('/api/v1/tokens').then(r => r.status)") == 401
    assert not [e for e in errors if "Content Security Policy" in e]


def test_the_cli_redirect_file_leads_to_a_signed_in_app(browser, server):
    page_file = write_login_redirect(server.home, server.login_url())
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_url(f"{server.url}/")
    assert page.evaluate("fetch('/api/v1/tokens').then(r => r.status)") == 200


def test_shell_renders_at_phone_and_desktop_sizes_and_registers_its_worker(browser, server):
    for name, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size)
        page = context.new_page()
        page.goto(server.login_url())
        page.wait_for_selector("[data-testid=nav-jobs]")
        assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
        screenshot(page, f"shell-{name}")
        context.close()
