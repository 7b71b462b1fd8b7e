// Small values this device keeps between visits (localStorage, as JSON).
// Never throws: in private mode or with storage full, a value lasts this
// visit only, and an unreadable one reads as the fallback.

/** The value kept under `key`, or `fallback` when there is none (or it cannot be read). */
export function kept(key, fallback) {
  try {
    const value = localStorage.getItem(key);
    return value === null ? fallback : JSON.parse(value) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Keep `value` under `key` (best effort). */
export function keep(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or full: only this visit knows.
  }
}
