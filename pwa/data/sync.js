// Keeps the IndexedDB replica in step with the server: pulls changes since
// the stored cursor, pushes the outbox, listens to the event stream for
// "something changed", and polls health while the server is away.
import { ApiError, OfflineError, get, isReachable, openEvents } from "./api.js";
import * as store from "./store.js";
import * as outbox from "./outbox.js";
import { setBlocked, warmReplica } from "./local.js";
import * as applications from "./applications.js";


const EVENT_TYPES = ["run.queued", "run.started", "run.finished", "run.cancelled", "board.started",
  "board.finished", "job.changed", "job.updated", "license.changed", "alert.created", "alert.skipped",
  "alert.failed"];
// Events after which the stored jobs may differ from the replica.
const PULL_ON = new Set(["job.changed", "job.updated", "run.finished", "run.cancelled"]);
const PAGE = 500;
const RETRY_MS = 3000;
const PULL_DELAY_MS = 300;

export class Sync {
  constructor({ emit }) {
    this.emit = emit;
    this.onAuth = () => {};
    this.closeEvents = null;
    this.retryTimer = null;
    this.pullTimer = null;
    this.pulling = null;
    this.again = false;
    this.started = false;
  }

  start() {
    if (this.started) return;
    this.started = true;
    addEventListener("online", () => this.probe());
    if (isReachable()) this.resume().catch(() => {});
    else this.pause();
  }

  /** Back online: send what waited, fetch what changed, listen again. */
  async resume() {
    if (!this.started) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.listen();
    await this.push();
    await this.pull();
  }

  pause() {
    this.closeEvents?.();
    this.closeEvents = null;
    if (this.started && !this.retryTimer) this.retryTimer = setTimeout(() => this.probe(), RETRY_MS);
  }

  /** Is the server back? A success flips reachability, which calls resume(). */
  async probe() {
    this.retryTimer = null;
    try {
      await get("/api/v1/health");
    } catch {
      // still away
    }
    if (!isReachable()) this.pause();
  }

  listen() {
    if (this.closeEvents || typeof EventSource === "undefined") return;
    this.closeEvents = openEvents(EVENT_TYPES, (type, data) => {
      this.emit("server", { type, data });
      if (PULL_ON.has(type)) this.schedulePull();
    }, (source) => {
      // EventSource retries by itself; find out whether the server is gone.
      if (source.readyState !== EventSource.OPEN) this.probe();
    });
  }

  schedulePull() {
    clearTimeout(this.pullTimer);
    this.pullTimer = setTimeout(() => this.pull().catch(() => {}), PULL_DELAY_MS);
  }

  /** Fetch every page of changes since the stored cursor. Concurrent calls share one run. */
  pull() {
    if (this.pulling) {
      this.again = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      try {
        do {
          this.again = false;
          await this.pullOnce();
          await applications.pull().catch(() => {});  // tracked applications: their own feed
        } while (this.again);
      } finally {
        this.pulling = null;
      }
      warmReplica();  // the replica now matches the server: have its list ready for offline
    })();
    return this.pulling;
  }

  async pullOnce() {
    let changed = 0;
    // Replicas made before rows carried what they carry now are copied again once.
    const current = (await store.getMeta("replicaFormat")) === store.REPLICA_FORMAT;
    for (let first = true; ; first = false) {
      const since = first && !current ? undefined : await store.getMeta("cursor");
      let page;
      try {
        page = await get("/api/v1/sync", { since, limit: PAGE });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) this.onAuth(false);
        if (err instanceof OfflineError || err instanceof ApiError) return;
        throw err;
      }
      this.onAuth(true);
      await store.applyPage(page);
      changed += page.changes.length + page.deleted.length + (page.reset ? 1 : 0);
      const blocked = page.blockedCompanies ?? [];
      if (JSON.stringify(blocked) !== JSON.stringify((await store.getMeta("blockedCompanies")) ?? [])) {
        await store.setMeta("blockedCompanies", blocked);
        setBlocked(blocked);
        changed++;
      }
      if (!page.more) break;
    }
    if (!current) await store.setMeta("replicaFormat", store.REPLICA_FORMAT);
    if (changed) this.emit("changed", { source: "sync" });
  }

  /** Send the outbox; an unreachable server leaves it for later. */
  async push() {
    await applications.flush().catch(() => {});  // stage changes and edits made offline
    try {
      const ids = await outbox.flush();
      if (ids.length) this.emit("changed", { ids, source: "outbox" });
      return ids;
    } catch (err) {
      if (err instanceof OfflineError) return [];
      if (err instanceof ApiError && err.status === 401) {
        this.onAuth(false);
        return [];
      }
      throw err;
    }
  }
}
