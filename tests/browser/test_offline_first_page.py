"""The offline list's first page comes from a bounded read of the replica (the
newest jobs by posting date), not from all of it: the same rows and cursor as
the whole answer, the counts after, paging on from there; and a replica
stored before that index existed gets it without losing a job, as one stored
before the advanced filters' facts gets their store."""

from __future__ import annotations

from tests.browser.test_offline import DATA, open_with_sample_data, until
from tests.browser.test_offline import home, page  # noqa: F401 - fixtures
from tests.server_process import free_port

LISTED = ["new", "seen", "saved", "applied"]
# The Jobs screen's default list, and some filtered ones.
QUERIES = [
    {"status": LISTED, "sort": "newest", "limit": 100, "facets": True},
    {"status": LISTED, "sort": "newest", "limit": 30, "boards": ["indeed"]},
    {"status": LISTED, "sort": "relevance", "limit": 20, "remote": True},
    {"status": [*LISTED, "hidden"], "limit": 1},
    {"status": ["hidden"], "sort": "newest", "limit": 5},
]


def all_ids(page, query: dict) -> list[int]:
    """Every job of a list, page by page."""
    return page.evaluate(f"""async (query) => {{
        const data = await {DATA};
        const ids = [];
        for (let cursor; ;) {{
            const got = await data.listJobs({{...query, cursor, limit: 200}});
            ids.push(...got.items.map((j) => j.id));
            if (!(cursor = got.nextCursor)) return ids;
        }}
    }}""", query)


def test_the_first_page_offline_is_the_head_of_the_whole_answer(servers, home, page):
    server = servers(home, free_port())
    ids = open_with_sample_data(page, server)
    # One of the newest jobs hidden, and a company blocked: both must stay out of the first page too.
    page.evaluate(f"{DATA}.then((d) => d.updateJob({ids[1]}, {{status: 'hidden'}}))")
    items = page.evaluate(f"{DATA}.then((d) => d.listJobs({{sort: 'newest', limit: 30}})).then((p) => p.items)")
    company = next(item["company"] for item in items[3:] if item["company"] not in (None, items[0]["company"]))
    blocked = page.evaluate("""async (name) => (await fetch('/api/v1/preferences', {method: 'PATCH',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({companyBlocklist: [name]})})).status""",
                            company)
    assert blocked == 200
    page.goto(f"{server.url}/#/settings")  # a screen that lists no jobs
    page.reload()  # the sync at start brings the blocklist with the feed
    until(page, """async () => {
        const store = await import('/data/store.js');
        return (await store.getMeta('blockedCompanies'))?.length === 1;
    }""")

    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    got = page.evaluate(f"""async (queries) => {{
        const data = await {DATA};
        const first = [];
        for (const query of queries) first.push(await data.firstJobs(query));  // before anything is read whole
        const whole = [];
        for (const query of queries) whole.push(await data.listJobs(query));
        return {{first, whole}};
    }}""", QUERIES)
    for query, first, whole in zip(QUERIES, got["first"], got["whole"]):
        assert first["offline"] and whole["offline"]
        assert first["items"] == whole["items"], query
        assert first["nextCursor"] == whole["nextCursor"], query
        assert first.get("partial") or first["facets"] == whole["facets"], query
    assert got["first"][0]["partial"] is True and got["first"][0]["facets"] is None
    assert got["whole"][0]["facets"]
    shown = [item["id"] for item in got["first"][0]["items"]]
    assert ids[1] not in shown and ids[0] in shown
    assert all(item["company"] != company for item in got["first"][0]["items"])


def test_the_offline_list_shows_its_counts_after_its_rows_and_pages_on(servers, home, page):
    server = servers(home, free_port())
    open_with_sample_data(page, server)
    until(page, "async () => (await import('/data/store.js')).countJobs().then((n) => n > 200)")
    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    page.get_by_test_id("job-row").first.wait_for()

    every = all_ids(page, {"status": LISTED, "sort": "newest"})
    assert len(every) > 100  # more than the first page
    page.wait_for_function("(n) => document.querySelector('[data-testid=job-count]').textContent.trim()"
                           " === `${n} jobs`", arg=len(every), timeout=10_000)
    board = page.locator("[data-testid=facet-board] .facet-count").first
    assert int(board.text_content()) > 0  # the facets came with the whole answer

    # Scrolled to its end, the list has paged on from the first page without a gap or a repeat.
    tail = page.evaluate("""async () => {
        const settled = () => !document.querySelector('[data-testid=job-list] .list-more')
            && window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
        for (let quiet = 0, turns = 0; quiet < 5; turns++) {
            if (turns > 600) throw new Error("the list never reached its end");
            window.scrollTo(0, document.documentElement.scrollHeight);
            await new Promise((resolve) => setTimeout(resolve, 100));
            quiet = settled() ? quiet + 1 : 0;
        }
        return [...document.querySelectorAll('[data-testid=job-row]')].map((row) => Number(row.dataset.jobId));
    }""")
    assert tail and tail == every[-len(tail):]


