"""Application tracking in the PWA, in a real browser: the board (drag and drop,
and the keyboard way), an offline move kept pending and replayed once, an
interview's calendar file, the Free limit explained, tracking a stored job,
a whole hunt on a phone (part offline) ending in an exported record, and
screenshots of the board, the table and one application."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, screenshot
from tests.server_process import free_port

API = "/api/v1/applications"


def open_app(browser, server, *, size="desktop", locale="en-US", offline_ready=False):
    context = browser.new_context(viewport=VIEWPORTS[size], locale=locale, accept_downloads=True,
                                  timezone_id="Europe/London")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.goto(server.login_url())
    if offline_ready:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
        assert page.evaluate("import('/data/updates.js').then((u) => u.offlineReady)") is True
    return context, page, problems


def call(page, method: str, path: str, body=None) -> dict:
    """The API from inside the page (its session cookie, its origin)."""
    return page.evaluate("""async ([method, path, body]) => {
        const init = {method, headers: {"Content-Type": "application/json"}};
        if (body !== null) init.body = JSON.stringify(body);
        const response = await fetch(path, init);
        const text = await response.text();
        return {status: response.status, body: text ? JSON.parse(text) : null};
    }""", [method, path, body])


def iso(**delta) -> str:
    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat(timespec="seconds")


def create(page, **fields) -> dict:
    # Saved a while ago by default, so the steps seeded after it are the current ones.
    answer = call(page, "POST", API, {"title": "Backend Engineer", "company": "Acme", "at": iso(days=-30), **fields})
    assert answer["status"] == 201, answer
    return answer["body"]


def move(page, app_id: int, stage: str, **body) -> dict:
    answer = call(page, "POST", f"{API}/{app_id}/events", {"stage": stage, **body})
    assert answer["status"] in (200, 201), answer
    return answer["body"]


def seed(page) -> dict[str, int]:
    """A small, believable search: a few applications across the board."""
    ids = {}
    ids["platform"] = create(page, title="Senior Platform Engineer", company="Northwind Labs", excitement=5,
                             source="referral", tags=["remote", "python"], salaryExpectation=145000,
                             salaryCurrency="USD", salaryInterval="yearly", resumeVersion="platform-v4",
                             notes="## Why\n- Small team, **real** ownership\n- Referred by Mei",
                             followUpAt=iso(days=-1))["id"]
    move(page, ids["platform"], "applied", at=iso(days=-12))
    move(page, ids["platform"], "screening", at=iso(days=-6), note="Recruiter call went well")
    move(page, ids["platform"], "interviewing", at=iso(days=-2))
    call(page, "POST", f"{API}/{ids['platform']}/interviews", {
        "startsAt": (datetime.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0).isoformat(),
        "timeZone": "Europe/London", "kind": "video", "meetingUrl": "https://meet.example/abc",
        "participants": ["Dana Ruiz", "Sam Lee"], "durationMinutes": 45})
    call(page, "POST", f"{API}/{ids['platform']}/contacts",
         {"name": "Mei Chen", "role": "Engineering manager", "email": "mei@northwind.example"})
    ids["data"] = create(page, title="Data Engineer", company="Contoso", excitement=3, source="LinkedIn")["id"]
    move(page, ids["data"], "applied", at=iso(days=-4))
    ids["frontend"] = create(page, title="Frontend Developer", company="Fabrikam", excitement=4,
                             followUpAt=iso(days=5))["id"]
    ids["ml"] = create(page, title="Machine Learning Engineer", company="Tailspin Toys", excitement=2)["id"]
    ids["sre"] = create(page, title="Site Reliability Engineer", company="Adventure Works", excitement=4)["id"]
    move(page, ids["sre"], "applied", at=iso(days=-20))
    move(page, ids["sre"], "offer", at=iso(days=-1), note="Verbal offer, written to follow")
    ids["old"] = create(page, title="QA Analyst", company="Litware")["id"]
    move(page, ids["old"], "rejected", at=iso(days=-3))
    return ids


def history(page, app_id: int) -> list[dict]:
    return call(page, "GET", f"{API}/{app_id}")["body"]["events"]


def card(page, app_id: int):
    return page.locator(f"[data-testid=app-card][data-app-id='{app_id}']")


def column(page, stage: str):
    return page.locator(f"[data-testid=board-column][data-stage='{stage}']")


def open_board(page, server) -> None:
    page.goto(f"{server.url}/#/applications")
    expect(page.get_by_test_id("applications-screen")).to_be_visible()
    if page.get_by_test_id("apps-board").is_hidden():
        page.locator("[data-testid=apps-view][data-view=board]").click()
    expect(page.get_by_test_id("app-card").first).to_be_visible()


def test_drag_and_drop_moves_a_card_to_another_stage(browser, server):
    context, page, problems = open_app(browser, server)
    ids = seed(page)
    open_board(page, server)
    data = card(page, ids["data"])
    expect(data).to_have_attribute("data-stage", "applied")
    data.drag_to(column(page, "screening"))
    expect(column(page, "screening").locator(f"[data-app-id='{ids['data']}']")).to_be_visible()
    expect(card(page, ids["data"])).to_have_attribute("data-pending", "false")
    assert [e["stage"] for e in history(page, ids["data"])] == ["saved", "applied", "screening"]
    expect(page.get_by_test_id("apps-announcer")).to_contain_text("Screening")
    assert not problems
    context.close()


def test_the_keyboard_moves_a_card_too(browser, server):
    context, page, problems = open_app(browser, server)
    ids = seed(page)
    open_board(page, server)
    frontend = card(page, ids["frontend"])
    frontend.focus()
    page.keyboard.press("ArrowRight")  # saved -> applied
    moved = column(page, "applied").locator(f"[data-app-id='{ids['frontend']}']")
    expect(moved).to_be_visible()
    expect(page.get_by_test_id("apps-announcer")).to_have_text(re.compile("Frontend Developer.*Applied"))
    expect(moved).to_be_focused()  # the keyboard stays on the card in its new column
    # The "Move to…" menu, by keyboard only.
    moved.get_by_test_id("card-move").focus()
    page.keyboard.press("Enter")
    target = moved.locator("[data-testid=card-move-to][data-stage=interviewing]")
    target.focus()
    page.keyboard.press("Enter")
    expect(column(page, "interviewing").locator(f"[data-app-id='{ids['frontend']}']")).to_be_visible()
    assert [e["stage"] for e in history(page, ids["frontend"])] == ["saved", "applied", "interviewing"]
    assert not problems
    context.close()


def test_an_offline_move_is_pending_then_syncs_exactly_once(browser, servers, tmp_path):
    port = free_port()
    home = tmp_path / "home"
    server = servers(home, port)
    context, page, problems = open_app(browser, server, offline_ready=True)
    ids = seed(page)
    open_board(page, server)
    expect(card(page, ids["ml"])).to_have_attribute("data-stage", "saved")

    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    expect(card(page, ids["ml"])).to_be_visible()  # the board opens from IndexedDB
    card(page, ids["ml"]).focus()
    page.keyboard.press("ArrowRight")
    offline_card = column(page, "applied").locator(f"[data-app-id='{ids['ml']}']")
    expect(offline_card).to_have_attribute("data-pending", "true")
    expect(offline_card.get_by_test_id("pending-badge")).to_be_visible()
    expect(page.get_by_test_id("apps-announcer")).to_contain_text("sync")
    assert page.evaluate("import('/data/applications.js').then((a) => a.pending()).then((p) => p.length)") == 1

    servers(home, port)  # the same home, the same origin
    expect(card(page, ids["ml"])).to_have_attribute("data-pending", "false", timeout=30_000)
    expect(card(page, ids["ml"])).to_have_attribute("data-stage", "applied")
    assert page.evaluate("import('/data/applications.js').then((a) => a.pending()).then((p) => p.length)") == 0
    events = history(page, ids["ml"])
    assert [e["stage"] for e in events] == ["saved", "applied"]
    # Sending the same event again (a replay) records nothing new.
    replay = call(page, "POST", f"{API}/{ids['ml']}/events",
                  {"clientId": events[-1]["clientId"], "stage": "applied", "at": events[-1]["at"]})
    assert replay["status"] == 200 and len(replay["body"]["events"]) == 2
    assert not [p for p in problems if "page error" in p]
    context.close()


def test_an_interview_added_on_the_page_downloads_as_ics(browser, server):
    context, page, problems = open_app(browser, server)
    app = create(page, title="Staff Engineer", company="Globex")
    page.goto(f"{server.url}/#/application/{app['id']}")
    expect(page.get_by_test_id("app-title")).to_have_text("Staff Engineer")
    page.get_by_test_id("interview-add").click()
    expect(page.get_by_test_id("interview-zone")).to_have_value("Europe/London")  # the browser's zone
    day = (datetime.now() + timedelta(days=4)).strftime("%Y-%m-%d")
    page.get_by_test_id("interview-start").fill(f"{day}T15:30")
    page.get_by_test_id("interview-zone").fill("Asia/Taipei")
    page.get_by_test_id("interview-kind").select_option("video")
    page.get_by_test_id("interview-link").fill("https://meet.example/staff")
    page.get_by_test_id("interview-people").fill("Ana Park, Jo Smith")
    page.get_by_test_id("interview-save").click()
    row = page.get_by_test_id("interview-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Asia/Taipei")

    with page.expect_download() as download:
        row.get_by_test_id("interview-ics").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    start = events[0].decoded("DTSTART")
    assert start.astimezone(timezone.utc) == datetime.fromisoformat(f"{day}T15:30:00+08:00").astimezone(timezone.utc)
    assert "Staff Engineer" in str(events[0].get("SUMMARY"))
    assert "https://meet.example/staff" in events[0].to_ical().decode()

    with page.expect_download() as everything:
        page.locator("[data-testid=apps-calendar]").first.click()
    upcoming = icalendar.Calendar.from_ical(Path(everything.value.path()).read_bytes())
    assert len([c for c in upcoming.walk() if c.name == "VEVENT"]) == 1
    assert not problems
    context.close()


def test_the_21st_active_application_is_refused_on_free_with_the_way_out(browser, server):
    context, page, problems = open_app(browser, server)
    for n in range(20):
        create(page, title=f"Role {n + 1}", company="Initech")
    page.goto(f"{server.url}/#/applications")
    expect(page.get_by_test_id("apps-usage")).to_have_text("20 of 20 active on Free")
    page.get_by_test_id("apps-add-toggle").click()
    page.get_by_test_id("apps-add-title").fill("One too many")
    page.get_by_test_id("apps-add-company").fill("Hooli")
    page.get_by_test_id("apps-add-submit").click()
    limit = page.get_by_test_id("apps-limit")
    expect(limit).to_be_visible()
    expect(limit).to_contain_text("Free tracks up to 20 active applications")
    expect(limit.get_by_role("link")).to_have_attribute("href", "#/settings")
    assert len(call(page, "GET", API)["body"]) == 20
    # Pro features show the user's own numbers, not examples.
    expect(page.get_by_test_id("pro-upsell").first).to_be_visible()
    assert not problems
    context.close()


def test_a_stored_job_is_tracked_from_its_page(browser, server):
    context, page, problems = open_app(browser, server)
    page.evaluate("fetch('/api/v1/demo', {method: 'POST'})")
    job = call(page, "GET", "/api/v1/jobs?limit=1")["body"]["items"][0]
    page.goto(f"{server.url}/#/job/{job['id']}")
    page.get_by_test_id("action-track").click()
    expect(page).to_have_url(re.compile(r"#/application/\d+$"))
    expect(page.get_by_test_id("app-title")).to_have_text(job["title"])
    app_id = int(page.url.rsplit("/", 1)[1])
    tracked = call(page, "GET", f"{API}/{app_id}")["body"]
    assert tracked["jobId"] == job["id"] and tracked["board"] in job["boards"]
    # The board it came from, beside the company and place, as the job list shows it.
    board = page.locator(".app-company").get_by_test_id("board-badge")
    expect(board).to_have_attribute("data-board", tracked["board"])
    expect(board).to_have_text(page.evaluate(f"import('/i18n/index.js').then((i) => i.t('board.{tracked['board']}'))"))
    page.goto(f"{server.url}/#/job/{job['id']}")
    expect(page.get_by_test_id("open-application")).to_have_attribute("href", f"#/application/{app_id}")
    assert not problems
    context.close()


def test_screens_of_the_board_the_table_and_one_application(browser, server):
    ids = None
    for size in VIEWPORTS:
        context, page, problems = open_app(browser, server, size=size)
        if ids is None:
            ids = seed(page)
        open_board(page, server)
        page.evaluate("document.fonts.ready.then(() => true)")
        screenshot(page, f"applications-board-{size}")

        page.locator("[data-testid=apps-view][data-view=table]").click()
        rows = page.get_by_test_id("app-table-row")
        expect(rows).to_have_count(len(ids))
        page.locator("[data-testid=apps-sort][data-key=excitement]").click()
        expect(page.locator("th[aria-sort=descending] [data-key=excitement]")).to_have_count(1)
        expect(rows.first).to_have_attribute("data-app-id", str(ids["platform"]))
        page.evaluate("document.querySelector('.apps-table-wrap').scrollLeft = 0")
        # Every title is shown whole (wrapped on a phone), never cut short.
        assert page.evaluate("""() => [...document.querySelectorAll('.cell-title')]
            .every((cell) => cell.scrollWidth <= cell.clientWidth)""")
        screenshot(page, f"applications-table-{size}")
        page.reload()  # the choice is remembered
        expect(page.get_by_test_id("apps-table")).to_be_visible()
        page.locator("[data-testid=apps-view][data-view=board]").click()

        page.goto(f"{server.url}/#/application/{ids['platform']}")
        expect(page.get_by_test_id("app-title")).to_have_text("Senior Platform Engineer")
        expect(page.get_by_test_id("timeline-event")).to_have_count(4)
        expect(page.get_by_test_id("app-notes-view").locator("strong")).to_have_text("real")
        screenshot(page, f"application-detail-{size}")
        assert not problems
        context.close()


def test_the_phone_tab_bar_fits_five_sections_at_360_px(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server.login_url())
    page.goto(f"{server.url}/#/applications")
    links = page.locator(".top-link")
    expect(links.first).to_be_visible()
    # A fifth section the way the next one will be added: a copy of an entry.
    page.evaluate("""() => {
        const nav = document.querySelector('.top-links');
        if (nav.children.length < 5) nav.append(nav.lastElementChild.cloneNode(true));
    }""")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.top-link')].map((a) => {
        const box = a.getBoundingClientRect();
        const label = [...a.querySelectorAll('span')].find((s) => getComputedStyle(s).display !== 'none');
        return {left: box.left, right: box.right, clipped: label.scrollWidth > label.clientWidth + 1};
    })""")
    assert len(sizes) >= 5
    assert all(0 <= s["left"] and s["right"] <= 360 for s in sizes)
    assert not any(s["clipped"] for s in sizes)
    context.close()


