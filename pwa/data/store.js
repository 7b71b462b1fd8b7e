// The IndexedDB replica: the jobs the server has (one record per cluster, in
// the list's item shape plus the representative posting's description), the
// sync cursor, and the outbox of edits not yet sent.
import { openDB } from "../vendor/idb/index.js";

const NAME = "jobdeck";
const VERSION = 1;
let opening = null;

// Bumped by every write that may change many records, so in-memory copies
// (the offline search index in local.js) know when to reload; single-record
// edits are announced to `patchListeners` instead, which is cheaper.
export let generation = 0;
const patchListeners = new Set();
export const onPatch = (cb) => patchListeners.add(cb);

export function ready() {
  opening ??= openDB(NAME, VERSION, {
    upgrade(db) {
      db.createObjectStore("jobs", { keyPath: "id" });
      db.createObjectStore("meta");
      const box = db.createObjectStore("outbox", { keyPath: "id" });
      box.createIndex("seq", "seq", { unique: true });
    },
    // Another tab opened a newer schema: let it, and reopen on next use.
    blocking() {
      opening?.then((db) => db.close());
      opening = null;
    },
  });
  return opening;
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
  const tx = db.transaction(["jobs", "meta", "outbox"], "readwrite");
  const jobs = tx.objectStore("jobs");
  const overlay = overlayOf(await tx.objectStore("outbox").getAll());
  if (reset) await jobs.clear();  // first sync, or another database answered
  for (const change of changes) jobs.put({ ...change, ...overlay.get(change.id) });
  for (const id of deleted) jobs.delete(id);
  tx.objectStore("meta").put(cursor, "cursor");
  await tx.done;
  generation++;
}

/**
 * The server answered a batch of mutations: forget the acknowledged ones and
 * take its values, keeping any edit made meanwhile on top.
 */
export async function settle(acknowledged, states) {
  const db = await ready();
  const tx = db.transaction(["jobs", "outbox"], "readwrite");
  const box = tx.objectStore("outbox");
  for (const id of acknowledged) box.delete(id);
  const overlay = overlayOf(await box.getAll());
  const jobs = tx.objectStore("jobs");
  for (const state of states) {
    const row = await jobs.get(state.id);
    if (row) jobs.put({ ...row, status: state.status, note: state.note, ...overlay.get(state.id) });
  }
  await tx.done;
  generation++;
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
  const tx = db.transaction("jobs", "readwrite");
  const row = await tx.store.get(id);
  if (row) await tx.store.put({ ...row, ...fields });
  await tx.done;
  if (row) for (const cb of patchListeners) cb(id, fields);
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
  const tx = db.transaction(["jobs", "meta", "outbox"], "readwrite");
  await Promise.all([tx.objectStore("jobs").clear(), tx.objectStore("meta").clear(), tx.objectStore("outbox").clear()]);
  await tx.done;
  generation++;
}