# The schema before the date index (version 2), as the app created it then.
OLD_SCHEMA = """async (saved) => {
    const request = (r) => new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
        r.onblocked = () => reject(new Error("blocked"));
    });
    const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    if (!saved) {
        const db = await request(indexedDB.open("jobdeck"));
        if (!db.objectStoreNames.contains("jobs")) throw new Error("no replica");
        const tx = db.transaction(["jobs", "meta"]);
        const meta = tx.objectStore("meta");
        const [jobs, keys, values] = await Promise.all([request(tx.objectStore("jobs").getAll()),
            request(meta.getAllKeys()), request(meta.getAll())]);
        db.close();
        return {jobs, meta: keys.map((key, i) => [key, values[i]]), version: db.version};
    }
    await request(indexedDB.deleteDatabase("jobdeck"));
    const opening = indexedDB.open("jobdeck", saved.as);
    opening.onupgradeneeded = () => {
        const db = opening.result;
        const jobs = db.createObjectStore("jobs", {keyPath: "id"});
        if (saved.as >= 3) jobs.createIndex("datePosted", "datePosted");
        db.createObjectStore("meta");
        db.createObjectStore("outbox", {keyPath: "id"}).createIndex("seq", "seq", {unique: true});
        db.createObjectStore("applications", {keyPath: "id"});
        db.createObjectStore("appOutbox", {keyPath: "id"}).createIndex("seq", "seq", {unique: true});
    };
    const db = await request(opening);
    const tx = db.transaction(["jobs", "meta"], "readwrite");
    for (const job of saved.jobs) tx.objectStore("jobs").put(job);
    for (const [key, value] of saved.meta) tx.objectStore("meta").put(value, key);
    await done(tx);
    db.close();
    return null;
}"""


def test_a_replica_from_before_the_date_index_gets_it_and_keeps_every_job(servers, home, page):
    server = servers(home, free_port())
    open_with_sample_data(page, server)
    until(page, "async () => (await import('/data/store.js')).countJobs().then((n) => n > 200)")
    # Away from the app (a plain file of the same origin), write the replica back as version 2 held it.
    page.goto(f"{server.url}/icons/icon.svg")
    saved = page.evaluate(OLD_SCHEMA, None)
    assert saved["version"] == 4 and len(saved["jobs"]) > 200
    page.evaluate(OLD_SCHEMA, {**saved, "as": 2})

    server.kill()
    page.goto(f"{server.url}/#/jobs")
    page.get_by_test_id("offline-banner").wait_for()
    page.get_by_test_id("job-row").first.wait_for()
    after = page.evaluate("""async () => {
        const db = await (await import('/data/store.js')).ready();
        return {version: db.version, count: await db.count('jobs'),
                indexed: await db.countFromIndex('jobs', 'datePosted')};
    }""")
    dated = sum(1 for job in saved["jobs"] if job.get("datePosted"))
    assert after == {"version": 4, "count": len(saved["jobs"]), "indexed": dated}
    shown = [int(row.get_attribute("data-job-id")) for row in page.get_by_test_id("job-row").all()]
    assert shown == all_ids(page, {"status": LISTED, "sort": "newest"})[:len(shown)]


FACTS = ("levels", "industries", "companyRating", "directApply", "otherPostings")


def test_a_replica_from_before_the_facts_keeps_every_job_and_gets_them_at_the_next_sync(servers, home, page):
    port = free_port()
    server = servers(home, port)
    open_with_sample_data(page, server)
    until(page, "async () => (await import('/data/store.js')).countJobs().then((n) => n > 200)")
    # Pro's filters on as the server said (kept), so only the replica's facts are in question.
    page.evaluate("""() => localStorage.setItem("jobdeck.advancedAccess", JSON.stringify(
        {access: {on: true, reason: "active"}, validUntil: "2999-01-01T00:00:00Z"}))""")
    page.goto(f"{server.url}/icons/icon.svg")
    saved = page.evaluate(OLD_SCHEMA, None)
    # As version 3 held it: records without the facts, synced in the format before them.
    jobs = [{k: v for k, v in job.items() if k not in FACTS} for job in saved["jobs"]]
    meta = [[k, 2 if k == "replicaFormat" else v] for k, v in saved["meta"]]
    page.evaluate(OLD_SCHEMA, {"jobs": jobs, "meta": meta, "as": 3})

    server.kill()
    page.goto(f"{server.url}/#/jobs")
    page.get_by_test_id("offline-banner").wait_for()
    page.get_by_test_id("job-row").first.wait_for()
    query = {"status": LISTED, "sort": "newest", "minRating": 4, "limit": 200}
    before = page.evaluate(f"""async (query) => {{
        const db = await (await import('/data/store.js')).ready();
        const data = await {DATA};
        const list = await data.listJobs(query);
        return {{version: db.version, count: await db.count('jobs'), facts: await db.count('facts'),
                 unapplied: list.unapplied, listed: list.items.length, options: await data.filterOptions()}};
    }}""", query)
    # Every job kept; the filter waits for the facts (and says so) rather than answering wrong.
    assert before == {"version": 4, "count": len(jobs), "facts": len(jobs), "unapplied": True,
                      "listed": min(200, len(jobs)), "options": None}
    page.goto(f"{server.url}/#/jobs?rating=4")
    page.get_by_test_id("advanced-offline").wait_for()

    server = servers(home, port)  # back: the replica is copied again, with the facts
    until(page, """async () => (await (await import('/data/store.js')).ready()).count('facts')
        .then((n) => n > 200)""")
    until(page, "async () => (await import('/data/store.js')).getMeta('replicaFormat').then((f) => f === 3)")
    server.kill()
    page.reload()
    page.get_by_test_id("offline-banner").wait_for()
    offline = list_of(page, query)
    rated = page.evaluate("""async () => (await (await import('/data/store.js')).ready()).getAll('facts')
        .then((facts) => facts.filter((f) => f.rating >= 4).map((f) => f.id))""")
    # The sample's jobs are all listed (none hidden or blocked): the filter keeps exactly the rated ones.
    assert offline["offline"] and not offline["unapplied"]
    assert rated and sorted(offline["ids"]) == sorted(rated)


def list_of(page, query: dict) -> dict:
    return page.evaluate(f"""async (query) => {{
        const got = await (await {DATA}).listJobs(query);
        return {{ids: got.items.map((j) => j.id), offline: got.offline, unapplied: got.unapplied ?? false}};
    }}""", query)
