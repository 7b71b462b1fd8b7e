// Searching the replica when the server is away: the same filters, sorts and
// item shape as GET /api/v1/jobs, with simple word-prefix matching in place
// of the server's full-text index (CJK words matched as the index matches
// them, cjk.js); the advanced filters as the server applies them
// (advanced.js, loaded when a query first uses them). Kept in memory between
// queries.
import { hasCjk, indexedRuns, outsideRuns, searchedNeedle } from "./cjk.js";
import * as store from "./store.js";
import { advancedFilters } from "/lib/query.js";
import { yieldToPage } from "/lib/yield-to-page.js";

const LIST_FIELDS = ["id", "status", "title", "company", "companyKey", "location", "isRemote", "datePosted",
  "jobTypes", "salary", "companyLogo", "boards", "postings", "note", "lastSeen"];

// In memory: the list's rows (no descriptions), newest first once sorted, and
// the normalised search text of each job, built in slices after the first
// list so that reading 10,000 records never holds the page up.
let memory = null;   // {version, exact, byId, order, texts: Map id -> {seq, title, text}, textsDone}
let loading = null;
let queued = [];     // changes announced while the rows were being read
let stamp = 0;       // bumped by every change to `memory`: the last query's hits are then stale
let last = null;     // {key, stamp, hits, facets}: later pages of the same query are slices of these
let building = null; // the running search-text build
let saveTimer = 0;
const SLICE = 400;

// Lower case and accents off, outside CJK runs (kana keep their marks, as on the server).
const fold = (text) => outsideRuns(String(text ?? ""), (part) => part.normalize("NFKD").replace(/\p{M}/gu, "")
  .toLowerCase());
