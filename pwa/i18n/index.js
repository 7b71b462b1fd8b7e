// The catalogs, t(key, params), and Intl formatting in the chosen language.
// Switching language dispatches "languagechange" on window; screens redraw.

import en from "./en.json" with { type: "json" };
import zhTW from "./zh-TW.json" with { type: "json" };
import { LANGUAGES, STORAGE_KEY, interpolate, pickLanguage, pluralKey } from "/lib/lang.js";

const CATALOGS = { en, "zh-TW": zhTW };
let current = "en";

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Chooses the language once at start: remembered, else from the browser. */
export function initLanguage() {
  setLanguage(pickLanguage(navigator.languages || [navigator.language], stored()), { remember: false });
  return current;
}

export function language() {
  return current;
}

export function languages() {
  return LANGUAGES;
}

export function setLanguage(lang, { remember = true } = {}) {
  if (!LANGUAGES.includes(lang)) return;
  const changed = lang !== current;
  current = lang;
  document.documentElement.lang = lang;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode: the choice lasts this visit.
    }
  }
  if (changed) window.dispatchEvent(new CustomEvent("jobdeck-language", { detail: { lang } }));
}

/** A message in the current language; {name} placeholders filled from params; params.count picks plurals. */
export function t(key, params) {
  const catalog = CATALOGS[current];
  const name = params && "count" in params ? pluralKey(key, params.count, current, catalog) : key;
  const text = catalog[name] ?? en[name] ?? key;
  if (!params) return text;
  const shown = { ...params };
  if (typeof shown.count === "number") shown.count = formatNumber(shown.count);
  return interpolate(text, shown);
}

/** Whether the catalog has a message (for optional texts such as board notes). */
export function has(key) {
  return key in CATALOGS[current];
}

// Intl formatters are costly to build (a list of thousands of rows formats
// dates and numbers per row), so each is built once per language.
const formatters = new Map();
function formatter(kind, make) {
  const key = `${current}|${kind}`;
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = make(current)));
  return made;
}

export function formatNumber(n) {
  return formatter("number", (lang) => new Intl.NumberFormat(lang)).format(n);
}

export function formatDate(value) {
  const date = toDate(value);
  return date ? formatter("date", (lang) => new Intl.DateTimeFormat(lang, { dateStyle: "medium" })).format(date) : "";
}

export function formatDateTime(value) {
  const date = toDate(value);
  return date ? formatter("datetime", (lang) => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }))
    .format(date) : "";
}

/** "3 days ago", "today": for posting dates (days) and run times. */
export function formatAgo(value, now = Date.now()) {
  const date = toDate(value);
  if (!date) return "";
  const rtf = formatter("relative", (lang) => new Intl.RelativeTimeFormat(lang, { numeric: "auto" }));
  const seconds = (date.getTime() - now) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(Math.round(seconds), "second");
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 86400 && !/^\d{4}-\d{2}-\d{2}$/.test(String(value))) return rtf.format(Math.round(seconds / 3600), "hour");
  const days = Math.round(seconds / 86400);
  if (Math.abs(days) < 30) return rtf.format(days, "day");
  return formatDate(value);
}

function toDate(value) {
  if (!value) return null;
  // A bare date is a calendar day where the user is, not UTC midnight.
  const text = String(value);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T12:00:00`) : new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
