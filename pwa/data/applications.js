// Tracked applications: a replica in IndexedDB fed by /applications/changes,
// and an outbox of their own for stage changes, notes, field edits and
// contacts and interviews (added, edited, removed), so the board opens and
// takes edits with the server away. Reads are the replica with pending edits
// laid on top; an item is pending until the server has answered for it.
// Replays are idempotent: every event, contact and interview carries a
// clientId, every edit its editedAt (the newest write of a field wins on the
// server), and removing what is already gone is done, not an error.
import { ApiError, OfflineError, get, isReachable, patch as patchReq, post, request } from "./api.js";
import { ready } from "./store.js";

const API = "/api/v1/applications";
const TRACKING = "/api/v1/tracking";
const PAGE = 200;
const FIELDS = ["title", "company", "location", "url", "description", "excitement", "salaryExpectation",
  "salaryOffer", "salaryCurrency", "salaryInterval", "resumeVersion", "source", "tags", "notes", "followUpAt"];

const listeners = new Set();
/** cb({source, ids?, error?}) after the replica or the outbox changed. Returns an unsubscribe function. */
export function subscribe(cb) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}
function announce(change) {
  for (const cb of listeners) {
    try { cb(change); } catch (err) { console.error(err); }
  }
}

let stagesCache = null;

// -- the replica ---------------------------------------------------------------

async function putDetails(details, { reset = false, cursor } = {}) {
  const db = await ready();
  const tx = db.transaction(["applications", "meta"], "readwrite");
  const rows = tx.objectStore("applications");
  if (reset) {  // a full copy from the server: keep only what was made here and not sent yet (negative ids)
    const drafts = (await rows.getAll(IDBKeyRange.upperBound(0, true)));
    await rows.clear();
    for (const draft of drafts) rows.put(draft);
  }
  for (const detail of details) rows.put(detail);
  if (cursor !== undefined) tx.objectStore("meta").put(cursor, "appCursor");
  await tx.done;
}

let pulling = null;
/** Fetch every application changed since the stored cursor. Concurrent calls share one run. */
export function pull() {
  pulling ??= (async () => {
    let changed = 0;
    try {
      for (;;) {
        const since = (await (await ready()).get("meta", "appCursor")) ?? undefined;
        const page = await get(`${API}/changes`, { since, limit: PAGE });
        await putDetails(page.changes, { reset: page.reset, cursor: page.cursor });
        changed += page.changes.length + (page.reset ? 1 : 0);
        if (!page.more) break;
      }
    } finally {
      pulling = null;
    }
    if (changed) announce({ source: "sync" });
    return changed;
  })();
  return pulling;
}

/** Pull quietly: the replica answers when the server does not. */
async function freshen() {
  if (!isReachable()) return;
  try {
    await pull();
  } catch (err) {
    if (!(err instanceof OfflineError) && !(err instanceof ApiError)) throw err;
  }
}

// -- the outbox ----------------------------------------------------------------

async function outboxAll() {
  return (await ready()).getAllFromIndex("appOutbox", "seq");
}

async function outboxAdd(item) {
  const db = await ready();
  const tx = db.transaction(["appOutbox", "meta"], "readwrite");
  const seq = ((await tx.objectStore("meta").get("appOutboxSeq")) ?? 0) + 1;
  tx.objectStore("appOutbox").put({ ...item, seq });
  tx.objectStore("meta").put(seq, "appOutboxSeq");
  await tx.done;
}

async function outboxRemove(id) {
  await (await ready()).delete("appOutbox", id);
}

/** Queued kinds for a contact or an interview: added, edited, removed. */
const PERSON_KINDS = { contactEdit: "contact", contactRemove: "contact", interviewEdit: "interview",
  interviewRemove: "interview" };
const personUrl = (item) => `${API}/${item.appId}/${PERSON_KINDS[item.kind]}s/${item.personId}`;

/** Send one queued contact or interview change; removing one already gone counts as done. */
async function sendPerson(item) {
  if (item.kind === "contact" || item.kind === "interview") await post(`${API}/${item.appId}/${item.kind}s`, item.body);
  else if (item.kind.endsWith("Edit")) await patchReq(personUrl(item), item.body);
  else await sendRemoval(PERSON_KINDS[item.kind], item.appId, item.personId, item.clientId);
  return get(`${API}/${item.appId}`);  // answered with the one changed: read the whole again
}