def test_pro_reminders_ghost_suggestion_is_confirmed_by_the_user_and_notifies_once(browser, server):
    """The server's Pro answers (reminders, funnel) stand in through routing: the
    subprocess server runs on Free. The move itself goes to the real server."""
    context, page, problems = open_app(browser, server)
    ids = seed(page)
    app = call(page, "GET", f"{API}/{ids['data']}")["body"]
    reminders = {
        "due": [{"applicationId": ids["platform"], "title": "Senior Platform Engineer", "company": "Northwind Labs",
                 "stage": "interviewing", "followUpAt": iso(days=-1).replace("+00:00", "Z")}],
        "upcoming": [], "interviews": [],
        "ghosted": [{"applicationId": app["id"], "title": app["title"], "company": app["company"], "stage": "applied",
                     "lastActivityAt": iso(days=-30).replace("+00:00", "Z"), "idleDays": 30, "suggestedStage": "ghosted"}],
        "ghostAfterDays": 21, "days": 14}
    funnel = {"applications": 6, "submitted": 4, "minSample": 5,
              "perWeek": [{"week": "2026-W40", "starts": "2026-09-28", "applications": 2},
                          {"week": "2026-W41", "starts": "2026-10-05", "applications": 3}],
              "conversion": [{"fromStage": "applied", "toStage": "screening", "rate": {"value": 0.5, "n": 6, "tooFew": False}},
                             {"fromStage": "screening", "toStage": "interviewing", "rate": {"value": None, "n": 2, "tooFew": True}}],
              "responseByBoard": [], "responseBySource": [{"key": "referral", "responseRate": {"value": None, "n": 1, "tooFew": True}}],
              "timeInStage": [{"stage": "applied", "medianDays": {"value": 6.0, "n": 5, "tooFew": False}}]}
    page.route("**/api/v1/tracking/reminders*", lambda route: route.fulfill(json=reminders))
    page.route("**/api/v1/tracking/funnel", lambda route: route.fulfill(json=funnel))
    context.grant_permissions(["notifications"])
    page.add_init_script("""(() => {
        const shown = [];
        window.__shown = shown;
        window.Notification = class { constructor(title, options) { shown.push({title, ...options}); }
            static get permission() { return "granted"; } static requestPermission() { return Promise.resolve("granted"); } };
    })()""")
    page.goto(f"{server.url}/#/applications")
    page.reload()  # a new document, with the stand-in Notification
    ghost = page.locator(f"[data-testid=due-ghost][data-app-id='{app['id']}']")
    expect(ghost).to_be_visible()
    expect(page.get_by_test_id("funnel-too-few").first).to_contain_text("too few to tell")
    expect(page.get_by_test_id("funnel-week")).to_have_count(2)
    screenshot(page, "applications-pro-desktop")
    # One notification for the follow-up due, and not again on the next visit the same day.
    page.wait_for_function("() => window.__shown.length === 1")
    page.reload()
    expect(ghost).to_be_visible()
    expect(page.get_by_test_id("funnel-week")).to_have_count(2)
    assert page.evaluate("window.__shown.length") == 0  # a fresh page: nothing shown twice the same day

    # A suggestion, not a move: nothing changes until the user confirms.
    ghost.get_by_test_id("mark-ghosted").click()
    assert call(page, "GET", f"{API}/{app['id']}")["body"]["stage"] == "applied"
    ghost.get_by_test_id("mark-ghosted-confirm").click()
    expect(column(page, "ghosted").get_by_test_id("column-count")).to_have_text("1")  # folded: a closed stage
    assert call(page, "GET", f"{API}/{app['id']}")["body"]["stage"] == "ghosted"
    assert not problems
    context.close()


