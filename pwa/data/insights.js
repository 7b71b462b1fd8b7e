// Pro insights and resumes: the API calls, and the last answers kept in
// IndexedDB (a database of its own) so the Insights screen can show the last
// figures, with their time, while the server is unreachable. The service
// worker never caches the API; this is the only offline copy.
import { openDB } from "../vendor/idb/index.js";
import { OfflineError, del, get, post, request } from "./api.js";

const NAME = "jobdeck-insights";
const STORE = "answers";
const RESUME_KEY = "jobdeck.resume";
let opening = null;

function db() {
  opening ??= openDB(NAME, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });
  return opening;
}

/** The cache key of a GET: its path and sorted query. */
export function cacheKey(path, query = {}) {
  const parts = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "")
    .sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  return parts.length ? `${path}?${parts.join("&")}` : path;
}

async function remember(key, value) {
  try {
    await (await db()).put(STORE, { value, at: new Date().toISOString() }, key);
  } catch {
    // Private mode or a full disk: the answer is still shown, only not kept.
  }
}

async function recall(key) {
  try {
    return (await (await db()).get(STORE, key)) ?? null;
  } catch {
    return null;
  }
}

/**
 * A GET answered by the server, or, when nothing answered, by the last copy:
 * -> {value, at, cached}. Without a copy the OfflineError goes up; 4xx (402
 * included) always goes up, so a lapsed plan is never hidden by old figures.
 */
async function cachedGet(path, query = {}) {
  const key = cacheKey(path, query);
  try {
    const value = await get(path, query);
    const at = new Date().toISOString();
    remember(key, value);
    return { value, at, cached: false };
  } catch (err) {
    if (!(err instanceof OfflineError)) throw err;
    const kept = await recall(key);
    if (!kept) throw err;
    return { value: kept.value, at: kept.at, cached: true };
  }
}

/** A 402 "not in your plan" answer. */
export const isNotInPlan = (err) => err?.status === 402 || err?.code === "feature_not_in_plan";

const filterQuery = (f = {}) => ({ q: f.q, location: f.location, boards: f.boards, remote: f.remote });

export const insights = {
  teaser: () => cachedGet("/api/v1/insights/teaser"),
  salary: (f) => cachedGet("/api/v1/insights/salary", filterQuery(f)),
  trends: (f, weeks = 12) => cachedGet("/api/v1/insights/trends", { ...filterQuery(f), weeks }),
  companies: (q = "", limit = 50, offset = 0) => cachedGet("/api/v1/insights/companies", { q, limit, offset }),
  company: (key) => cachedGet(`/api/v1/insights/companies/${encodeURIComponent(key)}`),
  compare: (jobId) => get(`/api/v1/insights/salary/compare/${Number(jobId)}`),

  resumes: () => cachedGet("/api/v1/resumes"),
  addResume: (name, text) => post("/api/v1/resumes", { name, text }),
  uploadResume(file, name) {
    const form = new FormData();
    form.append("file", file);
    if (name) form.append("name", name);
    return request("POST", "/api/v1/resumes/upload", { body: form });
  },
  deleteResume: (id) => del(`/api/v1/resumes/${Number(id)}`),
  matches: (resumeId, limit = 30) => cachedGet(`/api/v1/resumes/${Number(resumeId)}/matches`, { sort: "match", limit }),
  match: (resumeId, jobId) => get(`/api/v1/resumes/${Number(resumeId)}/match/${Number(jobId)}`),

  /** The resume the user last chose (its id), kept on this device. */
  get chosenResume() {
    try {
      return Number(localStorage.getItem(RESUME_KEY)) || null;
    } catch {
      return null;
    }
  },
  set chosenResume(id) {
    try {
      if (id) localStorage.setItem(RESUME_KEY, String(id));
      else localStorage.removeItem(RESUME_KEY);
    } catch {
      // Private mode: the choice lasts this visit.
    }
  },
};

export default insights;
