// The IndexedDB replica: the jobs the server has (one record per cluster, in
// the list's item shape plus the representative posting's description), the
// facts the advanced filters test (a small store of their own, read without
// the descriptions), the sync cursor, and the outbox of edits not yet sent.
import { openDB } from "../vendor/idb/index.js";
import { yieldToPage } from "/lib/yield-to-page.js";

const NAME = "jobdeck";
// 2: tracked applications and their own outbox; 3: jobs by posting date; 4: the advanced filters' facts
const VERSION = 4;
// What the synced records carry: 2, the company key (the blocklist works
// offline); 3, the advanced filters' facts. A replica of an older format is copied again.
export const REPLICA_FORMAT = 3;
let opening = null;

// Every write to the jobs bumps a counter kept beside them ("version"), in
// the same transaction, and tells `changeListeners` what it wrote: the
// offline search (local.js) keeps its in-memory copy current from these, and
// a saved snapshot of the list is only trusted while its version is current.
const changeListeners = new Set();
/** cb({version, rows, deleted, reset}): rows are the stored records as written. */
export const onChange = (cb) => changeListeners.add(cb);
const announce = (change) => { for (const cb of changeListeners) cb(change); };

async function bump(meta) {
  const version = ((await meta.get("version")) ?? 0) + 1;
  meta.put(version, "version");
  return version;
}

export function ready() {
  opening ??= openDB(NAME, VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      // Each step adds what its version brought; stores already there keep their data.
      if (oldVersion < 1) {
        db.createObjectStore("jobs", { keyPath: "id" });
        db.createObjectStore("meta");
        const box = db.createObjectStore("outbox", { keyPath: "id" });
        box.createIndex("seq", "seq", { unique: true });
      }
      if (oldVersion < 2) {
        db.createObjectStore("applications", { keyPath: "id" });
        db.createObjectStore("appOutbox", { keyPath: "id" }).createIndex("seq", "seq", { unique: true });
      }
      // The list's default order: its first screenful is a bounded read (undated jobs are not in it).
      if (oldVersion < 3) tx.objectStore("jobs").createIndex("datePosted", "datePosted");
      if (oldVersion < 4) {
        // Filled from the jobs as they are; a replica of an older format counts
        // as without facts (readFacts) until the next sync copies it again.
        const facts = db.createObjectStore("facts", { keyPath: "id" });
        tx.objectStore("jobs").openCursor().then(function copy(cursor) {
          if (!cursor) return undefined;
          facts.put(factsOf(cursor.value));
          return cursor.continue().then(copy);
        });
      }
    },
    // Another tab opened a newer schema: let it, and reopen on next use.
    blocking() {
      opening?.then((db) => db.close());
      opening = null;
    },
  });
  return opening;
}

// Opened as this module loads: index.html loads it ahead of the app's other
// modules, so the database is open by the time the first screen asks for it.
ready().catch(() => {});

/** What the advanced filters test of a job record (see SyncJob in the sync feed: empty ones are left out). */
export function factsOf(record) {
  return { id: record.id, levels: record.levels ?? [], industries: record.industries ?? [],
    rating: record.companyRating ?? null, direct: Boolean(record.directApply) };
}

/** Every job's facts, and whether the replica holds them (a replica synced before they existed does not). */
export async function readFacts() {
  const tx = (await ready()).transaction(["facts", "meta"]);
  const complete = (await tx.objectStore("meta").get("replicaFormat")) === REPLICA_FORMAT;
  return { facts: complete ? await tx.objectStore("facts").getAll() : [], complete };  // stale ones go unused
}

export async function getMeta(key) {
  return (await ready()).get("meta", key);
}

export async function setMeta(key, value) {
  return (await ready()).put("meta", value, key);
}

export async function allJobs() {
  return (await ready()).getAll("jobs");
}

/**
 * The jobs for the list, read the fast way when it can be: a saved snapshot
 * (one JSON string, far cheaper to read than 10,000 records) while its
 * version is current -> {version, rows}; else every record -> {version, records}
 * (records null with `snapshotOnly`: the caller reads them its own way).
 */
export async function readList({ snapshotOnly = false } = {}) {
  const tx = (await ready()).transaction(["jobs", "meta"]);
  const meta = tx.objectStore("meta");
  const [version, snapshot] = await Promise.all([meta.get("version"), meta.get("listSnapshot")]);
  const current = version ?? 0;
  if (snapshot && snapshot.version === current) return { version: current, rows: JSON.parse(snapshot.json) };
  return { version: current, records: snapshotOnly ? null : await tx.objectStore("jobs").getAll() };
}

/** Keep `json` (the list's rows) as the snapshot of `version`, unless the jobs have moved on since. */
export async function saveListSnapshot(version, json) {
  const tx = (await ready()).transaction("meta", "readwrite");
  const saved = ((await tx.store.get("version")) ?? 0) === version;
  if (saved) tx.store.put({ version, json }, "listSnapshot");
  await tx.done;
  return saved;
}

// Can an index be read backwards in one request (getAll with a direction, IndexedDB 3.0)?
const BACKWARDS = typeof IDBIndex !== "undefined" && "getAllRecords" in IDBIndex.prototype;

/**
 * The `count` newest jobs by posting date, in one read: newest first, ties
 * by id descending (undated jobs are not among them), with the blocked
 * companies' keys -> {records, blocked}; null where the browser cannot read
 * an index backwards.
 */