def test_stages_are_renamed_added_and_reordered_and_a_used_one_is_kept(browser, servers, tmp_path):
    server = servers(tmp_path / "home")
    context, page, problems = open_app(browser, server)
    app = create(page)
    move(page, app["id"], "applied")
    page.goto(f"{server.url}/#/applications")
    page.get_by_test_id("stages-edit").click()
    rows = page.get_by_test_id("stage-row")
    expect(rows).to_have_count(9)
    page.locator("[data-testid=stage-row][data-stage=screening] [data-testid=stage-label]").fill("Phone screen")
    page.get_by_test_id("stage-new").fill("Take-home task")
    page.get_by_test_id("stage-add").click()
    expect(rows).to_have_count(10)
    page.get_by_test_id("stage-editor").scroll_into_view_if_needed()
    screenshot(page, "applications-stages-desktop")
    # Added before the closed stages; moved up once, to sit before the offer.
    new_row = page.locator("[data-testid=stage-row][data-stage=take_home_task]")
    new_row.get_by_role("button", name="Move Take-home task up").click()
    page.get_by_test_id("stages-save").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Stages saved")
    stored = call(page, "GET", "/api/v1/tracking/stages")["body"]["stages"]
    keys = [stage["key"] for stage in stored]
    assert keys.index("take_home_task") == keys.index("offer") - 1
    assert {s["key"]: s["label"] for s in stored}["screening"] == "Phone screen"
    expect(page.locator("[data-testid=board-column][data-stage=screening]")).to_contain_text("Phone screen")

    # "applied" is in the application's history: removing it is refused, nothing changes.
    page.locator("[data-testid=stage-row][data-stage=applied] [data-testid=stage-remove]").click()
    page.get_by_test_id("stages-save").click()
    expect(page.get_by_test_id("stages-error")).to_contain_text("cannot be removed")
    assert [s["key"] for s in call(page, "GET", "/api/v1/tracking/stages")["body"]["stages"]] == keys
    assert problems == []
    context.close()


