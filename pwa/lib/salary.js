// Salaries as the posting states them (its own currency, never converted) and
// annualised for comparison. Pure: the locale is passed in.

export const INTERVALS = ["yearly", "monthly", "weekly", "daily", "hourly"];

// Building an Intl.NumberFormat costs far more than using one, and a list
// formats two ranges per row: each combination is built once.
const formats = new Map();

function cached(key, make) {
  let format = formats.get(key);
  if (!format) formats.set(key, (format = make()));
  return format;
}

function numberFormat(locale, currency, compact) {
  const code = currency && /^[A-Z]{3}$/i.test(currency) ? currency.toUpperCase() : "";
  return cached(`${locale}|${code}|${compact ? "c" : ""}`, () => {
    const options = { maximumFractionDigits: compact ? 1 : 0 };
    if (compact) options.notation = "compact";
    if (code) {
      try {
        // The locale's own symbol, not the narrow one: narrow makes NT$, HK$ and
        // S$ all "$", and a job seeker comparing cities must tell them apart.
        return new Intl.NumberFormat(locale, { ...options, style: "currency", currency: code, currencyDisplay: "symbol" });
      } catch {
        // An unknown code: fall through to a plain number.
      }
    }
    return new Intl.NumberFormat(locale, options);
  });
}

function centsFormat(locale, currency, format) {
  return cached(`${locale}|${currency || ""}|cents`, () => new Intl.NumberFormat(locale, {
    ...format.resolvedOptions(), maximumFractionDigits: 2, minimumFractionDigits: 0 }));
}

/** "$50,000 – $70,000", or one amount when only one is known or both are equal. */
export function formatRange(min, max, currency, locale, { compact = false, hourly = false } = {}) {
  const format = numberFormat(locale, currency, compact);
  if (hourly && !compact) {
    // Hourly pay keeps its cents: $27.50.
    return formatWith(centsFormat(locale, currency, format), min, max);
  }
  return formatWith(format, min, max);
}

function formatWith(format, min, max) {
  const lo = typeof min === "number" ? min : null;
  const hi = typeof max === "number" ? max : null;
  if (lo === null && hi === null) return "";
  if (lo === null || hi === null || lo === hi) return format.format(lo ?? hi);
  return format.formatRange ? format.formatRange(lo, hi) : `${format.format(lo)} – ${format.format(hi)}`;
}

/**
 * A salary object from the API (interval, minAmount, maxAmount, currency,
 * annualMin, annualMax) → {raw, interval, annual}: strings, or null when
 * unknown. `annual` is null when the raw salary is already yearly.
 */
export function salaryParts(salary, locale, { compact = false } = {}) {
  if (!salary) return null;
  const interval = INTERVALS.includes(salary.interval) ? salary.interval : null;
  const raw = formatRange(salary.minAmount, salary.maxAmount, salary.currency, locale,
    { compact: compact && interval !== "hourly", hourly: interval === "hourly" });
  const hasAnnual = typeof salary.annualMin === "number" || typeof salary.annualMax === "number";
  const annual = hasAnnual && interval !== "yearly"
    ? formatRange(salary.annualMin, salary.annualMax, salary.currency, locale, { compact })
    : null;
  if (!raw && !annual) return null;
  return { raw: raw || annual, interval: raw ? interval : "yearly", annual: raw ? annual : null };
}

/** The salary fields of one board's posting (the detail API) as a salary object. */
export function salaryOfSource(source) {
  if (!source || (source.minAmount == null && source.maxAmount == null && source.annualMin == null)) return null;
  return {
    interval: source.salaryInterval, minAmount: source.minAmount, maxAmount: source.maxAmount,
    currency: source.currency, annualMin: source.annualMin, annualMax: source.annualMax,
  };
}
