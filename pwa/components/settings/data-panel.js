// Where the data lives, its size, and backups: make one now, download any.
// Emits "backup-create".
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatDateTime, language, t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";

const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"];
const KEEP = 10; // as many as the server keeps
const CLI = "jobdeck backup";

/** 1536 -> "1.5 kB" in the current language. */
export function formatBytes(bytes, lang = language()) {
  let value = Math.max(0, Number(bytes) || 0);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(lang, {
    style: "unit", unit: UNITS[unit], unitDisplay: "short", maximumFractionDigits: unit ? 1 : 0,
  }).format(value);
}

export function mountDataPanel(el) {
  el.classList.add("card", "data-panel");
  el.setAttribute("data-testid", "data-panel");
  return { el };
}

/** props: {storage | null, backups: [{name, size, created}], busy, error, offline, backupUrl(name)}. */
export function updateDataPanel(panel, { storage, backups, busy, error, offline, backupUrl }) {
  render(html`
    <h2>${t("data.title")}</h2>
    <p class="muted small">${t("data.lead")}</p>
    ${storage ? html`<dl class="data-facts">
      <div><dt>${t("data.home")}</dt><dd><code translate="no" data-testid="data-home">${storage.home}</code></dd></div>
      <div><dt>${t("data.database")}</dt><dd><code translate="no">${storage.database}</code></dd></div>
      <div><dt>${t("data.size")}</dt><dd data-testid="data-size">${formatBytes(storage.databaseBytes)}</dd></div>
    </dl>` : html`<p class="small muted">${offline ? t("data.offline") : t("data.loading")}</p>`}
    <div class="backup-head">
      <h3>${t("data.backups")}</h3>
      <button class="button primary" type="button" data-testid="backup-now" ?disabled=${offline || busy}
        @click=${() => emit(panel.el, "backup-create")}>
        ${busy ? html`<span class="spinner"></span>` : ""}${t("data.backupNow")}</button>
    </div>
    ${error ? html`<p class="field-error" role="alert" data-testid="backup-error">${error}</p>` : ""}
    ${backups.length ? html`<ul class="backup-list" data-testid="backup-list">${backups.map((b) => html`
      <li class="backup-row" data-testid="backup-row" data-name=${b.name}>
        <div class="backup-meta"><strong>${formatDateTime(b.created)}</strong>
          <span class="small muted">${formatBytes(b.size)} · <code translate="no">${b.name}</code></span></div>
        <a class="button small" href=${backupUrl(b.name)} download=${b.name} data-testid="backup-download"
          aria-label=${t("data.downloadNamed", { date: formatDateTime(b.created) })}>${t("data.download")}</a>
      </li>`)}</ul>` : html`<p class="small muted" data-testid="backup-none">${t("data.none")}</p>`}
    <p class="small muted">${t("data.backupHint", { count: KEEP })}
      ${t("data.backupCli")} <code translate="no">${CLI}</code></p>`, panel.el);
}