def test_an_application_added_offline_is_created_once_with_its_moves(browser, servers, tmp_path):
    port = free_port()
    home = tmp_path / "home"
    server = servers(home, port)
    context, page, problems = open_app(browser, server, offline_ready=True)
    seed(page)
    open_board(page, server)

    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    page.get_by_test_id("apps-add-toggle").click()
    page.get_by_test_id("apps-add-title").fill("Data Platform Lead")
    page.get_by_test_id("apps-add-company").fill("Initech")
    page.get_by_test_id("apps-add-submit").click()
    expect(page.get_by_test_id("toast")).to_contain_text("sent when the server is back")
    draft = page.locator("[data-testid=app-card]", has_text="Data Platform Lead")
    expect(draft).to_have_attribute("data-pending", "true")
    assert int(draft.get_attribute("data-app-id")) < 0  # a temporary id until the server has it
    draft.focus()
    page.keyboard.press("ArrowRight")  # moved while still offline: queued behind its creation
    expect(column(page, "applied").locator("[data-testid=app-card]", has_text="Data Platform Lead")).to_be_visible()

    servers(home, port)
    synced = page.locator("[data-testid=app-card]", has_text="Data Platform Lead")
    expect(synced).to_have_attribute("data-pending", "false", timeout=30_000)
    real_id = int(synced.get_attribute("data-app-id"))
    assert real_id > 0
    made = [a for a in call(page, "GET", API)["body"] if a["title"] == "Data Platform Lead"]
    assert len(made) == 1 and made[0]["id"] == real_id and made[0]["company"] == "Initech"
    assert [e["stage"] for e in history(page, real_id) if e["stage"]] == ["saved", "applied"]
    assert page.evaluate("import('/data/applications.js').then((a) => a.pending()).then((p) => p.length)") == 0
    assert not [p for p in problems if "page error" in p]
    context.close()


