// The one module that calls fetch. Every request to the local server goes
// through `request`, so "is the server there?" is decided in one place.

export class ApiError extends Error {
  constructor(status, code, message, details = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details; // e.g. {field: "proxies"}: which field the message is about
  }
}

// The server did not answer at all (stopped, or the network is off).
export class OfflineError extends Error {
  constructor() {
    super("The JobDeck server is not reachable.");
    this.name = "OfflineError";
  }
}

const listeners = new Set();
let reachable = true;
let heard = false;  // has a request to the server answered or failed yet, on this page?

/** Called with true/false whenever reachability changes. */
export function onReachability(cb) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

export const isReachable = () => reachable;
/** False until a request of this page has answered or failed: till then reachability is a guess. */
export const isKnown = () => heard;

function setReachable(value) {
  heard = true;
  if (value === reachable) return;
  reachable = value;
  for (const cb of listeners) cb(value);
}

/** A list sent as the same key repeated (for values that may hold commas). */
export const each = (values) => ({ each: values || [] });

/** Query objects to a search string: arrays become comma lists, `each(...)` repeated keys,
 * empty values are dropped. */
export function toSearch(params = {}) {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value?.each)) {
      for (const item of value.each) out.append(key, item);
    } else if (Array.isArray(value)) {
      if (value.length) out.set(key, value.join(","));
    } else {
      out.set(key, String(value));
    }
  }
  const text = out.toString();
  return text ? `?${text}` : "";
}

/**
 * request("GET", "/api/v1/jobs", {query, body, raw}) -> parsed JSON (or null on 204).
 * `body` is sent as JSON unless it is a Blob/File (sent as is). Throws ApiError
 * with the server's message on 4xx/5xx and OfflineError when nothing answered.
 */
export async function request(method, path, { query, body, signal } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" }, signal };
  if (body instanceof Blob || body instanceof FormData) {
    init.body = body; // FormData: the browser writes the multipart boundary itself
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path + toSearch(query), init);
  } catch (err) {
    if (err?.name === "AbortError") throw err;
    setReachable(false);
    throw new OfflineError();
  }
  setReachable(true);
  if (response.status === 204) return null;
  const text = await response.text();
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = payload?.error ?? {};
    throw new ApiError(response.status, error.code ?? "error", error.message ?? `The server answered ${response.status}.`,
      error.details ?? null);
  }
  return payload;
}

export const get = (path, query) => request("GET", path, { query });
export const post = (path, body, query) => request("POST", path, { body, query });
export const patch = (path, body) => request("PATCH", path, { body });
export const del = (path) => request("DELETE", path);

// Preferences, data location and backups (the Settings screen; search defaults).
export const getPreferences = () => get("/api/v1/preferences");
/** changes: only the fields to change; null puts one back to its default. */
export const savePreferences = (changes) => patch("/api/v1/preferences", changes);
export const getStorage = () => get("/api/v1/storage");
export const listBackups = () => get("/api/v1/backups");
export const createBackup = () => post("/api/v1/backups");
export const backupUrl = (name) => `/api/v1/backups/${encodeURIComponent(name)}`;

// This machine's license (Settings → License).
export const getLicense = () => get("/api/v1/license");
export const activateLicense = (key) => post("/api/v1/license", { key });
export const refreshLicense = () => post("/api/v1/license/refresh");
export const deactivateLicense = () => del("/api/v1/license");

/**
 * Listen to the server's event stream. `types` are the event names to pass
 * on (EventSource has no wildcard); `onError` runs when the stream breaks.
 * Returns a function that closes it.
 */
export function openEvents(types, onEvent, onError) {
  const source = new EventSource("/api/v1/events");
  for (const type of types) {
    source.addEventListener(type, (event) => {
      let payload = null;
      try {
        payload = JSON.parse(event.data);
      } catch {
        payload = event.data;
      }
      onEvent(type, payload);
    });
  }
  source.onerror = () => onError(source);
  return () => source.close();
}