const SEPARATORS = /[^\p{L}\p{N}+#]+/gu;

/** Lower case, accents off, punctuation to spaces, CJK runs as pairs: " senior python developer acme …". */
export function normalise(text) {
  const words = indexedRuns(fold(text)).replace(SEPARATORS, " ");
  return ["", words, ""].join(" ");  // join makes one flat string: searching a concatenation first flattens it, slowly
}

const listRow = (record) => {
  const row = { changeSeq: record.changeSeq ?? null };
  for (const key of LIST_FIELDS) row[key] = record[key] ?? null;
  return row;
};
const textOf = (record) => ({
  seq: record.changeSeq ?? null,
  title: normalise(`${record.title} ${record.company ?? ""}`),
  text: normalise(`${record.title} ${record.company ?? ""} ${record.location ?? ""} ${record.description ?? ""}`),
});
/** Does a listJobs query set any advanced (Pro) filter? (advancedOf says which, and reads them.) */
export const usesAdvanced = (q) => advancedFilters(q).length > 0;

// "Job titles only": the words are looked for in the title alone.
const titleEntry = (row) => {
  const title = normalise(row.title);
  return { title, text: title };
};
const later = (fn, ms = 0) => (typeof requestIdleCallback === "function"
  ? setTimeout(() => requestIdleCallback(fn, { timeout: 1000 }), ms) : setTimeout(fn, ms));

function apply(change) {
  if (!memory || change.version <= memory.version) return;
  if (change.version !== memory.version + 1) memory.exact = false; // another tab wrote too
  memory.version = change.version;
  if (change.reset) {
    memory.byId.clear();
    memory.texts.clear();
  }
  for (const record of change.rows) {
    memory.byId.set(record.id, listRow(record));
    const text = memory.texts.get(record.id);  // records come whole: their text is at hand
    if (!text || text.seq !== (record.changeSeq ?? null)) memory.texts.set(record.id, textOf(record));
  }
  for (const id of change.deleted) {
    memory.byId.delete(id);
    memory.texts.delete(id);
  }
  memory.order = null;
  stamp++;
  scheduleSave();
}

store.onChange((change) => {
  if (memory) apply(change);
  else if (loading) queued.push(change);
});

/**
 * The rows, read once per page: from the snapshot when current, else from
 * every record, in one read (fastest) or, when nobody waits, in slices that
 * never hold the page up.
 */
async function rows({ sliced = false } = {}) {
  if (memory) return memory;
  loading ??= (async () => {
    queued = [];
    const [got, keys] = await Promise.all([store.readList({ snapshotOnly: sliced }), store.getMeta("blockedCompanies")]);
    setBlocked(keys);
    let records = got.records;
    if (!got.rows && !records) {
      records = [];
      for await (const batch of store.jobSlices(SLICE)) records.push(...batch);
    }
    const list = got.rows ?? records.map(listRow);
    memory = { version: got.version, exact: true, byId: new Map(list.map((row) => [row.id, row])), order: null,
      texts: new Map(), textsDone: false, records: sliced ? null : records };
    stamp++;
    for (const change of queued.splice(0)) apply(change);
    if (!got.rows) scheduleSave();
    return memory;
  })().finally(() => { loading = null; });
  return loading;
}

/** Read the replica's rows ahead of need (when the page is idle), so that a list offline starts fast. */
export function warmReplica() {
  if (memory || loading) return;
  later(() => rows({ sliced: true }).catch(() => {}));
}

/** Newest first (ties by id), the order the "newest" sort and relevance ties want. */
function newestFirst(a, b) {
  const x = a.datePosted ?? "", y = b.datePosted ?? "";  // ISO dates: code-point order is date order
  return x < y ? 1 : x > y ? -1 : a.id - b.id;
}

function ordered(mem) {
  mem.order ??= [...mem.byId.values()].sort(newestFirst);
  return mem.order;
}

/** Normalised text for every job, a slice at a time, yielding in between. */
function searchTexts() {
  if (memory?.textsDone) return Promise.resolve();
  building ??= (async () => {
    const mem = await rows();
    const records = mem.records;  // still at hand when the rows were read from the records
    mem.records = null;
    const take = (batch) => {
      for (const record of batch) {
        const row = mem.byId.get(record.id);
        const have = mem.texts.get(record.id);
        if (row && row.changeSeq === (record.changeSeq ?? null) && have?.seq !== row.changeSeq) {
          mem.texts.set(record.id, textOf(record));
        }
      }
    };
    if (records) {
      for (let i = 0; i < records.length; i += SLICE) {
        take(records.slice(i, i + SLICE));
        await yieldToPage();
      }
    } else {
      for await (const batch of store.jobSlices(SLICE)) take(batch);
    }
    if (memory === mem) mem.textsDone = true;
  })().finally(() => { building = null; });
  return building;
}

/** Save the rows as the snapshot a later page start reads, when the page is idle. */
function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = later(() => {
    const mem = memory;
    if (!mem?.exact) return;
    store.saveListSnapshot(mem.version, JSON.stringify([...mem.byId.values()])).catch(() => {});
  }, 2000);
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
    const typed = fold(token.replace(/["*]/g, ""));
    const { words, needle } = searchedNeedle(typed, SEPARATORS);
    // With CJK, whole tokens as the server's phrase (the needle's last may be a token's start).
    const term = hasCjk(typed) ? needle : phrase || words.includes(" ") ? ` ${words} ` : words;
    if (words) (negate ? out.excluded : out.terms).push(term);
    negate = false;
  }
  return out;
}

// A word matches at the start of a word; phrases and CJK words come whole.
const needle = (term) => (term.startsWith(" ") ? term : ` ${term}`);

function score(entry, needles) {
  let total = 0;
  for (const n of needles) {
    if (!entry.text.includes(n)) return -1;
    total += entry.title.includes(n) ? 3 : 1;
  }
  return total;
}

// The companies blocked in Settings (their keys, from the sync feed): hidden
// offline as they are online.
let blocked = new Set();
export function setBlocked(keys) {
  const next = new Set(keys ?? []);
  if (next.size === blocked.size && [...next].every((k) => blocked.has(k))) return;
  blocked = next;
  stamp++;  // the last query's hits are stale
}

function passes(row, f) {
  if (row.companyKey && blocked.has(row.companyKey)) return false;
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

// Hits come newest first already; these reorder them for the other sorts.
const SORTS = {
  relevance: (a, b) => b.score - a.score || a.row.id - b.row.id,
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

// The list's item shape, as the server's list answers (the company key stays internal).
const listItem = (row) => Object.fromEntries(LIST_FIELDS.filter((k) => k !== "companyKey").map((k) => [k, row[k] ?? null]));

/** A listJobs query read for the replica: its filters, words, sort, page size and offset. */
function planOf(query) {
  const f = {
    ...query, boards: query.boards ?? [], jobTypes: query.jobTypes ?? [], status: query.status ?? [],
    location: (query.location ?? "").trim(),
  };
  const { terms, excluded } = parseText(query.q);
  // As on the server: relevance needs search text, and falls back to newest.
  const asked = SORTS[query.sort] || query.sort === "newest" ? query.sort : "relevance";
  const sort = asked === "relevance" && !terms.length ? "newest" : asked;
  const { cursor, limit: _limit, facets: _facets, ...rest } = f;
  const limit = Math.min(Math.max(Number(query.limit) || 50, 1), 200);
  const offset = String(cursor ?? "").startsWith("local:") ? Number(cursor.slice(6)) || 0 : 0;
  return { f, terms, excluded, sort, limit, offset, key: JSON.stringify({ ...rest, q: null, terms, excluded, sort }) };
}

/**
 * The first page of a newest-first list without a search, from the newest
 * jobs alone (a bounded read, not all 10,000): {items, nextCursor, facets:
 * null, partial: true}, the items and cursor queryReplica gives; facets and
 * total come from queryReplica afterwards. Null when it cannot answer this
 * way: the rows are in memory already (the whole answer is as quick), a
 * search or another sort, filters that keep too few of the newest jobs, or
 * a browser that cannot read an index backwards.
 */
export async function firstPage(query = {}) {
  const { f, terms, excluded, sort, limit } = planOf(query);
  if (memory || query.cursor || sort !== "newest" || terms.length || excluded.length || usesAdvanced(query)) return null;
  const count = limit * 2;
  const newest = await store.newestJobs(count);
  if (!newest || memory) return null;
  setBlocked(newest.blocked);
  const passing = (records) => records.map(listRow).filter((row) => passes(row, f));
  let hits = passing(newest.records);
  if (newest.records.length === count) {
    // The oldest date read may be cut short (ties come by id descending):
    // the newer dates are a head of the list; that date is read whole if needed.
    const edge = newest.records.at(-1).datePosted;
    hits = hits.filter((row) => row.datePosted !== edge);
    if (hits.length <= limit) hits = hits.concat(passing(await store.jobsPostedOn(edge)));
  }
  // More than a page, from a head of the newest-first order: its first rows are the list's.
  if (hits.length <= limit) return null;
  return { items: hits.sort(newestFirst).slice(0, limit).map(listItem), nextCursor: `local:${limit}`,
    facets: null, partial: true };
}

/**
 * The replica's answer to a listJobs query: {items, nextCursor, facets,
 * unapplied}; unapplied is true when the query uses advanced filters the
 * replica cannot answer yet (synced before it held their facts): then only
 * the other filters apply.
 */
export async function queryReplica(query = {}) {
  const { f, terms, excluded, sort, limit, offset, key } = planOf(query);
  const advanced = usesAdvanced(query) ? await import("./advanced.js") : null;
  const adv = advanced?.advancedOf(query);
  const mem = await rows();
  const titleOnly = Boolean(adv?.titleOnly && terms.length);  // then each title is read, not the search text
  if ((terms.length || excluded.length) && !titleOnly) await searchTexts();
  else if (!mem.textsDone && !building) {
    // Offline, a query is likely to follow: build the search text soon, so it finds it ready.
    later(() => searchTexts().catch(() => {}), 500);
  }
  const facts = adv?.needsFacts ? await advanced.loadedFacts() : null;
  const unapplied = Boolean(facts && !facts.complete);
  const hiding = adv?.hide && !unapplied ? await advanced.hideTexts() : null;
  if (!last || last.key !== key || last.stamp !== stamp || last.unapplied !== unapplied) {
    const wanted = terms.map(needle), unwanted = excluded.map(needle);
    const hits = [];
    for (const row of ordered(mem)) {
      if (!passes(row, f)) continue;
      if (adv && !unapplied && !advanced.passesAdvanced(facts?.map.get(row.id), hiding?.get(row.id), adv)) continue;
      let value = 0;
      if (wanted.length || unwanted.length) {
        const entry = titleOnly ? titleEntry(row) : mem.texts.get(row.id) ?? textOf(row);
        value = wanted.length ? score(entry, wanted) : 0;
        if (value < 0 || unwanted.some((n) => entry.text.includes(n))) continue;
      }
      hits.push({ row, score: value });
    }
    if (SORTS[sort]) hits.sort(SORTS[sort]);
    last = { key, stamp, unapplied, hits, facets: null };
  }
  const { hits } = last;
  const page = hits.slice(offset, offset + limit);
  if (query.facets && !query.cursor) last.facets ??= facetsOf(hits);
  return {
    items: page.map((h) => listItem(h.row)),
    nextCursor: offset + limit < hits.length ? `local:${offset + limit}` : null,
    facets: query.facets && !query.cursor ? last.facets : null,
    unapplied,
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
