"""Offline-first: the app opens with the server killed, lists and searches the
IndexedDB replica, keeps edits in an outbox that syncs after a restart, and
offers a new version when the shell changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import server_process
from tests.server_process import free_port

REPO = Path(__file__).resolve().parents[2]
DATA = "import('/data/index.js').then((m) => m.data)"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def until(page, predicate: str, arg=None, seconds: int = 30) -> None:
    """Poll an async predicate in the page (wait_for_function does not await promises)."""
    page.evaluate(f"""async (arg) => {{
        const check = {predicate};
        const deadline = Date.now() + {seconds * 1000};
        while (!(await check(arg))) {{
            if (Date.now() > deadline) throw new Error("condition not met: " + check);
            await new Promise((resolve) => setTimeout(resolve, 200));
        }}
    }}""", arg)


def open_app(page, server) -> None:
    page.goto(server.login_url())
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    assert page.evaluate("import('/data/updates.js').then((u) => u.offlineReady)") is True


def open_with_sample_data(page, server) -> list[int]:
    open_app(page, server)
    return page.evaluate(f"""async () => {{
        const data = await {DATA};
        await data.loadDemo();
        location.hash = "#/jobs";
        return (await data.listJobs({{sort: "newest", limit: 200}})).items.map((j) => j.id);
    }}""")


# Chinese and Japanese postings, written without spaces: the words searched
# for sit inside longer runs of letters.
CJK_CSV = "\n".join([
    "id,site,title,company,location,date_posted,description",
    "zh-1,indeed,資深軟體工程師,台灣積體電路,新竹,2026-11-20,負責後端服務與資料庫設計",
    "zh-2,indeed,行銷專員,好日子,台北,2026-11-19,經營社群與品牌活動",
    "zh-3,indeed,Java工程師,Acme,台北,2026-11-18,Spring Boot 後端開發",
    "zh-4,indeed,工程部經理,Beta,台中,2026-11-17,帶領十人的團隊",
    "zh-5,indeed,ソフトウェアエンジニア,Gamma,東京,2026-11-16,バックエンド開発",
    "zh-6,indeed,資料分析師,Delta,台北,2026-11-15,SQL 與資料視覺化",
])
# Searches whose answers differ: {query: how many of the postings above it finds}.
CJK_SEARCHES = {"工程師": 2, "工程": 3, "師": 3, "後端": 2, "エンジニア": 1, "工程師 NOT 資深": 1,
                '"Java工程師"': 1, "資料": 2}


def add_cjk_jobs(page) -> None:
    """Import CJK_CSV through the data layer (the replica pulls it too)."""
    page.evaluate(f"""async (csv) => {{
        const data = await {DATA};
        await data.importFile(new Blob([csv], {{type: "text/csv"}}), "csv");
    }}""", CJK_CSV)


def list_ids(page, query: dict) -> dict:
    return page.evaluate(f"""async (query) => {{
        const page = await (await {DATA}).listJobs(query);
        return {{ids: page.items.map((j) => j.id), offline: page.offline, items: page.items}};
    }}""", query)


def test_offline_reload_opens_the_app_and_lists_the_replica(servers, home, page):
    server = servers(home, free_port())
    online_ids = open_with_sample_data(page, server)
    query = {"boards": ["indeed"], "remote": False, "sort": "newest", "limit": 200}
    online = list_ids(page, query)
    online_text = list_ids(page, {"q": "engineer", "sort": "newest", "limit": 200})
    assert online_ids and online["ids"] and not online["offline"]

    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    page.get_by_test_id("job-row").first.wait_for()
    shown = [int(row.get_attribute("data-job-id")) for row in page.get_by_test_id("job-row").all()]
    assert shown and set(shown) <= set(online_ids)
    assert page.evaluate(f"{DATA}.then((d) => d.online)") is False

    # The same filters give the same jobs in the same order, from IndexedDB.
    offline = list_ids(page, query)
    assert offline["offline"] is True and offline["ids"] == online["ids"]
    assert offline["items"] == online["items"]
    # Word-prefix search finds at least what the server's full-text index found.
    found = list_ids(page, {"q": "engineer", "sort": "newest", "limit": 200})
    assert found["offline"] and set(online_text["ids"]) <= set(found["ids"])
    assert 0 < len(found["ids"]) < len(online_ids)
    detail = page.evaluate(f"{DATA}.then((d) => d.getJob({found['ids'][0]}))")
    assert detail["id"] == found["ids"][0] and detail["sources"][0]["description"]

    # Typing in the search box filters the list offline too.
    page.get_by_test_id("job-search-input").fill("engineer")
    page.wait_for_function("""(ids) => {
        const rows = [...document.querySelectorAll('[data-testid=job-row]')];
        return rows.length > 0 && rows.every((r) => ids.includes(Number(r.dataset.jobId)));
    }""", arg=found["ids"], timeout=10_000)


def test_an_edit_made_offline_syncs_after_the_server_restarts(servers, home, page):
    port = free_port()
    server = servers(home, port)
    ids = open_with_sample_data(page, server)
    job_id = ids[0]
    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()

    detail = page.evaluate(f"""async (id) => {{
        const data = await {DATA};
        return data.updateJob(id, {{status: "applied", note: "Sent the CV offline"}});
    }}""", job_id)
    assert (detail["status"], detail["note"]) == ("applied", "Sent the CV offline")
    pending = page.evaluate("import('/data/outbox.js').then((o) => o.pending()).then((p) => p.length)")
    assert pending == 2  # one mutation per field
    page.locator(f"[data-testid=job-row][data-job-id='{job_id}']").wait_for()
    assert page.locator(f"[data-testid=job-row][data-job-id='{job_id}']").get_attribute("data-status") == "applied"

    servers(home, port)  # the same home, the same origin
    until(page, "async () => (await (await import('/data/outbox.js')).pending()).length === 0")
    stored = page.evaluate("(id) => fetch(`/api/v1/jobs/${id}`).then((r) => r.json())", job_id)
    assert (stored["status"], stored["note"]) == ("applied", "Sent the CV offline")
    page.get_by_test_id("offline-banner").wait_for(state="detached")


@pytest.fixture
def pwa_copy(tmp_path: Path, monkeypatch) -> Path:
    """A checkout whose shell files this test may change: the real server code, a copy of the PWA."""
    root = tmp_path / "checkout"
    root.mkdir()
    (root / "server").symlink_to(REPO / "server", target_is_directory=True)
    shutil.copytree(REPO / "pwa", root / "pwa", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(server_process, "REPO", root)
    return root / "pwa"


def test_a_changed_shell_offers_the_new_version(servers, home, pwa_copy, page):
    port = free_port()
    server = servers(home, port)
    open_app(page, server)
    before = page.evaluate("caches.keys()")
    server.stop()

    with (pwa_copy / "app.css").open("a", encoding="utf-8") as css:
        css.write("\n/* a new release */\n")
    servers(home, port)
    page.reload()
    page.get_by_test_id("update-prompt").wait_for(timeout=20_000)
    assert len(page.evaluate("caches.keys()")) == 2  # the old shell in use, the new one waiting

    with page.expect_navigation(timeout=20_000):  # the new worker takes over, the page reloads
        page.get_by_test_id("update-reload").click()
    until(page, "(old) => caches.keys().then((k) => k.length === 1 && k[0] !== old)", before[0])
    after = page.evaluate("caches.keys()")
    assert len(before) == 1 and after != before
    css = page.evaluate("fetch('/app.css').then((r) => r.text())")
    assert "a new release" in css


def test_chinese_words_are_found_offline_as_online(servers, home, page):
    server = servers(home, free_port())
    open_with_sample_data(page, server)
    add_cjk_jobs(page)
    online = {q: list_ids(page, {"q": q, "sort": "newest", "limit": 200}) for q in CJK_SEARCHES}
    assert {q: len(found["ids"]) for q, found in online.items()} == CJK_SEARCHES
    assert not any(found["offline"] for found in online.values())

    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    for q, found in online.items():
        offline = list_ids(page, {"q": q, "sort": "newest", "limit": 200})
        assert offline["offline"] is True and offline["ids"] == found["ids"], q


def test_the_company_blocklist_applies_to_the_offline_replica_too(servers, home, page):
    server = servers(home, free_port())
    open_with_sample_data(page, server)
    everyone = list_ids(page, {"sort": "newest", "limit": 200})["items"]
    company = next(item["company"] for item in everyone if item["company"])
    blocked_ids = {item["id"] for item in everyone if item["company"] == company}
    status = page.evaluate("""async (name) => (await fetch('/api/v1/preferences', {method: 'PATCH',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({companyBlocklist: [name]})})).status""",
                           company)
    assert status == 200
    page.reload()  # the sync at start brings the blocklist with the feed
    page.evaluate("""async () => {
        const store = await import('/data/store.js');
        for (const deadline = Date.now() + 20000; Date.now() < deadline;) {
            const keys = await store.getMeta('blockedCompanies');
            if (Array.isArray(keys) && keys.length === 1) return;
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error('the blocklist never reached the replica');
    }""")
    online = list_ids(page, {"sort": "newest", "limit": 200})  # the server applies it (name variants too)
    assert not online["offline"] and not blocked_ids & set(online["ids"])

    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    offline = list_ids(page, {"sort": "newest", "limit": 200})
    assert offline["offline"] is True and offline["ids"]
    assert not blocked_ids & set(offline["ids"]), f"{company} is blocked but listed offline"
    assert offline["ids"] == online["ids"]  # the same jobs hidden offline as online