/** Pending outbox items (for tests and the "waiting to sync" hint). */
export const pending = () => outboxAll();

let chain = Promise.resolve();
/** Send the outbox in order. Stops at the first unanswered request; a refused one is dropped and reported. */
export function flush() {
  const pass = chain.catch(() => {}).then(sendAll);
  chain = pass;
  return pass;
}

async function sendAll() {
  const sent = [];
  for (const item of await outboxAll()) {
    let detail;
    try {
      if (item.kind === "contact" || item.kind === "interview" || PERSON_KINDS[item.kind]) {
        detail = await sendPerson(item);
      } else {
        detail = item.kind === "create" ? await post(API, item.body)
          : item.kind === "patch" ? await patchReq(`${API}/${item.appId}`, item.body)
          : await post(`${API}/${item.appId}/events`, item.body);
      }
    } catch (err) {
      if (err instanceof OfflineError) break;
      if (err instanceof ApiError && (err.status === 401 || err.status === 429 || err.status >= 500)) break;
      await outboxRemove(item.id);
      if (item.kind === "create") await drop(item.appId);
      // An edit to a contact or interview removed elsewhere meanwhile: said as such, not as a bare 404.
      const lost = item.kind.endsWith("Edit") && err instanceof ApiError && err.status === 404 ? item.kind : null;
      announce({ source: "outbox", ids: [item.appId], error: err, lost });
      continue;
    }
    if (item.kind === "create") {
      await outboxRemove(item.id);
      await adopt(item.appId, detail);
      announce({ source: "outbox", ids: [...sent, detail.id], created: { from: item.appId, to: detail.id } });
      // The items after it were read before the move: read the outbox again.
      return [...sent, detail.id, ...(await sendAll())];
    }
    await putDetails([detail]);
    await outboxRemove(item.id);
    sent.push(item.appId);
  }
  if (sent.length) announce({ source: "outbox", ids: sent });
  return sent;
}

async function queue(item) {
  await outboxAdd({ id: crypto.randomUUID(), ...item });
  announce({ source: "local", ids: [item.appId] });
  // A refusal is reported through subscribe(); unanswered, the item waits for the next sync.
  if (isReachable()) await flush().catch(() => []);
}

// -- reading -------------------------------------------------------------------

/** The UTC instant of a wall-clock time ("2026-03-01T14:00:00") in an IANA zone (or null). */
export function zonedToUtc(local, zone) {
  const wall = Date.parse(`${local}Z`);
  if (Number.isNaN(wall)) return null;
  let format;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  } catch {
    return null;
  }
  const offset = (at) => {
    const p = Object.fromEntries(format.formatToParts(new Date(at)).map(({ type, value }) => [type, value]));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - at;
  };
  let at = wall - offset(wall);
  at = wall - offset(at);  // a second pass for times near an offset change
  return new Date(at);
}

/** An interview's times from its wall-clock start and zone, as the server words them. */
function timed(interview, local) {
  const zone = interview.timeZone ?? "UTC";
  const start = zonedToUtc(local, zone) ?? new Date(local);
  const minutes = interview.durationMinutes ?? 60;
  return { ...interview, timeZone: zone, durationMinutes: minutes, participants: interview.participants ?? [],
    startsAt: start.toISOString(), endsAt: new Date(start.getTime() + minutes * 60_000).toISOString(),
    localStart: local };
}

/** A contact or interview added offline, shaped like the server's until it answers. */
function pendingPerson(item) {
  const { clientId, ...fields } = item.body;
  const base = { id: item.id, clientId, pending: true, ...fields };
  return item.kind === "contact" ? base : timed(base, fields.startsAt);
}

/** A queued edit or removal laid over the list it belongs to. */
function pendingChange(list, item) {
  const at = list.findIndex((p) => p.id === item.personId);
  if (at < 0) return;  // gone from the replica: the server will say so when it is sent
  if (item.kind.endsWith("Remove")) {
    list.splice(at, 1);
    return;
  }
  const { editedAt, clientId, ...fields } = item.body;
  const edited = { ...list[at], ...fields, pending: true };
  // A new zone alone keeps the wall-clock time, as on the server.
  list[at] = item.kind === "interviewEdit" ? timed(edited, fields.startsAt ?? list[at].localStart) : edited;
}