def move_on_page(page, stage: str) -> None:
    page.get_by_test_id("app-stage-select").select_option(stage)
    page.get_by_test_id("app-stage-move").click()
    expect(page.locator(".app-stage-line .badge").first).to_have_attribute("data-stage", stage)


def test_a_whole_hunt_on_a_phone_from_a_saved_job_to_an_accepted_offer(browser, servers, tmp_path):
    """Everything through the screens, at phone size, from the screening on offline (a contact and an
    interview included), then synced once and the record exported."""
    port = free_port()
    home = tmp_path / "home"
    server = servers(home, port)
    context, page, problems = open_app(browser, server, size="phone", offline_ready=True)
    page.evaluate("fetch('/api/v1/demo', {method: 'POST'})")
    job = call(page, "GET", "/api/v1/jobs?limit=1")["body"]["items"][0]
    page.goto(f"{server.url}/#/job/{job['id']}")
    page.get_by_test_id("action-track").click()  # saved
    expect(page).to_have_url(re.compile(r"#/application/\d+$"))
    app_id = int(page.url.rsplit("/", 1)[1])

    # The job's own details can be corrected on its page.
    page.get_by_test_id("app-job-edit").click()
    page.get_by_test_id("app-job-title").fill("Lead Backend Engineer")
    page.get_by_test_id("app-job-location").fill("Taipei (hybrid)")
    page.get_by_test_id("app-job-url").fill("https://careers.example/lead-backend")
    page.get_by_test_id("app-job-save").click()
    expect(page.get_by_test_id("app-title")).to_have_text("Lead Backend Engineer")
    expect(page.get_by_test_id("app-posting")).to_have_attribute("href", "https://careers.example/lead-backend")

    move_on_page(page, "applied")
    move_on_page(page, "screening")

    # From the screening on, with the server gone: everything is kept on the phone and synced later.
    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    expect(page.get_by_test_id("app-title")).to_have_text("Lead Backend Engineer")
    page.get_by_test_id("contact-add").click()
    page.get_by_test_id("contact-name").fill("Mei Chen")
    page.locator("[data-testid=contact-form] [name=role]").fill("Recruiter")
    page.get_by_test_id("contact-save").click()
    expect(page.get_by_test_id("contact-row")).to_have_attribute("data-pending", "true")
    move_on_page(page, "interviewing")
    page.get_by_test_id("interview-add").click()
    day = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%d")
    page.get_by_test_id("interview-start").fill(f"{day}T10:00")
    page.get_by_test_id("interview-zone").fill("Asia/Taipei")
    page.get_by_test_id("interview-kind").select_option("onsite")
    page.get_by_test_id("interview-place").fill("HQ, 5F")
    page.get_by_test_id("interview-save").click()
    interview = page.get_by_test_id("interview-row")
    expect(interview).to_have_attribute("data-pending", "true")
    # Shown at the time agreed, in its zone, before the server has computed anything.
    expect(interview).to_contain_text("10:00")
    expect(interview.get_by_test_id("interview-ics")).to_have_count(0)  # the file comes from the server
    move_on_page(page, "offer")
    page.get_by_test_id("app-salary-offer").fill("1800000")
    page.get_by_test_id("app-salary-offer").press("Tab")
    expect(page.get_by_test_id("app-salary-offer")).to_have_value("1800000")
    move_on_page(page, "accepted")
    page.get_by_test_id("app-job-edit").click()
    page.get_by_test_id("app-job-company").fill("Northwind Labs")
    page.get_by_test_id("app-job-save").click()
    expect(page.get_by_test_id("app-company")).to_have_text("Northwind Labs")
    expect(page.get_by_test_id("app-pending")).to_be_visible()

    servers(home, port)
    expect(page.get_by_test_id("app-pending")).to_have_count(0, timeout=30_000)
    assert page.evaluate("import('/data/applications.js').then((a) => a.pending()).then((p) => p.length)") == 0
    expect(page.get_by_test_id("interview-row")).to_have_attribute("data-pending", "false")
    expect(page.get_by_test_id("interview-row").get_by_test_id("interview-ics")).to_have_count(1)

    page.goto(f"{server.url}/#/applications")
    with page.expect_download() as download:
        page.get_by_test_id("apps-export-json").click()
    record = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    [app] = [a for a in record["applications"] if a["id"] == app_id]
    assert [e["stage"] for e in app["events"] if e["kind"] == "stage"] == [
        "saved", "applied", "screening", "interviewing", "offer", "accepted"]
    assert all(e["at"] for e in app["events"]) and app["stage"] == "accepted" and not app["active"]
    assert (app["title"], app["company"], app["location"]) == ("Lead Backend Engineer", "Northwind Labs",
                                                               "Taipei (hybrid)")
    assert app["salaryOffer"] == 1800000 and app["jobId"] == job["id"]
    assert [(i["kind"], i["location"], i["timeZone"], i["localStart"]) for i in app["interviews"]] == [
        ("onsite", "HQ, 5F", "Asia/Taipei", f"{day}T10:00:00")]
    assert [(c["name"], c["role"]) for c in app["contacts"]] == [("Mei Chen", "Recruiter")]
    with page.expect_download() as download:
        page.get_by_test_id("apps-export-csv").click()
    [row] = [r for r in csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8")))
             if r["title"] == "Lead Backend Engineer"]
    assert row["stage"] == "accepted" and all(row[f"stage_{s}_at"] for s in ("applied", "offer", "accepted"))
    assert not [p for p in problems if "page error" in p]
    context.close()


