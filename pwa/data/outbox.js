// Edits waiting for the server. Each mutation carries its own id (so a replay
// is recognised) and the time it was made (so the latest edit of a field wins,
// wherever it was made). Mutations are sent in the order they were made.
import { ApiError, post } from "./api.js";
import * as store from "./store.js";

const STATUSES = ["new", "seen", "saved", "hidden", "applied"];
const NOTE_MAX = 20000;
const BATCH = 200;

/** {status?, note?} -> the fields to write; throws on what the server would refuse. */
export function validatePatch(patch = {}) {
  const fields = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "status") {
      if (!STATUSES.includes(value)) throw new Error(`status must be one of ${STATUSES.join(", ")}.`);
    } else if (key === "note") {
      if (value !== null && typeof value !== "string") throw new Error("A note must be text.");
      if (value && value.length > NOTE_MAX) throw new Error(`A note may be at most ${NOTE_MAX} characters.`);
    } else {
      throw new Error(`Only status and note can be changed, not ${key}.`);
    }
    fields[key] = value;
  }
  if (!Object.keys(fields).length) throw new Error("Nothing to change.");
  return fields;
}

export function makeMutations(jobId, fields, at = new Date()) {
  const time = at.toISOString();
  return Object.entries(fields).map(([field, value]) => ({ id: crypto.randomUUID(), jobId, field, value, at: time }));
}

export const add = (mutations) => store.outboxAdd(mutations);
export const pending = () => store.outboxList();

// Passes run one after another, so an edit made during a pass is sent by the next.
let chain = Promise.resolve();

/**
 * Send everything pending; resolves with the ids of the jobs the server
 * answered for. A network failure leaves the outbox as it was (OfflineError).
 */
export function flush() {
  const pass = chain.catch(() => {}).then(sendAll);
  chain = pass;
  return pass;
}

async function sendAll() {
  const touched = new Set();
  for (;;) {
    const batch = await store.outboxList(BATCH);
    if (!batch.length) return [...touched];
    const mutations = batch.map(({ seq, ...m }) => m);
    let report;
    try {
      report = await post("/api/v1/sync/mutations", { mutations });
    } catch (err) {
      // A refusal of the batch itself would block every later edit forever:
      // drop it and say why. Sign-in and throttling are not the batch's fault.
      if (err instanceof ApiError && err.status === 400) await store.outboxRemove(mutations.map((m) => m.id));
      throw err;
    }
    await store.settle(report.results.map((r) => r.id), report.jobs);
    for (const job of report.jobs) touched.add(job.id);
  }
}