function overlay(row, items, stages) {
  if (!items?.length) return { ...row, pending: false };
  const out = { ...row, events: [...(row.events || [])], contacts: [...(row.contacts || [])],
    interviews: [...(row.interviews || [])], pending: true };
  for (const item of items) {
    if (item.kind === "contact") out.contacts.push(pendingPerson(item));
    else if (item.kind === "interview") out.interviews.push(pendingPerson(item));
    else if (PERSON_KINDS[item.kind]) pendingChange(PERSON_KINDS[item.kind] === "contact" ? out.contacts : out.interviews, item);
    else if (item.kind === "patch") {
      for (const [key, value] of Object.entries(item.body)) if (FIELDS.includes(key)) out[key] = value;
    } else {
      const { stage, note, at } = item.body;
      out.events.push({ id: item.id, clientId: item.body.clientId, kind: stage ? "stage" : "note", stage: stage ?? null,
        note: note ?? null, at, pending: true });
      if (stage && Date.parse(at) >= Date.parse(out.stageAt)) {
        out.stage = stage;
        out.stageAt = at;
        const known = stages?.find((s) => s.key === stage);
        if (known) out.active = !known.terminal;
      }
      if (Date.parse(at) > Date.parse(out.lastActivityAt)) out.lastActivityAt = at;
    }
  }
  out.events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  out.interviews.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return out;
}

async function pendingByApp() {
  const byApp = new Map();
  for (const item of await outboxAll()) {
    if (!byApp.has(item.appId)) byApp.set(item.appId, []);
    byApp.get(item.appId).push(item);
  }
  return byApp;
}

/** The stages in board order; remembered for offline use. */
export async function stages() {
  if (isReachable()) {
    try {
      const { stages: list } = await get(`${TRACKING}/stages`);
      stagesCache = list;
      (await ready()).put("meta", list, "appStages").catch(() => {});
      return list;
    } catch (err) {
      if (!(err instanceof OfflineError)) throw err;
    }
  }
  stagesCache ??= (await (await ready()).get("meta", "appStages")) ?? [];
  return stagesCache;
}

/** Replace the stages (labels, order, meaning) -> the stages as stored. Needs the server. */
export async function saveStages(list) {
  const { stages: saved } = await request("PUT", `${TRACKING}/stages`, { body: { stages: list } });
  stagesCache = saved;
  (await ready()).put("meta", saved, "appStages").catch(() => {});
  return saved;
}

/** Every tracked application, with pending edits on top -> {items, offline}. */
export async function list() {
  await freshen();
  const db = await ready();
  const [rows, byApp] = await Promise.all([db.getAll("applications"), pendingByApp()]);
  const known = stagesCache ?? (await stages());
  return { items: rows.map((row) => overlay(row, byApp.get(row.id), known)), offline: !isReachable() };
}

/** One application with its history, contacts and interviews. */
export async function getOne(id) {
  let appId = Number(id);
  if (appId < 0) appId = ((await (await ready()).get("meta", "appMoved")) ?? {})[appId] ?? appId;  // made offline, since synced
  if (appId < 0) {
    const row = await (await ready()).get("applications", appId);
    if (row) return overlay(row, (await pendingByApp()).get(appId), stagesCache ?? (await stages()));
  }
  if (isReachable()) {
    try {
      await putDetails([await get(`${API}/${appId}`)]);
    } catch (err) {
      if (!(err instanceof OfflineError)) throw err;
    }
  }
  const row = await (await ready()).get("applications", appId);
  if (!row) throw new ApiError(404, "not_found", `No application with id ${appId} is stored on this device.`);
  const byApp = await pendingByApp();
  return overlay(row, byApp.get(appId), stagesCache ?? (await stages()));
}

/** The application made from a stored job, if the replica has one. */
export async function byJob(jobId) {
  const rows = await (await ready()).getAll("applications");
  return rows.find((row) => row.jobId === Number(jobId)) ?? null;
}

// -- writing -------------------------------------------------------------------

/** Move to a stage (at: when it happened, for back-dated steps) and/or add a dated note. Offline: queued. */
export function addEvent(appId, { stage, note, at } = {}) {
  const body = { clientId: crypto.randomUUID(), at: at || new Date().toISOString() };
  if (stage) body.stage = stage;
  if (note) body.note = note;
  return queue({ kind: "event", appId: Number(appId), body });
}

/** Change fields (null clears). Offline: queued with the time of the edit. */
export function update(appId, fields) {
  const body = { editedAt: new Date().toISOString() };
  for (const [key, value] of Object.entries(fields)) {
    if (!FIELDS.includes(key)) throw new Error(`${key} cannot be changed.`);
    body[key] = value;
  }
  return queue({ kind: "patch", appId: Number(appId), body });
}

