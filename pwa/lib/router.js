// Hash routes: #/welcome, #/jobs?…, #/job/12, #/search, #/settings, #/applications, #/application/3,
// #/alerts, #/alerts/7. Pure.

export const ROUTES = ["welcome", "jobs", "job", "search", "settings", "applications", "application", "insights", "company", "alerts"];
// Insights has sub-tabs (#/insights/salary); a company is named by its key (#/company/acme%20robotics).
export const INSIGHT_TABS = ["salary", "companies", "trends", "resume"];
// Routes that name one record by id.
const WITH_ID = ["job", "application"];

/** "#/job/12" → {name: "job", id: 12, search: ""}; unknown or empty → {name: ""}. */
export function parseHash(hash) {
  const raw = String(hash || "").replace(/^#\/?/, "");
  const [path, search = ""] = raw.split("?", 2);
  const [name, id] = path.split("/");
  if (WITH_ID.includes(name)) {
    const n = Number(id);
    // An application made offline has a temporary negative id until the server has it.
    const valid = Number.isInteger(n) && n !== 0 && (n > 0 || name === "application");
    return valid ? { name, id: n, search } : { name: "" , search: "" };
  }
  if (name === "alerts") {
    const n = Number(id);  // an alert opened, or none
    return { name, id: id && Number.isInteger(n) && n > 0 ? n : null, search };
  }
  if (name === "insights") return { name, tab: INSIGHT_TABS.includes(id) ? id : INSIGHT_TABS[0], search };
  if (name === "company") {
    let key = "";
    try { key = decodeURIComponent(path.slice("company/".length)).trim(); } catch { key = ""; }
    return key ? { name, key, search } : { name: "", search: "" };
  }
  return ROUTES.includes(name) ? { name, search } : { name: "", search: "" };
}

export function jobsHash(search = "") {
  return search ? `#/jobs?${search}` : "#/jobs";
}

export function jobHash(id) {
  return `#/job/${id}`;
}

export function applicationHash(id) {
  return `#/application/${id}`;
}

export function alertHash(id) {
  return `#/alerts/${id}`;
}

export function insightsHash(tab = "salary") {
  return `#/insights/${tab}`;
}

export function companyHash(key) {
  return `#/company/${encodeURIComponent(key)}`;
}
