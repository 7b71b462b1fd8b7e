// How figures read: money per currency (never mixed), shares, "from 42
// postings", and "Too few postings to tell" in place of any number that
// stands on too few.
import { html } from "/vendor/lit-html/lit-html.js";
import { formatDateTime, formatNumber, language, t } from "/i18n/index.js";

const formats = new Map();
function moneyFormat(currency, compact) {
  const key = `${language()}|${currency}|${compact}`;
  if (!formats.has(key)) {
    let made;
    try {
      made = new Intl.NumberFormat(language(), { style: "currency", currency, maximumFractionDigits: compact ? 1 : 0,
        notation: compact ? "compact" : "standard" });
    } catch {
      made = new Intl.NumberFormat(language(), { maximumFractionDigits: 0, notation: compact ? "compact" : "standard" });
    }
    formats.set(key, made);
  }
  return formats.get(key);
}

export const money = (value, currency, compact = false) => moneyFormat(currency, compact).format(value);

export function percent(share) {
  return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 0 }).format(share);
}

/** "from 42 postings" */
export function fromN(n, unit = "postings") {
  if (!n) return "";
  return html`<span class="figure-n" data-testid="figure-n">${t(`insights.from.${unit}`, { count: n })}</span>`;
}

export function tooFew() {
  return html`<span class="too-few" data-testid="too-few">${t("insights.tooFew")}</span>`;
}

/** A Figure {value, n, tooFew} through `format`, or the too-few words. */
export function figure(fig, format) {
  if (!fig || fig.tooFew || fig.value === null || fig.value === undefined) return tooFew();
  return format(fig.value);
}

/** "As of 3 Nov, 14:05" shown when the figures are the last ones kept, not fresh. */
export function asOf(answer) {
  if (!answer?.cached) return "";
  return html`<p class="insights-asof" data-testid="insights-asof" role="status">
    ${t("insights.asOf", { time: formatDateTime(answer.at) })}</p>`;
}

export function errorCard(error, retry) {
  return html`<div class="card insights-error" role="alert" data-testid="insights-error">
    <p>${error.name === "OfflineError" ? t("insights.offlineNothing") : error.message}</p>
    ${retry ? html`<button class="button small" type="button" @click=${retry}>${t("common.retry")}</button>` : ""}
  </div>`;
}

export const count = (n) => formatNumber(n);

export function loading() {
  return html`<div class="empty" aria-busy="true"><span class="spinner"></span></div>`;
}