/**
 * Track a stored job ({jobId}) or one entered by hand. Offline, the
 * application is kept on this device under a temporary (negative) id and
 * created when the server is back: the server checks the Free limit then,
 * and edits queued meanwhile follow it to its real id.
 */
export async function create(fields) {
  const body = { clientId: crypto.randomUUID(), at: new Date().toISOString(), ...fields };
  if (isReachable()) {
    try {
      const detail = await post(API, body);
      await putDetails([detail]);
      announce({ source: "local", ids: [detail.id] });
      return detail;
    } catch (err) {
      if (!(err instanceof OfflineError)) throw err;
    }
  }
  const row = await localDraft(body);
  await putDetails([row]);
  await outboxAdd({ id: crypto.randomUUID(), kind: "create", appId: row.id, body });
  announce({ source: "local", ids: [row.id] });
  return { ...row, pending: true };
}

/** What an application made offline looks like until the server has it. */
async function localDraft(body) {
  const known = stagesCache ?? (await stages());
  const stage = body.stage ?? known.find((s) => !s.terminal)?.key ?? "saved";
  let job = {};
  if (body.jobId) job = (await (await ready()).get("jobs", body.jobId)) ?? {};
  const row = { id: -Date.now(), clientId: body.clientId, jobId: body.jobId ?? null, title: body.title ?? job.title ?? "",
    company: body.company ?? job.company ?? null, location: body.location ?? job.location ?? null, url: body.url ?? null,
    description: body.description ?? null, stage, stageAt: body.at, lastActivityAt: body.at, createdAt: body.at,
    updatedAt: body.at, active: !known.find((s) => s.key === stage)?.terminal, tags: body.tags ?? [], notes: body.notes ?? null,
    events: [{ id: body.clientId, kind: "stage", stage, note: null, at: body.at }], contacts: [], interviews: [] };
  for (const key of FIELDS) if (row[key] === undefined) row[key] = body[key] ?? null;
  return row;
}

/** After the server created an application made offline: its queued edits follow it to the real id. */
async function adopt(tempId, detail) {
  const db = await ready();
  const tx = db.transaction(["applications", "appOutbox", "meta"], "readwrite");
  await tx.objectStore("applications").delete(tempId);
  tx.objectStore("applications").put(detail);
  const outbox = tx.objectStore("appOutbox");
  for (const item of await outbox.getAll()) {
    if (item.appId === tempId) outbox.put({ ...item, appId: detail.id });
  }
  const moved = (await tx.objectStore("meta").get("appMoved")) ?? {};
  tx.objectStore("meta").put({ ...moved, [tempId]: detail.id }, "appMoved");
  await tx.done;
}

/** A refused offline creation: its draft and queued edits go, and the refusal is reported. */
async function drop(tempId) {
  const db = await ready();
  const tx = db.transaction(["applications", "appOutbox"], "readwrite");
  await tx.objectStore("applications").delete(tempId);
  const outbox = tx.objectStore("appOutbox");
  for (const item of await outbox.getAll()) if (item.appId === tempId) outbox.delete(item.id);
  await tx.done;
}

async function refreshed(appId) {
  const detail = await get(`${API}/${appId}`);
  await putDetails([detail]);
  announce({ source: "local", ids: [appId] });
  return detail;
}

/**
 * A new contact or interview. With the server there, sent at once so a refusal
 * reaches the form that made it; without it (or for an application made
 * offline), queued behind what came before and shown as pending.
 */
async function addPerson(kind, appId, fields) {
  const body = { clientId: crypto.randomUUID(), ...fields };
  return (await atOnce(appId, () => post(`${API}/${appId}/${kind}s`, body))) ?? queue({ kind, appId, body });
}

/**
 * Send a change at once when the server is there and knows the application:
 * the application as it now is, or null when the change must be queued.
 */
async function atOnce(appId, send) {
  if (!isReachable() || !(appId > 0)) return null;
  try {
    await send();
  } catch (err) {
    if (err instanceof OfflineError) return null;
    throw err;
  }
  return refreshed(appId);
}

/**
 * Rewrite a contact or interview added offline and not yet sent (its id is
 * the queued item's): the addition goes out once, as last edited, or not at
 * all when removed (fields null).
 */