def pending_count(page) -> int:
    return page.evaluate("import('/data/applications.js').then((a) => a.pending()).then((p) => p.length)")


def test_contacts_and_interviews_edited_and_removed_offline_sync_once(browser, servers, tmp_path):
    """Offline: a contact and an interview edited, one of each removed, one added then edited, one added
    then removed, and an edit to a contact the server lost meanwhile; back online, each applied once."""
    port = free_port()
    home = tmp_path / "home"
    server = servers(home, port)
    context, page, problems = open_app(browser, server, offline_ready=True)
    app_id = create(page, title="Platform Engineer", company="Initech")["id"]
    made = {name: call(page, "POST", f"{API}/{app_id}/contacts", {"name": name, "role": "Recruiter"})["body"]
            for name in ("Ann Lee", "Bo Chen", "Eve Wu")}
    people = {name: contact["id"] for name, contact in made.items()}
    day = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d")
    talks = [call(page, "POST", f"{API}/{app_id}/interviews", {"startsAt": f"{day}T{hour:02d}:00:00", "timeZone": "UTC",
                                                               "kind": "video"})["body"]["id"] for hour in (9, 15)]
    page.goto(f"{server.url}/#/application/{app_id}")
    expect(page.get_by_test_id("contact-row")).to_have_count(3)

    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    contact = lambda cid: page.locator(f"[data-testid=contact-row][data-id='{cid}']")  # noqa: E731
    for name, role in (("Ann Lee", "Hiring manager"), ("Eve Wu", "Sourcer")):
        contact(people[name]).get_by_test_id("contact-edit").click()
        page.locator("[data-testid=contact-form] [name=role]").fill(role)
        page.get_by_test_id("contact-save").click()
        expect(contact(people[name])).to_have_attribute("data-pending", "true")
    expect(contact(people["Ann Lee"])).to_contain_text("Hiring manager")
    contact(people["Bo Chen"]).get_by_test_id("contact-remove").click()
    expect(contact(people["Bo Chen"])).to_have_count(0)
    # Added offline, then corrected and another added and dropped before anything was sent.
    for name in ("Cy Wu", "Dee Ray"):
        page.get_by_test_id("contact-add").click()
        page.get_by_test_id("contact-name").fill(name)
        page.get_by_test_id("contact-save").click()
    new_row = page.get_by_test_id("contact-row").filter(has_text="Cy Wu")
    new_row.get_by_test_id("contact-edit").click()
    page.locator("[data-testid=contact-form] [name=role]").fill("Referrer")
    page.get_by_test_id("contact-save").click()
    expect(page.get_by_test_id("contact-row").filter(has_text="Referrer")).to_have_attribute("data-pending", "true")
    page.get_by_test_id("contact-row").filter(has_text="Dee Ray").get_by_test_id("contact-remove").click()
    expect(page.get_by_test_id("contact-row").filter(has_text="Dee Ray")).to_have_count(0)

    interview = lambda iid: page.locator(f"[data-testid=interview-row][data-id='{iid}']")  # noqa: E731
    interview(talks[0]).get_by_test_id("interview-edit").click()
    page.get_by_test_id("interview-kind").select_option("onsite")
    page.get_by_test_id("interview-zone").fill("Asia/Taipei")
    page.get_by_test_id("interview-save").click()
    expect(interview(talks[0])).to_have_attribute("data-pending", "true")
    expect(interview(talks[0])).to_contain_text("Asia/Taipei")
    expect(interview(talks[0])).to_contain_text("9:00 AM")  # the same wall-clock time, in the new zone
    expect(interview(talks[0]).get_by_test_id("interview-ics")).to_have_count(0)
    interview(talks[1]).get_by_test_id("interview-remove").click()
    expect(interview(talks[1])).to_have_count(0)
    kinds = sorted(item["kind"] for item in page.evaluate("import('/data/applications.js').then((a) => a.pending())"))
    assert kinds == ["contact", "contactEdit", "contactEdit", "contactRemove", "interviewEdit", "interviewRemove"]

    # Meanwhile another device removed Eve and added Zed, who took Eve's id: the edit made here must
    # land on neither.
    with sqlite3.connect(home / "jobdeck.sqlite3") as conn:
        conn.execute("DELETE FROM application_contacts WHERE id = ?", (people["Eve Wu"],))
        conn.execute("INSERT INTO application_contacts (id, application_id, client_id, name, created_at, updated_at) "
                     "VALUES (?, ?, 'other-device-0001', 'Zed Park', 1, 1)", (people["Eve Wu"], app_id))
    conn.close()
    servers(home, port)
    expect(page.get_by_test_id("app-pending")).to_have_count(0, timeout=30_000)
    assert pending_count(page) == 0
    expect(page.get_by_test_id("toast").filter(
        has_text="A contact you edited offline had been removed meanwhile")).to_have_count(1)
    detail = call(page, "GET", f"{API}/{app_id}")["body"]
    assert sorted((c["name"], c["role"]) for c in detail["contacts"]) == [("Ann Lee", "Hiring manager"),
                                                                        ("Cy Wu", "Referrer"), ("Zed Park", None)]
    assert [(i["id"], i["kind"], i["timeZone"], i["localStart"]) for i in detail["interviews"]] == [
        (talks[0], "onsite", "Asia/Taipei", f"{day}T09:00:00")]
    expect(page.get_by_test_id("contact-row")).to_have_count(3)
    expect(interview(talks[0])).to_have_attribute("data-pending", "false")
    expect(interview(talks[0]).get_by_test_id("interview-ics")).to_have_count(1)
    # Sent again, the removal is already done (even where Bo's id now names Cy), and the addition
    # made nothing twice.
    bo = made["Bo Chen"]
    assert call(page, "DELETE", f"{API}/{app_id}/contacts/{bo['id']}?clientId={bo['clientId']}")["status"] == 404
    cy = next(c for c in detail["contacts"] if c["name"] == "Cy Wu")
    assert call(page, "POST", f"{API}/{app_id}/contacts", {"clientId": cy["clientId"], "name": "Cy Wu"})["status"] == 200
    assert len(call(page, "GET", f"{API}/{app_id}/contacts")["body"]) == 3
    assert not [p for p in problems if "page error" in p]
    context.close()


