// The data layer the UI codes against: one object, `data`. Online it asks the
// server; offline (or with the server stopped) it answers from the IndexedDB
// replica, and edits wait in the outbox until the server is back.
import { ApiError, OfflineError, del, each, get, isKnown, isReachable, onReachability, patch as patchReq, post,
  request } from "./api.js";
import * as store from "./store.js";
import * as outbox from "./outbox.js";
import { Sync } from "./sync.js";
import { firstPage, queryReplica, detailFromReplica, usesAdvanced } from "./local.js";
import { keep, kept } from "/lib/kept.js";
import * as tracking from "./applications.js";
import { insights } from "./insights.js";

const listeners = new Map();
const emit = (event, payload) => {
  for (const cb of listeners.get(event) ?? []) {
    try { cb(payload); } catch (err) { console.error(err); }
  }
};
const sync = new Sync({ emit });
let signedIn = null;
let starting = null;

const serverQuery = (query = {}) => ({
  q: query.q, boards: query.boards, remote: query.remote, job_types: query.jobTypes,
  salary_min: query.salaryMin, salary_max: query.salaryMax, currency: query.currency,
  has_salary: query.hasSalary, posted_since: query.postedSince, location: query.location,
  status: query.status, sort: query.sort, cursor: query.cursor, limit: query.limit,
  facets: query.facets || undefined,
  title_only: query.titleOnly || undefined, exclude: query.exclude, level: each(query.levels),
  industry: each(query.industries), min_rating: query.minRating, direct_apply: query.directApply || undefined,
});

// Reads fall back to the replica only when nothing answered; a 4xx is the user's to see.
async function orReplica(online, offline) {
  if (isReachable()) {
    try {
      return await online();
    } catch (err) {
      if (!(err instanceof OfflineError)) throw err;
    }
  }
  await store.ready();
  return offline();
}

// Whether the advanced filters are on, as the server last said (filter
// options), kept for offline: trusted until the license would need the
// service again (validUntil), so a Free device never gets them offline and a
// Pro one keeps them no longer than the server would.
const ACCESS_KEY = "jobdeck.advancedAccess";

function keptAccess() {
  const last = kept(ACCESS_KEY, null);
  const until = Date.parse(last?.validUntil ?? "");
  if (last?.access?.on && until > Date.now()) return last.access;
  return { on: false, reason: last?.access?.on ? "expired" : (last?.access?.reason ?? "unknown") };
}

/** The replica's list, behind the same gate as the server's: Pro's filters need Pro. */
async function replicaList(query, first = () => null) {
  const adv = usesAdvanced(query) ? (await import("./advanced.js")).advancedOf(query) : null;
  if (adv && !keptAccess().on) {
    throw new ApiError(402, "feature_not_in_plan_offline", "Advanced filters are part of JobDeck Pro; "
      + `used: ${adv.names.join(", ")}.`, { entitlement: "filters.advanced" });
  }
  return { ...((await first()) ?? (await queryReplica(query))), offline: true };
}

function status() {
  emit("status", { online: isReachable(), signedIn });
}

onReachability((online) => {
  status();
  if (online) sync.resume().catch(() => {});
  else sync.pause();
});
// A license change carries the license view: the kept answer follows it at once, whatever screen is open.
listeners.set("server", new Set([(event) => {
  const feature = event?.type === "license.changed" && event.data?.features?.["filters.advanced"];
  if (feature) keep(ACCESS_KEY, { access: { on: feature.on, reason: feature.reason }, validUntil: event.data.validUntil });
}]));
sync.onAuth = (value) => {
  if (value !== signedIn) { signedIn = value; status(); }
};

