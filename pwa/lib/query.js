// The jobs screen's query: held in the URL hash so a view can be bookmarked,
// shared between tabs and restored by Back. Pure functions only.

export const STATUS_FILTERS = ["all", "new", "saved", "applied", "hidden"];
export const SORTS = ["relevance", "newest", "salary"];
export const POSTED_DAYS = [1, 3, 7, 14, 30];

export const DEFAULT_QUERY = Object.freeze({
  q: "", boards: [], types: [], remote: null, status: "all", sort: "relevance",
  salaryMin: null, currency: "", hasSalary: false, posted: null, location: "",
});

const LISTS = ["boards", "types"];

/** "q=python&boards=indeed,linkedin" → a full query object (unknown keys ignored). */
export function parseQuery(search) {
  const p = new URLSearchParams(search || "");
  const query = { ...DEFAULT_QUERY, boards: [], types: [] };
  query.q = (p.get("q") || "").slice(0, 500);
  query.location = (p.get("location") || "").slice(0, 200);
  for (const key of LISTS) {
    const value = p.get(key);
    query[key] = value ? [...new Set(value.split(",").map((s) => s.trim()).filter(Boolean))] : [];
  }
  const remote = p.get("remote");
  query.remote = remote === "1" ? true : remote === "0" ? false : null;
  const status = p.get("status");
  query.status = STATUS_FILTERS.includes(status) ? status : "all";
  const sort = p.get("sort");
  query.sort = SORTS.includes(sort) ? sort : "relevance";
  const salaryMin = Number(p.get("salaryMin"));
  query.salaryMin = p.get("salaryMin") && Number.isFinite(salaryMin) && salaryMin >= 0 ? salaryMin : null;
  const currency = (p.get("currency") || "").toUpperCase();
  query.currency = /^[A-Z]{3}$/.test(currency) ? currency : "";
  query.hasSalary = p.get("hasSalary") === "1";
  const posted = Number(p.get("posted"));
  query.posted = POSTED_DAYS.includes(posted) ? posted : null;
  return query;
}

/** The inverse of parseQuery: only what differs from the defaults, in a stable order. */
export function serializeQuery(query) {
  const p = new URLSearchParams();
  const q = { ...DEFAULT_QUERY, ...query };
  if (q.q) p.set("q", q.q);
  for (const key of LISTS) if (q[key]?.length) p.set(key, q[key].join(","));
  if (q.remote !== null && q.remote !== undefined) p.set("remote", q.remote ? "1" : "0");
  if (q.status !== "all") p.set("status", q.status);
  if (q.sort !== "relevance") p.set("sort", q.sort);
  if (q.salaryMin !== null && q.salaryMin !== undefined && q.salaryMin !== "") p.set("salaryMin", String(q.salaryMin));
  if (q.currency) p.set("currency", q.currency);
  if (q.hasSalary) p.set("hasSalary", "1");
  if (q.posted) p.set("posted", String(q.posted));
  if (q.location) p.set("location", q.location);
  return p.toString();
}

/** The statuses a status filter stands for: "all" leaves out the hidden ones. */
export function statusesFor(filter) {
  if (filter === "all") return ["new", "seen", "saved", "applied"];
  return [filter];
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** What data.listJobs is asked for (now: the clock, passed in for tests). */
export function toListParams(query, now = new Date()) {
  const q = { ...DEFAULT_QUERY, ...query };
  const params = { q: q.q.trim(), boards: q.boards, jobTypes: q.types, status: statusesFor(q.status), sort: q.sort };
  if (q.remote !== null) params.remote = q.remote;
  if (q.salaryMin !== null && q.salaryMin !== "") params.salaryMin = Number(q.salaryMin);
  if (q.currency) params.currency = q.currency;
  if (q.hasSalary) params.hasSalary = true;
  if (q.posted) params.postedSince = isoDay(new Date(now.getTime() - q.posted * 86400000));
  if (q.location.trim()) params.location = q.location.trim();
  if (params.sort === "relevance" && !params.q) params.sort = "newest";
  return params;
}

/** How many filters (besides the text box, status and sort) are set: shown on the Filters button. */
export function activeFilterCount(query) {
  const q = { ...DEFAULT_QUERY, ...query };
  return q.boards.length + q.types.length + (q.remote !== null ? 1 : 0) + (q.salaryMin !== null ? 1 : 0)
    + (q.currency ? 1 : 0) + (q.hasSalary ? 1 : 0) + (q.posted ? 1 : 0) + (q.location ? 1 : 0);
}

/** A copy with one list value switched on or off. */
export function toggle(list, value) {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
