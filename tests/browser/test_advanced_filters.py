"""Advanced filters in the PWA: Free sees what Pro adds, counted from its own
jobs; Pro filters by excluded words, seniority and title only, the list
matching the API's answer; offline, the replica gives the API's answer too,
behind the same gate as the server's."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot
from tests.browser.pro import activate_pro, api, with_sample_data
from tests.browser.test_offline import DATA, add_cjk_jobs, open_with_sample_data


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
    # Words to hide that are only spaces hide nothing: no filter counted, nothing to clear.
    page.goto(f"{server.url}/#/jobs?exclude=%20%20")
    expect(page.locator("[data-testid=job-row]").first).to_be_visible()
    open_filters(page)
    expect(page.get_by_test_id("advanced-clear")).to_have_count(0)
    page.get_by_test_id("advanced-filters").scroll_into_view_if_needed()
    screenshot(page, "advanced-filters-free-desktop")


def test_pro_filters_match_the_api_online_and_offline(browser, license_service, pro_server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    open_with_sample_data(page, pro_server)  # the replica filled, for the offline part
    add_cjk_jobs(page)  # Chinese words to hide, found inside longer runs
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

    # What the server answers, for the offline part: each query to the API and to the data layer.
    industries = [o["value"] for o in options["industries"][:2]]
    queries = offline_queries(level, industries)
    expected = {name: api_ids(page, params) for name, (params, _) in queries.items()}
    assert all(expected.values()) and len({tuple(ids) for ids in expected.values()}) > 3
    # Each hides three of the Chinese jobs: 工程師 and 社群 the one in marketing, 師 the analyst.
    assert len(set(expected["Chinese words to hide"]) ^ set(expected["one Chinese letter to hide"])) == 2
    assert len(expected["Chinese in titles only"]) == 2
    ui_expected = api_ids(page, [("level", level), ("exclude", "senior, lead"), ("sort", "newest")])
    page.goto(f"{pro_server.url}/#/jobs")  # the filter options, kept for offline
    open_filters(page)

    # The server stops: the replica gives the same jobs in the same order.
    pro_server.stop()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    got = page.evaluate(f"""async (queries) => {{
        const data = await {DATA};
        const out = {{}};
        for (const [name, query] of Object.entries(queries)) {{
            const ids = [];
            for (let cursor; ;) {{
                const answer = await data.listJobs({{...query, cursor, limit: 200}});
                ids.push(...answer.items.map((j) => j.id));
                out[name] = {{ids, offline: answer.offline, unapplied: answer.unapplied}};
                if (!(cursor = answer.nextCursor)) break;
            }}
        }}
        return {{lists: out, options: await data.filterOptions()}};
    }}""", {name: query for name, (_, query) in queries.items()})
    for name, ids in expected.items():
        assert got["lists"][name] == {"ids": ids, "offline": True, "unapplied": False}, name
    offline_options = got["options"]
    assert offline_options["offline"] is True and offline_options["access"]["on"] is True
    assert {k: offline_options[k] for k in ("levels", "industries", "rated", "directApply")} == \
        {k: options[k] for k in ("levels", "industries", "rated", "directApply")}

    # Through the screen: the URL's filters, applied to the replica, and the panel says so.
    page.goto(f"{pro_server.url}/#/jobs?sort=newest&exclude=senior%2C%20lead&level={level.replace(' ', '%20')}")
    expect(page.get_by_test_id("job-count")).to_have_text(f"{len(ui_expected)} jobs")
    shown = [int(row.get_attribute("data-job-id")) for row in page.get_by_test_id("job-row").all()]
    assert shown and shown == ui_expected[:len(shown)]  # the list draws the rows in view
    expect(page.get_by_test_id("advanced-offline")).to_have_count(0)
    open_filters(page)
    expect(page.get_by_test_id("advanced-offline-note")).to_be_visible()
    expect(page.locator(f"[data-testid=level-filter][data-value='{level}'] input")).to_be_checked()
    context.close()


LISTED = ["new", "seen", "saved", "applied"]


def offline_queries(level: str, industries: list[str]) -> dict:
    """name -> (API parameters, the same query for data.listJobs)."""
    listed = ("status", ",".join(LISTED))
    return {
        "level": ([listed, ("level", level), ("sort", "newest")],
                  {"status": LISTED, "levels": [level], "sort": "newest"}),
        "industries by salary": ([listed, *[("industry", i) for i in industries], ("sort", "salary")],
                                 {"status": LISTED, "industries": industries, "sort": "salary"}),
        "rating": ([listed, ("min_rating", "4"), ("sort", "newest")],
                   {"status": LISTED, "minRating": 4, "sort": "newest"}),
        "direct apply, remote": ([listed, ("direct_apply", "true"), ("remote", "false"), ("sort", "newest")],
                                 {"status": LISTED, "directApply": True, "remote": False, "sort": "newest"}),
        "words to hide": ([listed, ("exclude", "senior, lead, on call"), ("sort", "newest")],
                          {"status": LISTED, "exclude": "senior, lead, on call", "sort": "newest"}),
        "hide and level on a board": ([listed, ("exclude", "python"), ("level", level), ("boards", "linkedin"),
                                       ("sort", "salary")],
                                      {"status": LISTED, "exclude": "python", "levels": [level],
                                       "boards": ["linkedin"], "sort": "salary"}),
        "hidden jobs too": ([("status", ",".join([*LISTED, "hidden"])), ("min_rating", "3.5"), ("sort", "newest")],
                            {"status": [*LISTED, "hidden"], "minRating": 3.5, "sort": "newest"}),
        "Chinese words to hide": ([listed, ("exclude", "工程師, 社群"), ("sort", "newest")],
                                  {"status": LISTED, "exclude": "工程師, 社群", "sort": "newest"}),
        "one Chinese letter to hide": ([listed, ("exclude", "師"), ("sort", "newest")],
                                       {"status": LISTED, "exclude": "師", "sort": "newest"}),
        "Chinese in titles only": ([listed, ("q", "工程"), ("title_only", "true"), ("exclude", "資深"),
                                    ("sort", "newest")],
                                   {"status": LISTED, "q": "工程", "titleOnly": True, "exclude": "資深",
                                    "sort": "newest"}),
    }


def api_ids(page, params: list[tuple[str, str]]) -> list[int]:
    """Every job of the API's answer, page by page."""
    ids, cursor = [], []
    while True:
        answer = api(page, "/api/v1/jobs?" + urlencode([*params, ("limit", "200"), *cursor]))
        assert answer["status"] == 200, answer
        ids += [item["id"] for item in answer["body"]["items"]]
        if not answer["body"]["nextCursor"]:
            return ids
        cursor = [("cursor", answer["body"]["nextCursor"])]


