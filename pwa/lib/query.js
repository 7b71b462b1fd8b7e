// The jobs screen's query: held in the URL hash so a view can be bookmarked,
// shared between tabs and restored by Back. Pure functions only.

export const STATUS_FILTERS = ["all", "new", "saved", "applied", "hidden"];
export const SORTS = ["relevance", "newest", "salary"];
export const POSTED_DAYS = [1, 3, 7, 14, 30];
export const MIN_RATINGS = [3, 3.5, 4, 4.5];

export const DEFAULT_QUERY = Object.freeze({
  q: "", boards: [], types: [], remote: null, status: "all", sort: "relevance",
  salaryMin: null, currency: "", hasSalary: false, posted: null, location: "",
  // Advanced (Pro): these test each board's posting on the server.
  titleOnly: false, exclude: "", levels: [], industries: [], minRating: null, directApply: false,
});

/** The advanced (Pro) filters a query sets (words to hide that are only spaces set nothing). */
export function advancedFilters(query) {
  const isSet = (value) => (Array.isArray(value) ? value.length > 0
    : typeof value === "string" ? value.trim() !== "" : value != null && value !== false);
  return ["titleOnly", "exclude", "levels", "industries", "minRating", "directApply"]
    .filter((key) => isSet(query?.[key]));
}

const LISTS = ["boards", "types"];

/** "q=python&boards=indeed,linkedin" → a full query object (unknown keys ignored). */
export function parseQuery(search) {
  const p = new URLSearchParams(search || "");
  const query = { ...DEFAULT_QUERY, boards: [], types: [], levels: [], industries: [] };
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
  query.titleOnly = p.get("titleOnly") === "1";
  query.exclude = (p.get("exclude") || "").slice(0, 500);
  // Repeated keys: industry names hold commas.
  query.levels = [...new Set(p.getAll("level").map((s) => s.trim().slice(0, 200)).filter(Boolean))];
  query.industries = [...new Set(p.getAll("industry").map((s) => s.trim().slice(0, 200)).filter(Boolean))];
  const rating = Number(p.get("rating"));
  query.minRating = MIN_RATINGS.includes(rating) ? rating : null;
  query.directApply = p.get("direct") === "1";
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
  if (q.titleOnly) p.set("titleOnly", "1");
  if (q.exclude) p.set("exclude", q.exclude);
  for (const level of q.levels) p.append("level", level);
  for (const industry of q.industries) p.append("industry", industry);
  if (q.minRating) p.set("rating", String(q.minRating));
  if (q.directApply) p.set("direct", "1");
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
  if (q.titleOnly && params.q) params.titleOnly = true;
  if (q.exclude.trim()) params.exclude = q.exclude.trim();
  if (q.levels.length) params.levels = q.levels;
  if (q.industries.length) params.industries = q.industries;
  if (q.minRating) params.minRating = q.minRating;
  if (q.directApply) params.directApply = true;
  if (params.sort === "relevance" && !params.q) params.sort = "newest";
  return params;
}

/** How many filters (besides the text box, status and sort) are set: shown on the Filters button. */
export function activeFilterCount(query) {
  const q = { ...DEFAULT_QUERY, ...query };
  return q.boards.length + q.types.length + (q.remote !== null ? 1 : 0) + (q.salaryMin !== null ? 1 : 0)
    + (q.currency ? 1 : 0) + (q.hasSalary ? 1 : 0) + (q.posted ? 1 : 0) + (q.location ? 1 : 0)
    + (q.exclude.trim() ? 1 : 0) + q.levels.length + q.industries.length + (q.minRating ? 1 : 0) + (q.directApply ? 1 : 0)
    + (q.titleOnly ? 1 : 0);
}

/** A copy with one list value switched on or off. */
export function toggle(list, value) {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