def test_reopening_a_closed_stage_past_free_s_limit_is_explained_in_the_editor(browser, server):
    context, page, problems = open_app(browser, server, locale="zh-TW")  # worded by the app, not the server
    for n in range(20):
        create(page, title=f"Role {n + 1}", company="Initech")
    create(page, title="Turned down", company="Hooli", stage="rejected")
    page.goto(f"{server.url}/#/applications")
    page.get_by_test_id("stages-edit").click()
    page.locator("[data-testid=stage-row][data-stage=rejected] [data-testid=stage-terminal]").uncheck()
    page.get_by_test_id("stages-save").click()
    expect(page.get_by_test_id("stages-error")).to_contain_text("免費版最多可同時追蹤 20 筆進行中的應徵")
    rejected = [s for s in call(page, "GET", "/api/v1/tracking/stages")["body"]["stages"] if s["key"] == "rejected"]
    assert rejected[0]["terminal"] is True
    assert not problems
    context.close()


def test_an_offline_interview_s_wall_clock_time_becomes_the_instant_the_server_would_store(browser, server):
    context, page, problems = open_app(browser, server)
    cases = [("2026-03-01T14:00:00", "Asia/Taipei"), ("2026-07-01T09:30:00", "Europe/London"),
             ("2026-03-08T01:30:00", "America/New_York"), ("2026-11-01T12:00:00", "UTC")]
    got = page.evaluate("""(cases) => import('/data/applications.js').then((a) =>
        cases.map(([local, zone]) => a.zonedToUtc(local, zone)?.toISOString() ?? null))""", cases)
    expected = []
    for local, zone in cases:
        answer = call(page, "POST", API, {"title": f"Zone {zone}"})["body"]
        made = call(page, "POST", f"{API}/{answer['id']}/interviews", {"startsAt": local, "timeZone": zone})
        expected.append(made["body"]["startsAt"])
    assert [g.replace(".000Z", "Z") for g in got] == expected
    unknown = "import('/data/applications.js').then((a) => a.zonedToUtc('2026-01-01T10:00:00', 'Nowhere/Else'))"
    assert page.evaluate(unknown) is None
    assert not problems
    context.close()


