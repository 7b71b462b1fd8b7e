"""The Jobs screen's sort: "Best match" only with search text; without it the
list is newest first and the select says "Newest", from the server and from
the IndexedDB replica alike."""

from __future__ import annotations

from tests.browser.test_offline import DATA, open_with_sample_data, until
from tests.browser.test_offline import home, page  # noqa: F401 - fixtures
from tests.server_process import free_port


def sort_state(page) -> dict:
    return page.evaluate("""() => {
        const select = document.querySelector('[data-testid=sort-select]');
        return {value: select.value, options: [...select.options].map((o) => o.value),
                shown: select.selectedOptions[0]?.textContent.trim()};
    }""")


def shown_ids(page) -> list[int]:
    return [int(row.get_attribute("data-job-id")) for row in page.get_by_test_id("job-row").all()]


def newest_ids(page, count: int) -> list[int]:
    return page.evaluate(f"""async (count) => (await (await {DATA}).listJobs(
        {{sort: "newest", status: ["new", "seen", "saved", "applied"], limit: count}})).items.map((j) => j.id)""", count)


def check_sort(page) -> None:
    page.get_by_test_id("job-row").first.wait_for()
    assert sort_state(page) == {"value": "newest", "options": ["newest", "salary"], "shown": "Newest"}
    shown = shown_ids(page)
    assert shown == newest_ids(page, len(shown))

    page.get_by_test_id("job-search-input").fill("engineer")
    page.get_by_test_id("job-search-input").press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=sort-select]').options.length === 3")
    assert sort_state(page) == {"value": "relevance", "options": ["relevance", "newest", "salary"],
                                "shown": "Best match"}

    page.get_by_test_id("job-search-input").fill("")
    page.get_by_test_id("job-search-input").press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=sort-select]').options.length === 2")
    assert sort_state(page)["value"] == "newest"

    page.get_by_test_id("sort-select").select_option("salary")
    page.wait_for_function("() => location.hash.includes('sort=salary')")
    assert sort_state(page)["value"] == "salary"
    page.get_by_test_id("sort-select").select_option("newest")
    page.wait_for_function("() => location.hash.includes('sort=newest')")
    assert sort_state(page)["value"] == "newest"
    page.evaluate("location.hash = '#/jobs'")


def test_sort_without_search_text_is_newest_online_and_offline(servers, home, page):
    server = servers(home, free_port())
    open_with_sample_data(page, server)
    page.reload()
    check_sort(page)
    assert page.evaluate(f"{DATA}.then((d) => d.online)") is True

    until(page, "async () => (await import('/data/store.js')).countJobs().then((n) => n > 0)")
    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    check_sort(page)
    assert page.evaluate(f"{DATA}.then((d) => d.online)") is False
