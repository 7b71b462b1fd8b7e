// Searching the replica when the server is away: the same filters, sorts and
// item shape as GET /api/v1/jobs, with simple word-prefix matching in place
// of the server's full-text index. Kept in memory between queries.
import * as store from "./store.js";

const LIST_FIELDS = ["id", "status", "title", "company", "location", "isRemote", "datePosted", "jobTypes",
  "salary", "companyLogo", "boards", "postings", "note", "lastSeen"];
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/u;

let cache = { generation: -1, entries: [], byId: new Map() };
store.onPatch((id, fields) => {
  const entry = cache.byId.get(id);
  if (entry) entry.row = { ...entry.row, ...fields };
});

/** Lower case, accents off, punctuation to spaces: " senior python developer acme …". */
export function normalise(text) {
  return ` ${String(text ?? "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}+#]+/gu, " ")} `;
}

async function entries() {
  if (cache.generation === store.generation) return cache.entries;
  const generation = store.generation;
  const old = cache.byId;
  const byId = new Map();
  for (const row of await store.allJobs()) {
    const prior = old.get(row.id);
    const reuse = prior && prior.row.changeSeq === row.changeSeq;
    byId.set(row.id, {
      row,
      title: reuse ? prior.title : normalise(`${row.title} ${row.company ?? ""}`),
      text: reuse ? prior.text : normalise(`${row.title} ${row.company ?? ""} ${row.location ?? ""} ${row.description ?? ""}`),
    });
  }
  cache = { generation, entries: [...byId.values()], byId };
  return cache.entries;
}

/** What a person typed -> {terms, phrases, excluded}. OR and AND are read as "and". */
export function parseText(q) {
  const out = { terms: [], excluded: [] };
  const tokens = String(q ?? "").match(/"[^"]*"|[^\s"]+/g) ?? [];
  let negate = false;
  for (const token of tokens) {
    if (token === "NOT") { negate = true; continue; }
    if (token === "OR" || token === "AND") continue;
    const phrase = token.startsWith('"');
    const words = normalise(token.replace(/["*]/g, "")).trim();
    if (words) (negate ? out.excluded : out.terms).push(phrase || words.includes(" ") ? ` ${words} ` : words);
    negate = false;
  }
  return out;
}

// A term matches at the start of a word; CJK has no spaces, so anywhere.
const has = (text, term) => text.includes(term.startsWith(" ") || CJK.test(term) ? term : ` ${term}`);

function score(entry, terms) {
  let total = 0;
  for (const term of terms) {
    if (!has(entry.text, term)) return -1;
    total += has(entry.title, term) ? 3 : 1;
  }
  return total;
}

function passes(row, f) {
  if (f.status.length ? !f.status.includes(row.status) : row.status === "hidden") return false;
  if (f.boards.length && !row.boards.some((b) => f.boards.includes(b))) return false;
  if (f.remote !== null && f.remote !== undefined && Boolean(row.isRemote) !== Boolean(f.remote)) return false;
  if (f.jobTypes.length && !row.jobTypes.some((t) => f.jobTypes.includes(t))) return false;
  const s = row.salary;
  if (f.currency && s?.currency !== String(f.currency).toUpperCase()) return false;
  if (f.salaryMin != null && !((s?.annualMax ?? s?.annualMin ?? -Infinity) >= f.salaryMin)) return false;
  if (f.salaryMax != null && !((s?.annualMin ?? s?.annualMax ?? Infinity) <= f.salaryMax)) return false;
  if (f.hasSalary === true && s?.annualMax == null) return false;
  if (f.hasSalary === false && s?.annualMax != null) return false;
  if (f.postedSince && !(row.datePosted && row.datePosted >= f.postedSince)) return false;
  if (f.location && !(row.location ?? "").toLowerCase().includes(f.location.toLowerCase())) return false;
  return true;
}

const SORTS = {
  relevance: (a, b) => b.score - a.score || a.row.id - b.row.id,
  newest: (a, b) => (b.row.datePosted ?? "").localeCompare(a.row.datePosted ?? "") || a.row.id - b.row.id,
  salary: (a, b) => (b.row.salary?.annualMax ?? -1) - (a.row.salary?.annualMax ?? -1) || a.row.id - b.row.id,
};

function facetsOf(hits) {
  const boards = {}, jobTypes = {}, remote = {};
  const bump = (bag, key) => { bag[key] = (bag[key] ?? 0) + 1; };
  for (const { row } of hits) {
    for (const b of row.boards ?? []) bump(boards, b);
    for (const t of row.jobTypes ?? []) bump(jobTypes, t);
    bump(remote, row.isRemote ? "remote" : "onsite");
  }
  return { boards, jobTypes, remote };
}

const listItem = (row) => Object.fromEntries(LIST_FIELDS.map((k) => [k, row[k] ?? null]));

/** The replica's answer to a listJobs query: {items, nextCursor, facets}. */
export async function queryReplica(query = {}) {
  const f = {
    ...query, boards: query.boards ?? [], jobTypes: query.jobTypes ?? [], status: query.status ?? [],
    location: (query.location ?? "").trim(),
  };
  const { terms, excluded } = parseText(query.q);
  const hits = [];
  for (const entry of await entries()) {
    if (!passes(entry.row, f)) continue;
    const value = terms.length ? score(entry, terms) : 0;
    if (value < 0 || excluded.some((t) => has(entry.text, t))) continue;
    hits.push({ row: entry.row, score: value });
  }
  // As on the server: relevance needs search text, and falls back to newest.
  const asked = SORTS[query.sort] ? query.sort : "relevance";
  hits.sort(SORTS[asked === "relevance" && !terms.length ? "newest" : asked]);
  const limit = Math.min(Math.max(Number(query.limit) || 50, 1), 200);
  const offset = String(query.cursor ?? "").startsWith("local:") ? Number(query.cursor.slice(6)) || 0 : 0;
  const page = hits.slice(offset, offset + limit);
  return {
    items: page.map((h) => listItem(h.row)),
    nextCursor: offset + limit < hits.length ? `local:${offset + limit}` : null,
    facets: query.facets && !query.cursor ? facetsOf(hits) : null,
  };
}

/** Job detail from the replica: the summary and its representative posting as the one source. */
export function detailFromReplica(row) {
  return {
    id: row.id, status: row.status, note: row.note ?? null, firstSeen: row.firstSeen ?? row.lastSeen,
    lastSeen: row.lastSeen,
    sources: [{
      jobId: null, site: row.site ?? row.boards?.[0] ?? null, title: row.title, company: row.company,
      location: row.location, datePosted: row.datePosted, jobTypes: row.jobTypes, isRemote: row.isRemote,
      jobUrl: row.jobUrl ?? null, jobUrlDirect: row.jobUrlDirect ?? null, description: row.description ?? null,
      companyLogo: row.companyLogo, salaryInterval: row.salary?.interval ?? null,
      minAmount: row.salary?.minAmount ?? null, maxAmount: row.salary?.maxAmount ?? null,
      currency: row.salary?.currency ?? null, annualMin: row.salary?.annualMin ?? null,
      annualMax: row.salary?.annualMax ?? null, offline: true,
    }],
  };
}