async function rewriteQueued(appId, itemId, fields) {
  const db = await ready();
  const tx = db.transaction("appOutbox", "readwrite");
  const item = await tx.store.get(itemId);
  if (item && fields) {
    const body = { ...item.body, ...fields };
    for (const key of Object.keys(body)) if (body[key] === null) delete body[key];
    tx.store.put({ ...item, body });
  } else if (item) {
    tx.store.delete(itemId);
  }
  await tx.done;
  announce({ source: "local", ids: [appId] });
}

// Ids of removed contacts and interviews are handed out again: a change names
// the one it was made to by its clientId too, and the server refuses it (404)
// when the id has come to name another.
const removeRequest = (url, clientId) => request("DELETE", url, { query: clientId ? { clientId } : undefined });

/** Remove a contact or interview on the server; one already gone counts as removed. */
async function sendRemoval(kind, appId, personId, clientId) {
  try {
    await removeRequest(`${API}/${appId}/${kind}s/${personId}`, clientId);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
}

async function clientIdOf(kind, appId, personId) {
  const row = await (await ready()).get("applications", appId);
  return (row?.[`${kind}s`] ?? []).find((p) => p.id === personId)?.clientId ?? null;
}

/** Edit a contact or interview: at once with the server there, else queued with the time of the edit. */
async function editPerson(kind, appId, personId, fields) {
  if (typeof personId === "string") return rewriteQueued(appId, personId, fields);
  const clientId = await clientIdOf(kind, appId, personId);
  const body = { ...fields, editedAt: new Date().toISOString(), ...(clientId ? { clientId } : {}) };
  return (await atOnce(appId, () => patchReq(`${API}/${appId}/${kind}s/${personId}`, body)))
    ?? queue({ kind: `${kind}Edit`, appId, personId, body });
}

/** Remove a contact or interview: at once with the server there, else queued (its queued edits go). */
async function removePerson(kind, appId, personId) {
  if (typeof personId === "string") return rewriteQueued(appId, personId, null);
  const clientId = await clientIdOf(kind, appId, personId);
  const removed = await atOnce(appId, () => sendRemoval(kind, appId, personId, clientId));
  if (removed) return removed;
  const db = await ready();
  const tx = db.transaction("appOutbox", "readwrite");
  for (const item of await tx.store.getAll()) {
    if (item.kind === `${kind}Edit` && item.appId === appId && item.personId === personId) tx.store.delete(item.id);
  }
  await tx.done;
  return queue({ kind: `${kind}Remove`, appId, personId, clientId });
}

/** A contact's id: a number once the server has it, the queued item's id before. */
const personKey = (id) => (typeof id === "string" && !/^\d+$/.test(id) ? id : Number(id));

/** Add or edit a contact; offline, queued and pending until synced. */
export async function saveContact(appId, contact) {
  const { id, ...fields } = contact;
  if (!id) return addPerson("contact", Number(appId), fields);
  return editPerson("contact", Number(appId), personKey(id), fields);
}

export const removeContact = (appId, contactId) => removePerson("contact", Number(appId), personKey(contactId));

/** Add or edit an interview; offline, queued and pending until synced. */
export async function saveInterview(appId, interview) {
  const { id, ...fields } = interview;
  if (!id) return addPerson("interview", Number(appId), fields);
  return editPerson("interview", Number(appId), personKey(id), fields);
}

export const removeInterview = (appId, interviewId) => removePerson("interview", Number(appId), personKey(interviewId));

// -- the rest of the tracking API ----------------------------------------------

export const usage = () => get(`${TRACKING}/usage`);
export const reminders = (days = 14) => get(`${TRACKING}/reminders`, { days });
export const funnel = () => get(`${TRACKING}/funnel`);
export const importPreview = (content, format) => post(`${TRACKING}/import/preview`, { content, format });
export async function importFile(request) {
  const result = await post(`${TRACKING}/import`, request);
  await freshen();
  announce({ source: "import" });
  return result;
}
export const exportUrl = (format) => `${TRACKING}/export?format=${encodeURIComponent(format)}`;
export const calendarUrl = () => `${TRACKING}/calendar.ics`;
export const interviewCalendarUrl = (appId, interviewId) =>
  `${API}/${Number(appId)}/interviews/${Number(interviewId)}/calendar.ics`;

/** Is this error the Free plan's limit (or another Pro-only feature)? */
export const isPlanLimit = (err) => err instanceof ApiError && err.status === 402;
