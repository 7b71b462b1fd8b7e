"""The PWA's job list over a 10,000-job replica, offline (the server stopped).

Measured in Debian's Chromium (headless, through Playwright) against the real
server on a scratch home of generated, distinct jobs; once the replica holds
them all the server is stopped, so every list comes from IndexedDB:

- first render: the page reloaded on the Jobs screen, from the screen asking
  for its list (the ``jobs:load`` user-timing mark) to the first rows painted;
  from navigation start too, for reference. The harness keeps out of the page
  until then (HANDS_OFF_MS): a Playwright locator used during the load
  injects Playwright's selector engine, a 10-35 ms script on the page's main
  thread that landed inside the measured window in some rounds and not others;
- filter: a two-word query, the remote filter, a board filter, and clearing
  each, from the input to the new rows painted (``jobs:drawn`` + next frame),
  starting SETTLE_MS after the first render (the replica's search text is
  built in slices just after the first list; a query typed sooner waits);
- scroll: the whole list top to bottom, a window of rows a frame (pages
  load as it goes), under PerformanceObserver "longtask": the longest task.

Baseline, in the same run and browser, rounds interleaved: the same
operations on a 100-job replica, so ratios say what 10,000 jobs cost over
the app's fixed cost. The machine is shared and noisy: absolute times drift,
the ratios less so.

Targets (issue 4): first render and filter under 100 ms; no task over 50 ms
while scrolling.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
JOBS, BASELINE_JOBS = 10_000, 100
ROUNDS = 5
SETTLE_MS = 1500
HANDS_OFF_MS = 1000  # after the reload's load event, long enough for the first list to paint
TARGETS_MS = {"first_render": 100, "filter": 100, "scroll_longest_task": 50}

# Installed before the app's scripts: every "jobs:drawn" mark is followed to
# the frame that paints it (a task posted from requestAnimationFrame runs
# after that frame's paint).
INIT = """
(() => {
  const painted = [];
  window.__listBench = { painted };
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    if (name === "jobs:drawn") {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => painted.push({ drawn: entry.startTime, painted: performance.now() });
        channel.port2.postMessage(null);
      });
    }
    return entry;
  };
})();
"""

# The first render after a reload: from the jobs:load mark before the paint.
FIRST_RENDER = """async () => {
  const deadline = performance.now() + 30000;
  while (!window.__listBench.painted.length) {
    if (performance.now() > deadline) throw new Error("the job list never painted");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { drawn, painted } = window.__listBench.painted[0];
  const loads = performance.getEntriesByName("jobs:load").filter((m) => m.startTime <= drawn);
  const rows = document.querySelectorAll("[data-testid=job-row]").length;
  return { fromLoad: painted - loads.at(-1).startTime, fromNavigation: painted, rows };
}"""

# One filter operation through the UI, timed from the input to the new rows painted.
FILTER = """async (op) => {
  const bench = window.__listBench;
  const before = bench.painted.length;
  const t0 = performance.now();
  if (op.q !== undefined) {
    const input = document.querySelector("[data-testid=job-search-input]");
    input.value = op.q;
    input.form.requestSubmit();
  } else {
    document.querySelector(op.click).click();
  }
  const deadline = t0 + 30000;
  while (bench.painted.length === before) {
    if (performance.now() > deadline) throw new Error("no new list for " + JSON.stringify(op));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { ms: bench.painted[before].painted - t0,
           rows: document.querySelectorAll("[data-testid=job-row]").length };
}"""

# Scroll to the very end of the list, a viewport a frame, watching for long tasks.
SCROLL = """async () => {
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: "longtask" });
  // A frame that never comes (a page the browser stopped painting) fails the round instead of hanging it.
  const frame = () => new Promise((resolve, reject) => {
    const late = setTimeout(() => reject(new Error("no animation frame for 10 s")), 10000);
    requestAnimationFrame((now) => { clearTimeout(late); resolve(now); });
  });
  window.scrollTo(0, 0);
  await frame();
  let last = performance.now(), worstFrame = 0, frames = 0, still = 0;
  const deadline = last + 180000;
  for (;;) {
    const now = await frame();
    worstFrame = Math.max(worstFrame, now - last);
    last = now;
    frames++;
    const bottom = window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
    const busy = document.querySelector("[data-testid=job-list] .list-more");
    still = bottom && !busy ? still + 1 : 0;
    if (still >= 10) break;
    if (now > deadline) throw new Error("the list did not reach its end");
    window.scrollBy(0, innerHeight);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  tasks.push(...observer.takeRecords().map((e) => e.duration));
  observer.disconnect();
  const rows = [...document.querySelectorAll("[data-testid=job-row]")];
  return { longestTask: tasks.length ? Math.max(...tasks) : 0, longTasks: tasks.length, frames,
           worstFrame, scrollHeight: document.documentElement.scrollHeight,
           lastRowShown: rows.length > 0 };
}"""

# The filters each round applies in turn; the last ones bring the default list back.
FILTER_OPS = [
    ("two-word query", {"q": "software engineer"}),
    ("remote on", {"click": "[data-testid=remote-filter][data-value=remote] input"}),
    ("remote off", {"click": "[data-testid=remote-filter][data-value=any] input"}),
    ("query cleared", {"q": ""}),
    ("board on", {"click": "[data-testid=facet-board][data-board=indeed] input"}),
    ("board off", {"click": "[data-testid=facet-board][data-board=indeed] input"}),
]


def _fill(home: Path, n: int) -> None:
    """A home whose database holds ``n`` distinct generated jobs (no reposts,
    so ``n`` clusters: ``n`` records in the replica)."""
    from server.db import Database
    from server.db.jobs import ingest
    from server.sample.generate import generate
    from server.scrape.normalize import normalise

    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    records = [normalise(row) for row in generate(n, 11, duplicate_share=0.0, distinct=True)]

    async def fill() -> None:
        db = Database(home / "jobdeck.sqlite3")
        await db.open()
        try:
            base = int(time.time()) - 365 * 86400
            for start in range(0, n, 2_000):
                await db.run_write(ingest, records[start:start + 2_000], base + start * 3_000)
        finally:
            await db.close()

    asyncio.run(fill())


class Desk:
    """One server, one browser context on it, its replica synced, then the server stopped."""

    def __init__(self, browser, home: Path, jobs: int) -> None:
        from tests.server_process import ServerProcess

        self.server = ServerProcess(home).start()
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(INIT)
        self.page = self.context.new_page()
        self.page.goto(self.server.login_url())
        self.page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
        self.page.evaluate("""() => Promise.race([import('/data/updates.js').then((u) => u.offlineReady),
            new Promise((_, fail) => setTimeout(() => fail(new Error("not ready offline after 60 s")), 60000))])""")
        self.page.goto(f"{self.server.url}/#/jobs")
        self.replica = self.page.evaluate("""async (want) => {
            const store = await import('/data/store.js');
            const deadline = Date.now() + 300000;
            for (;;) {
                const n = await store.countJobs();
                if (n >= want || Date.now() > deadline) return n;
                await new Promise((resolve) => setTimeout(resolve, 250));
            }
        }""", jobs)
        self.server.stop()

    def round(self) -> dict:
        page = self.page
        page.reload()
        page.wait_for_timeout(HANDS_OFF_MS)  # a wait on this side only: nothing runs in the page
        first = page.evaluate(FIRST_RENDER)  # reads what the page recorded (or waits for it)
        page.get_by_test_id("offline-banner").wait_for(timeout=30_000)
        # A person reads the list before typing: by then the search text is built
        # (in slices, after the first list); a query typed sooner waits for it.
        page.wait_for_timeout(SETTLE_MS)
        filters = {name: page.evaluate(FILTER, op) for name, op in FILTER_OPS}
        scroll = page.evaluate(SCROLL)
        return {"first": first, "filters": filters, "scroll": scroll}

    def close(self) -> None:
        self.context.close()
        self.server.stop()


def _measure(playwright, homes: dict) -> tuple[dict, dict]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    desks = {}
    try:
        for key, (home, jobs) in homes.items():
            desks[key] = Desk(browser, home, jobs)
        rounds = {key: [] for key in desks}
        for _ in range(ROUNDS):  # interleaved, so drift hits both alike
            for key in ("base", "big"):
                rounds[key].append(desks[key].round())
    finally:
        for desk in desks.values():
            desk.close()
        browser.close()
    return rounds, {key: desk.replica for key, desk in desks.items()}


def _stats(samples: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def run() -> dict:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        homes = {"big": (Path(scratch) / "big", JOBS), "base": (Path(scratch) / "base", BASELINE_JOBS)}
        for home, jobs in homes.values():
            _fill(home, jobs)  # before Playwright, whose sync API keeps an event loop running
        with sync_playwright() as playwright:
            rounds, replicas = _measure(playwright, homes)

    def figures(key: str) -> dict:
        got = rounds[key]
        return {
            "first_render": [r["first"]["fromLoad"] for r in got],
            "first_render_from_navigation": [r["first"]["fromNavigation"] for r in got],
            "filter": [v["ms"] for r in got for v in r["filters"].values()],
            "scroll_longest_task": [r["scroll"]["longestTask"] for r in got],
            "scroll_worst_frame": [r["scroll"]["worstFrame"] for r in got],
        }

    big, base = figures("big"), figures("base")
    report: dict = {"replica_jobs": replicas["big"], "baseline_jobs": replicas["base"],
                    "rounds": ROUNDS}
    for name in ("first_render", "filter", "scroll_longest_task"):
        b, a = _stats(big[name]), _stats(base[name])
        verdict_value = b["max_ms"] if name == "scroll_longest_task" else b["p50_ms"]
        report[name] = {**b, "baseline_p50_ms": a["p50_ms"], "baseline_max_ms": a["max_ms"],
                        "ratio_p50": round(b["p50_ms"] / a["p50_ms"], 2) if a["p50_ms"] else None,
                        "target_ms": TARGETS_MS[name], "met": verdict_value < TARGETS_MS[name]}
    report["filter_by_operation_p50_ms"] = {
        name: round(statistics.median(r["filters"][name]["ms"] for r in rounds["big"]), 1) for name, _ in FILTER_OPS}
    report["first_render_from_navigation"] = {**_stats(big["first_render_from_navigation"]),
                                              "baseline_p50_ms": _stats(base["first_render_from_navigation"])["p50_ms"]}
    report["scroll"] = {"long_tasks_per_pass": [r["scroll"]["longTasks"] for r in rounds["big"]],
                        "frames_per_pass": [r["scroll"]["frames"] for r in rounds["big"]],
                        "worst_frame": _stats(big["scroll_worst_frame"]),
                        "baseline_worst_frame": _stats(base["scroll_worst_frame"])}
    report["note"] = ("absolute times drift on a shared machine; the ratios against the 100-job "
                      "baseline of the same run are the comparable figures; scroll verdict on the max")
    return report
