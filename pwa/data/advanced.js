// The advanced filters (Pro) over the replica, giving the server's answer
// (server/db/job_search.py): each tests every board's posting of a job, so a
// job passes a filter when any of its postings does and is hidden when any
// of them mentions a word to hide. Seniority, industry, rating and direct
// apply read the small facts store; words to hide read every posting's title
// and description, split into words as SQLite's full-text index splits them
// (CJK runs into pairs, as cjk.js says).
import { ApiError } from "./api.js";
import { indexedRuns, searchedNeedle } from "./cjk.js";
import * as store from "./store.js";

const SLICE = 400;
const MAX_VALUES = 50;  // as the server: at most 50 levels, industries or phrases

// SQLite's unicode61 tokenizer (remove_diacritics 2): letters, digits and
// private-use characters make words, lower-cased; Latin letters lose their
// accents, and these combining accents vanish inside a word; every other
// character separates words. (Its tables are Unicode 6.1: letters newer than
// that, and a few case foldings such as the final sigma, may differ.)
const ACCENTED_LATIN = /[\u00C0-\u024F\u1E00-\u1EFF]/gu;
const ACCENTS = /[\u0300-\u0304\u0306-\u030C\u030F\u0311\u031B\u0323-\u0328\u032D\u032E\u0330\u0331]/gu;
const SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/gu;

const fold = (text) => String(text ?? "").replace(ACCENTED_LATIN, (ch) => ch.normalize("NFD")).replace(ACCENTS, "")
  .toLowerCase();

/** A text's words as the full-text index has them (CJK runs as pairs), space-separated with a space at each end. */
export function wordsOf(text) {
  return ` ${indexedRuns(fold(text)).replace(SEPARATORS, " ").trim()} `;
}

/** What a text holding a phrase to hide has in it, or null when the phrase has no words (say "++"). */
function hideNeedle(phrase) {
  const { words, needle } = searchedNeedle(fold(phrase), SEPARATORS);
  return words ? needle : null;
}

const values = (list) => (list ?? []).map((v) => String(v).trim()).filter(Boolean).slice(0, MAX_VALUES);

/**
 * The advanced filters a listJobs query uses, read as the server reads them,
 * or null when it uses none. Input the server refuses is refused the same
 * way (an ApiError 400, code "bad_query").
 */
export function advancedOf(query = {}) {
  const levels = values(query.levels), industries = values(query.industries);
  const phrases = String(query.exclude ?? "").split(",").map((p) => p.trim()).filter(Boolean).slice(0, MAX_VALUES);
  const minRating = query.minRating ?? null;
  const used = { titleOnly: Boolean(query.titleOnly), exclude: phrases.length > 0, levels: levels.length > 0,
    industries: industries.length > 0, minRating: minRating !== null, directApply: Boolean(query.directApply) };
  const names = Object.keys(used).filter((k) => used[k]);
  if (!names.length) return null;
  if (minRating !== null && !(Number(minRating) >= 0 && Number(minRating) <= 5)) {
    throw new ApiError(400, "bad_query", "min_rating must be between 0 and 5.");
  }
  let hide = null;
  if (phrases.length) {
    const kept = phrases.map((p) => p.replaceAll('"', "")).filter((p) => p.trim());
    if (!kept.length) throw new ApiError(400, "bad_query", "Give at least one word or phrase to exclude.");
    // A phrase with no words (say "++") matches nothing, as on the server.
    hide = kept.map(hideNeedle).filter(Boolean);
  }
  return { names, titleOnly: used.titleOnly, levels, industries, directApply: used.directApply, hide,
    minRating: minRating === null ? null : Number(minRating), needsFacts: used.levels || used.industries
      || used.minRating || used.directApply || used.exclude };
}

// -- the facts store, in memory ---------------------------------------------

let facts = null;   // {map: Map id -> facts, complete}
let reading = null;
let changes = 0;    // store changes seen: a read that overlapped one is read again
let hiding = null;  // {map: Map id -> {seq, text}, done}
let building = null;

function hideTextOf(record) {
  // Each posting's title and description; "|" keeps a phrase inside one of them.
  const base = String(record.description ?? "");
  const parts = [record.title, base];
  for (const other of record.otherPostings ?? []) {
    parts.push(other.title ?? record.title, base.slice(0, other.shared ?? 0) + (other.rest ?? ""));
  }
  return { seq: record.changeSeq ?? null, text: parts.map(wordsOf).join("|") };
}

store.onChange((change) => {
  changes++;
  if (change.reset) {
    facts = null;
    hiding = null;
  }
  for (const record of change.rows) {
    facts?.map.set(record.id, store.factsOf(record));
    hiding?.map.set(record.id, hideTextOf(record));
  }
  for (const id of change.deleted) {
    facts?.map.delete(id);
    hiding?.map.delete(id);
  }
});

/**
 * {map, complete}: complete is false for a replica synced before the facts
 * existed; such a read is not kept, so the facts are read whole once a sync
 * has copied the replica again.
 */
export function loadedFacts() {
  if (facts) return Promise.resolve(facts);
  reading ??= (async () => {
    for (;;) {
      const seen = changes;
      const got = await store.readFacts();
      if (seen === changes) {
        const read = { map: new Map(got.facts.map((f) => [f.id, f])), complete: got.complete };
        if (read.complete) facts = read;
        return read;
      }
    }
  })().finally(() => { reading = null; });
  return reading;
}

async function build() {
  const mine = hiding ?? (hiding = { map: new Map(), done: false });
  for await (const batch of store.jobSlices(SLICE)) {
    for (const record of batch) {
      const have = mine.map.get(record.id);  // a change announced meanwhile is newer than this read
      if (!have || (have.seq ?? -1) < (record.changeSeq ?? -1)) mine.map.set(record.id, hideTextOf(record));
    }
  }
  if (hiding === mine) mine.done = true;  // else the replica was copied again meanwhile: build anew
}

/** Every job's words to hide (id -> {seq, text}), built once in slices that never hold the page up. */
export async function hideTexts() {
  while (!hiding?.done) {
    building ??= build().finally(() => { building = null; });
    await building;
  }
  return hiding.map;
}

/** Does a job (its facts, its words to hide) pass the advanced filters? */
export function passesAdvanced(fact, hideText, adv) {
  if (adv.levels.length && !fact?.levels.some((v) => adv.levels.includes(v))) return false;
  if (adv.industries.length && !fact?.industries.some((v) => adv.industries.includes(v))) return false;
  if (adv.minRating !== null && !(fact?.rating != null && fact.rating >= adv.minRating)) return false;
  if (adv.directApply && !fact?.direct) return false;
  if (adv.hide && adv.hide.some((words) => hideText?.text.includes(words))) return false;
  return true;
}

const byCount = ([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0);

/** GET /api/v1/jobs/filter-options from the replica (less `access`); null without the facts. */
export async function replicaFilterOptions(top = 40) {
  const { map, complete } = await loadedFacts();
  if (!complete) return null;
  const levels = new Map(), industries = new Map();
  let rated = 0, direct = 0;
  for (const fact of map.values()) {
    for (const v of fact.levels) levels.set(v, (levels.get(v) ?? 0) + 1);
    for (const v of fact.industries) industries.set(v, (industries.get(v) ?? 0) + 1);
    if (fact.rating != null) rated++;
    if (fact.direct) direct++;
  }
  const ranked = (counts) => [...counts].sort(byCount).slice(0, top).map(([value, jobs]) => ({ value, jobs }));
  return { levels: ranked(levels), industries: ranked(industries), rated, directApply: direct };
}
