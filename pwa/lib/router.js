// Hash routes: #/welcome, #/jobs?…, #/job/12, #/search, #/settings. Pure.

export const ROUTES = ["welcome", "jobs", "job", "search", "settings"];

/** "#/job/12" → {name: "job", id: 12, search: ""}; unknown or empty → {name: ""}. */
export function parseHash(hash) {
  const raw = String(hash || "").replace(/^#\/?/, "");
  const [path, search = ""] = raw.split("?", 2);
  const [name, id] = path.split("/");
  if (name === "job") {
    const n = Number(id);
    return Number.isInteger(n) && n > 0 ? { name, id: n, search } : { name: "" , search: "" };
  }
  return ROUTES.includes(name) ? { name, search } : { name: "", search: "" };
}

export function jobsHash(search = "") {
  return search ? `#/jobs?${search}` : "#/jobs";
}

export function jobHash(id) {
  return `#/job/${id}`;
}