def test_offline_the_gate_holds_as_the_server_last_said(browser, server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    open_with_sample_data(page, server)
    open_filters(page)
    expect(page.get_by_test_id("advanced-pitch")).to_be_visible()  # Free, as the server said
    server.stop()
    page.goto(f"{server.url}/#/jobs?exclude=senior")
    page.get_by_test_id("offline-banner").wait_for()
    expect(page.get_by_role("alert")).to_contain_text("Pro")
    refused = page.evaluate(f"""async () => {{
        const data = await {DATA};
        try {{ await data.listJobs({{levels: ["Entry level"]}}); return null; }}
        catch (err) {{ return [err.status, err.details]; }}
    }}""")
    assert refused == [402, {"entitlement": "filters.advanced"}]
    # The pitch still counts the jobs on this device, and offers the way out.
    open_filters(page)
    expect(page.get_by_test_id("advanced-pitch")).to_be_visible()
    page.get_by_test_id("advanced-clear").click()
    expect(page.locator("[data-testid=job-row]").first).to_be_visible()
    # A Pro answer kept past the time its license needed the service again is not trusted either.
    page.evaluate("""() => localStorage.setItem("jobdeck.advancedAccess", JSON.stringify(
        {access: {on: true, reason: "active"}, validUntil: "2020-01-01T00:00:00Z"}))""")
    status = page.evaluate(f"{DATA}.then((d) => d.listJobs({{minRating: 4}})).then(() => 200, (e) => e.status)")
    assert status == 402
    page.evaluate("""() => localStorage.setItem("jobdeck.advancedAccess", JSON.stringify(
        {access: {on: true, reason: "active"}, validUntil: "2999-01-01T00:00:00Z"}))""")
    status = page.evaluate(f"{DATA}.then((d) => d.listJobs({{minRating: 4}})).then(() => 200, (e) => e.status)")
    assert status == 200
    context.close()