def test_a_huntr_export_is_imported_on_a_phone_through_the_column_mapping(browser, server):
    from tests.test_tracking_transfer import HUNTR

    context, page, problems = open_app(browser, server, size="phone")
    page.goto(f"{server.url}/#/applications")
    page.get_by_test_id("apps-import-file").set_input_files(
        files=[{"name": "huntr.csv", "mimeType": "text/csv", "buffer": HUNTR.encode()}])
    preview = page.get_by_test_id("apps-import-preview")
    expect(preview).to_contain_text("huntr")
    # Every column's choice is on screen, nothing sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    selects = page.get_by_test_id("import-map")
    expect(selects).to_have_count(22)
    for i in range(selects.count()):
        box = selects.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (i, box)
    company = page.locator("[data-testid=import-map][data-header=companyName]")
    expect(company).to_have_value("company")
    page.locator("[data-testid=import-map][data-header=boardName]").select_option("source")  # the user's own choice
    page.locator("[data-testid=import-stage][data-value=interview]").select_option("screening")
    page.get_by_test_id("apps-import-submit").click()
    expect(page.get_by_test_id("apps-import-result")).to_contain_text("2")
    apps = {a["title"]: a for a in call(page, "GET", API)["body"]}
    assert apps["Frontend Dev, Web"]["stage"] == "screening" and apps["Frontend Dev, Web"]["company"] == "Beta"
    assert apps["Backend Engineer"]["source"] == "Job Search 2026"
    assert not problems
    context.close()


def test_an_export_past_free_s_limit_is_offered_in_part_and_the_rest_stays_out(browser, server):
    from tests.test_tracking_limits import restore_file

    context, page, problems = open_app(browser, server, size="phone")
    for n in range(17):
        create(page, title=f"Role {n + 1}", company="Initech")
    page.goto(f"{server.url}/#/applications")
    page.get_by_test_id("apps-import-file").set_input_files(files=[{
        "name": "jobdeck-applications.json", "mimeType": "application/json", "buffer": restore_file(5, 2).encode()}])
    page.get_by_test_id("apps-import-submit").click()
    offer = page.get_by_test_id("apps-import-offer")
    expect(offer).to_contain_text("This file has 5 active applications, and Free has room for 3 more.")
    expect(offer).to_contain_text("import this same file again")  # every application in it has a client id
    assert len(call(page, "GET", API)["body"]) == 17  # nothing stored until the user chooses
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    fit = offer.get_by_test_id("apps-import-fit")
    expect(fit).to_have_text("Import the first 3 active and every closed one")
    fit.click()
    result = page.get_by_test_id("apps-import-result")
    expect(result).to_contain_text("Imported 5 applications")
    expect(page.get_by_test_id("apps-import-left-out")).to_have_text("2 active applications past Free's limit were left out.")
    expect(page.get_by_test_id("apps-import-offer")).to_have_count(0)
    expect(page.get_by_test_id("apps-usage")).to_have_text("20 of 20 active on Free")
    titles = {a["title"] for a in call(page, "GET", API)["body"]}
    assert {"Kept 0", "Kept 1", "Kept 2", "Over 0", "Over 1"} <= titles and not {"Kept 3", "Kept 4"} & titles
    assert not problems
    context.close()