export async function newestJobs(count) {
  if (!BACKWARDS) return null;
  const tx = (await ready()).transaction(["jobs", "meta"]);
  const [records, blocked] = await Promise.all([
    tx.objectStore("jobs").index("datePosted").getAll({ count, direction: "prev" }),
    tx.objectStore("meta").get("blockedCompanies"),
  ]);
  return { records, blocked };
}

/** Every job posted on `date`. */
export async function jobsPostedOn(date) {
  return (await ready()).getAllFromIndex("jobs", "datePosted", IDBKeyRange.only(date));
}

/** Up to `count` stored jobs with ids above `after`, in id order: for work done in slices. */
export async function jobsAfter(after, count) {
  return (await ready()).getAll("jobs", after == null ? null : IDBKeyRange.lowerBound(after, true), count);
}

/** Every job record, a slice at a time in id order, with the page given its turn between slices. */
export async function* jobSlices(size) {
  for (let after = null; ;) {
    const batch = await jobsAfter(after, size);
    yield batch;
    if (batch.length < size) return;
    after = batch[batch.length - 1].id;
    await yieldToPage();
  }
}

export async function getJob(id) {
  return (await ready()).get("jobs", id);
}

export async function countJobs() {
  return (await ready()).count("jobs");
}

/**
 * One sync page in one transaction: upsert changes, drop deletions, move the
 * cursor, then lay still-pending local edits back on top (the outbox wins
 * until the server has answered for it).
 */
export async function applyPage({ changes, deleted, cursor, reset }) {
  const db = await ready();
  const tx = db.transaction(["jobs", "facts", "meta", "outbox"], "readwrite");
  const jobs = tx.objectStore("jobs");
  const facts = tx.objectStore("facts");
  const overlay = overlayOf(await tx.objectStore("outbox").getAll());
  if (reset) await Promise.all([jobs.clear(), facts.clear()]);  // first sync, or another database answered
  const rows = changes.map((change) => ({ ...change, ...overlay.get(change.id) }));
  for (const row of rows) {
    jobs.put(row);
    facts.put(factsOf(row));
  }
  for (const id of deleted) {
    jobs.delete(id);
    facts.delete(id);
  }
  tx.objectStore("meta").put(cursor, "cursor");
  const version = await bump(tx.objectStore("meta"));
  await tx.done;
  announce({ version, rows, deleted, reset: Boolean(reset) });
}

/**
 * The server answered a batch of mutations: forget the acknowledged ones and
 * take its values, keeping any edit made meanwhile on top.
 */
export async function settle(acknowledged, states) {
  const db = await ready();
  const tx = db.transaction(["jobs", "outbox", "meta"], "readwrite");
  const box = tx.objectStore("outbox");
  for (const id of acknowledged) box.delete(id);
  const overlay = overlayOf(await box.getAll());
  const jobs = tx.objectStore("jobs");
  const rows = [];
  for (const state of states) {
    const row = await jobs.get(state.id);
    if (row) rows.push({ ...row, status: state.status, note: state.note, ...overlay.get(state.id) });
  }
  for (const row of rows) jobs.put(row);
  const version = await bump(tx.objectStore("meta"));
  await tx.done;
  announce({ version, rows, deleted: [], reset: false });
}

function overlayOf(pending) {
  const overlay = new Map();
  for (const m of pending.sort((a, b) => a.seq - b.seq)) {
    overlay.set(m.jobId, { ...overlay.get(m.jobId), [m.field]: m.value });
  }
  return overlay;
}

/** Set fields of a stored job (optimistic edits, and the server's answers to them). */
export async function patchJob(id, fields) {
  const db = await ready();
  const tx = db.transaction(["jobs", "meta"], "readwrite");
  const row = await tx.objectStore("jobs").get(id);
  let version = 0;
  if (row) {
    await tx.objectStore("jobs").put({ ...row, ...fields });
    version = await bump(tx.objectStore("meta"));
  }
  await tx.done;
  if (row) announce({ version, rows: [{ ...row, ...fields }], deleted: [], reset: false });
  return Boolean(row);
}

// -- outbox -----------------------------------------------------------------

export async function outboxAdd(mutations) {
  const db = await ready();
  const tx = db.transaction(["outbox", "meta"], "readwrite");
  let seq = (await tx.objectStore("meta").get("outboxSeq")) ?? 0;
  for (const m of mutations) tx.objectStore("outbox").put({ ...m, seq: ++seq });
  tx.objectStore("meta").put(seq, "outboxSeq");
  await tx.done;
}

/** Pending mutations in the order they were made. */
export async function outboxList(limit = 500) {
  return (await ready()).getAllFromIndex("outbox", "seq", null, limit);
}

export async function outboxRemove(ids) {
  const db = await ready();
  const tx = db.transaction("outbox", "readwrite");
  for (const id of ids) tx.store.delete(id);
  await tx.done;
}

/** Forget everything (a different server or database answered). */
export async function clear() {
  const db = await ready();
  const tx = db.transaction(["jobs", "facts", "meta", "outbox"], "readwrite");
  const meta = tx.objectStore("meta");
  const version = ((await meta.get("version")) ?? 0) + 1;  // kept counting: a snapshot must not outlive this
  await Promise.all([tx.objectStore("jobs").clear(), tx.objectStore("facts").clear(), meta.clear(),
    tx.objectStore("outbox").clear()]);
  meta.put(version, "version");
  await tx.done;
  announce({ version, rows: [], deleted: [], reset: true });
}
