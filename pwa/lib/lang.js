// Language choice and message interpolation: pure, so tests can call them.

export const LANGUAGES = ["en", "zh-TW"];
export const STORAGE_KEY = "jobdeck.language";

/** The catalog to use: a remembered choice, else the browser's first match, else English. */
export function pickLanguage(preferred = [], stored = null) {
  if (stored && LANGUAGES.includes(stored)) return stored;
  for (const tag of preferred) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith("zh")) {
      // Simplified-script and mainland tags have no catalog of their own; Traditional is closest.
      return "zh-TW";
    }
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

/** "{count} jobs" with {count: 3} → "3 jobs". Unknown placeholders are left as they are. */
export function interpolate(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

/** The catalog key for a count: "jobs.count" → "jobs.count_one" or "jobs.count_other". */
export function pluralKey(key, count, locale, catalog) {
  const rule = new Intl.PluralRules(locale).select(Number(count));
  const specific = `${key}_${rule}`;
  if (catalog && specific in catalog) return specific;
  if (catalog && `${key}_other` in catalog) return `${key}_other`;
  return key;
}