export const data = {
  get online() { return isReachable(); },

  /** Application tracking: the replica, its outbox and the tracking API (see applications.js). */
  tracking,

  /** Pro insights and resumes, with the last answers kept for offline (see insights.js). */
  insights,

  /** on("status"|"changed"|"server", cb) -> unsubscribe function. */
  on(event, cb) {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event).add(cb);
    return () => listeners.get(event)?.delete(cb);
  },

  async start() {
    starting ??= (async () => {
      await store.ready();
      // Ask once: without it the browser may evict the replica (and unsent edits) under pressure.
      navigator.storage?.persisted?.().then((kept) => kept || navigator.storage.persist()).catch(() => false);
      await this.health();
      status();
      sync.start();
    })();
    return starting;
  },

  async health() {
    try {
      const h = await get("/api/v1/health");
      return { version: h.version, schemaVersion: h.schemaVersion };
    } catch (err) {
      if (err instanceof OfflineError) return null;
      throw err;
    }
  },

  async listJobs(query = {}) {
    return orReplica(
      async () => ({ ...(await get("/api/v1/jobs", serverQuery(query))), offline: false }),
      () => replicaList(query),
    );
  },

  /**
   * A list's first page, as soon as it can be drawn: as listJobs, except that
   * offline it may come from the newest jobs alone, `partial` (facets null):
   * listJobs then gives the whole answer, facets and total with it.
   */
  async firstJobs(query = {}) {
    // Before anything has answered on this page, the replica's page is read
    // alongside the request: with the server away it is then at hand, not a second wait.
    const ahead = isKnown() ? null : firstPage(query).catch(() => null);
    return orReplica(
      async () => ({ ...(await get("/api/v1/jobs", serverQuery(query))), offline: false }),
      () => replicaList(query, () => ahead ?? firstPage(query)),
    );
  },

  /**
   * What the advanced filters can offer here, and whether they are on.
   * Offline: counted from the replica, on as the server last said; null
   * when the replica does not hold the filters' facts yet.
   */
  async filterOptions() {
    try {
      const answer = await get("/api/v1/jobs/filter-options");
      keep(ACCESS_KEY, { access: answer.access, validUntil: answer.validUntil ?? null });
      return { ...answer, offline: false };
    } catch (err) {
      if (!(err instanceof OfflineError)) throw err;
      const options = await (await import("./advanced.js")).replicaFilterOptions();
      return options && { ...options, access: keptAccess(), offline: true };
    }
  },

  async getJob(id) {
    return orReplica(
      () => get(`/api/v1/jobs/${Number(id)}`),
      async () => {
        const row = await store.getJob(Number(id));
        if (!row) throw new ApiError(404, "not_found", `No job with id ${id} is stored on this device.`);
        return detailFromReplica(row);
      },
    );
  },

  /** Optimistic: the replica changes at once; the outbox carries it to the server. */
  async updateJob(id, patch) {
    const jobId = Number(id);
    const fields = outbox.validatePatch(patch);
    await store.patchJob(jobId, fields);
    await outbox.add(outbox.makeMutations(jobId, fields));
    // Online, "changed" waits for the server's answer (sync.push emits it), so
    // a list reloaded from the server already shows the edit.
    const sent = isReachable() ? await sync.push() : [];
    if (!sent.includes(jobId)) emit("changed", { ids: [jobId], source: "local" });
    return this.getJob(jobId);
  },

  startRun: (params) => post("/api/v1/runs", params),
  cancelRun: (runId) => post(`/api/v1/runs/${Number(runId)}/cancel`),
  listRuns: () => get("/api/v1/runs"),

  listSearches: () => get("/api/v1/searches"),
  saveSearch: (name, params) => post("/api/v1/searches", { name, params }),
  updateSearch: (id, patch) => patchReq(`/api/v1/searches/${Number(id)}`, patch),
  deleteSearch: (id) => del(`/api/v1/searches/${Number(id)}`),
  runSearch: (id) => post(`/api/v1/searches/${Number(id)}/run`),

  async loadDemo() {
    const result = await post("/api/v1/demo");
    await sync.pull();
    return result;
  },
  async importFile(file, format = "csv") {
    const result = await request("POST", "/api/v1/import", { body: file, query: { format } });
    await sync.pull();
    return result;
  },
  exportUrl: (format = "csv") => `/api/v1/export?format=${encodeURIComponent(format)}`,

  listTokens: () => get("/api/v1/tokens"),
  createToken: (name, scopes) => post("/api/v1/tokens", scopes ? { name, scopes } : { name }),
  revokeToken: (id) => del(`/api/v1/tokens/${Number(id)}`),
};

export default data;
