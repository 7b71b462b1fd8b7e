// Saved-search alerts: the list and unread count the server keeps, and the
// last of them this device saw (localStorage), so the nav and the Alerts
// screen still show what they last knew while the server is away.
// onAlertsChange(cb) is called with {items, unread, offline} on every change.
import { keep, kept } from "/lib/kept.js";
import { OfflineError, get, post, request } from "./api.js";

const KEPT_KEY = "jobdeck.alerts";
const DETAILS_KEY = "jobdeck.alertDetails";
const DETAILS_KEPT = 10;  // the last alerts opened, with their jobs

const listeners = new Set();
let state = { items: [], unread: 0, offline: false, loaded: false };

function publish(next) {
  state = { ...state, ...next, loaded: true };
  if (!state.offline) keep(KEPT_KEY, { items: state.items, unread: state.unread });
  for (const cb of listeners) {
    try { cb(state); } catch (err) { console.error(err); }
  }
}

export function onAlertsChange(cb) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

export const alertsState = () => state;

/** The newest alerts and the unread count; offline, the last ones this device saw. */
export async function refreshAlerts() {
  try {
    const page = await get("/api/v1/alerts", { limit: 50 });
    publish({ items: page.items, unread: page.unread, offline: false });
  } catch (err) {
    if (!(err instanceof OfflineError)) throw err;
    const last = kept(KEPT_KEY, { items: [], unread: 0 });
    publish({ items: last.items, unread: last.unread, offline: true });
  }
  return state;
}

/** An "alert.created" event: shown at once, without asking the server again. */
export function alertArrived(alert) {
  if (!alert?.id || state.items.some((a) => a.id === alert.id)) return;
  const { unread, ...item } = alert;
  publish({ items: [item, ...state.items].slice(0, 50), unread: unread ?? state.unread + 1, offline: false });
}

/** One alert with its new jobs; offline, as last opened on this device. */
export async function getAlert(id) {
  const details = kept(DETAILS_KEY, []);
  try {
    const detail = await get(`/api/v1/alerts/${Number(id)}`);
    keep(DETAILS_KEY, [detail, ...details.filter((d) => d.alert.id !== detail.alert.id)].slice(0, DETAILS_KEPT));
    return { ...detail, offline: false };
  } catch (err) {
    if (!(err instanceof OfflineError)) throw err;
    const seen = details.find((d) => d.alert.id === Number(id));
    return seen ? { ...seen, offline: true } : null;
  }
}

function markedRead(ids, unread) {
  publish({ items: state.items.map((a) => (ids === "all" || ids.includes(a.id) ? { ...a, read: true } : a)), unread });
}

export async function markAlertRead(id) {
  const answer = await post(`/api/v1/alerts/${Number(id)}/read`);
  markedRead([Number(id)], answer.unread);
}

export async function markAllAlertsRead() {
  const answer = await post("/api/v1/alerts/read");
  markedRead("all", answer.unread);
}

/** Turn a saved search's alert on (Pro) every `everyHours`, or off. Returns the saved search. */
export const setSearchAlert = (searchId, everyHours, enabled = true) =>
  request("PUT", `/api/v1/searches/${Number(searchId)}/alert`, { body: { everyHours, enabled } });

/** The frequencies the server accepts, in hours (server/db/alerts.py FREQUENCIES). */
export const ALERT_FREQUENCIES = [6, 12, 24, 168];
