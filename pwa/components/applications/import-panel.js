// Export (CSV, JSON, the interviews' calendar) and import: pick a file, see
// what the server read from it, correct which column is what and which stage
// each stage text means, then import (all or nothing). A file past Free's
// limit is refused whole with an offer: the active ones that fit, in the
// file's order, with every closed one. Emits "import-preview" {content,
// format}, "import-run" {content, format, mapping, stageMap} and "import-fit".
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatNumber, t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";
import { appIcon, stageLabel } from "./app-common.js";

const KNOWN_FIELDS = ["title", "company", "location", "url", "board", "description", "stage", "excitement", "salary_expectation",
  "salary_offer", "salary_currency", "salary_interval", "resume_version", "source", "tags", "notes", "follow_up_at",
  "created_at", "updated_at", "client_id", "job_id", "history", "contacts", "interviews"];

export function mountImportPanel(el) {
  el.classList.add("import-panel");
  return { el, file: null, mapping: {}, stageMap: {}, previewFor: null };
}

function fieldLabel(field, stages) {
  if (field.startsWith("date:")) return t("apps.import.dateOf", { stage: stageLabel(field.slice(5), stages) });
  return KNOWN_FIELDS.includes(field) ? t(`apps.import.field.${field}`) : field;
}

async function pick(view, input) {
  const file = input.files?.[0];
  if (!file) return;
  const content = await file.text();
  const format = /\.json$/i.test(file.name) || content.trimStart().startsWith("{") ? "json" : "csv";
  view.file = { name: file.name, content, format };
  view.previewFor = null;
  emit(view.el, "import-preview", { content, format });
}

function mappingTable(view, preview, stages) {
  if (view.previewFor !== preview) {
    view.previewFor = preview;
    view.mapping = { ...preview.suggestedMapping };
    view.stageMap = Object.fromEntries(Object.entries(preview.stageValues).map(([k, v]) => [k, v ?? ""]));
  }
  const sample = (header) => preview.sampleRows.map((r) => r[header]).find((v) => v && v.trim()) ?? "";
  return html`
    <table class="map-table">
      <thead><tr><th scope="col">${t("apps.import.column")}</th><th scope="col">${t("apps.import.example")}</th>
        <th scope="col">${t("apps.import.becomes")}</th></tr></thead>
      <tbody>${preview.headers.map((header, i) => html`<tr>
        <th scope="row"><label for=${`map-${i}`}>${header}</label></th>
        <td class="map-sample">${sample(header)}</td>
        <td><select id=${`map-${i}`} data-testid="import-map" data-header=${header}
          @change=${(e) => { view.mapping[header] = e.target.value || null; }}>
          <option value="" ?selected=${!view.mapping[header]}>${t("apps.import.skip")}</option>
          ${preview.fields.map((f) => html`<option value=${f} ?selected=${view.mapping[header] === f}>${fieldLabel(f, stages)}</option>`)}
        </select></td>
      </tr>`)}</tbody>
    </table>
    ${Object.keys(view.stageMap).length ? html`<h4>${t("apps.import.stagesTitle")}</h4>
      <div class="stage-map">${Object.keys(view.stageMap).map((value, i) => html`<label class="field">
        <span>${value}</span>
        <select data-testid="import-stage" data-value=${value} id=${`stage-map-${i}`}
          @change=${(e) => { view.stageMap[value] = e.target.value; }}>
          <option value="" ?selected=${!view.stageMap[value]}>${t("apps.import.stageDefault")}</option>
          ${stages.map((s) => html`<option value=${s.key} ?selected=${view.stageMap[value] === s.key}>${stageLabel(s, stages)}</option>`)}
        </select></label>`)}</div>` : ""}`;
}

function run(view) {
  const { content, format } = view.file;
  const stageMap = Object.fromEntries(Object.entries(view.stageMap).filter(([, v]) => v));
  emit(view.el, "import-run", format === "json" ? { content, format }
    : { content, format, mapping: view.mapping, stageMap });
}

/** Free's limit against this file: how many fit, and the way to import that much. */
function overLimit(view, offer, busy) {
  const { fileActive, fileClosed, room, limit, resumable } = offer;
  const something = room > 0 || fileClosed > 0;
  return html`<div class="limit-box" role="alert" data-testid="apps-import-offer">
    <p><strong>${t("apps.import.overTitle", { count: fileActive, room: formatNumber(room) })}</strong></p>
    <p>${t("apps.import.overBody", { limit: formatNumber(limit) })}</p>
    ${resumable ? html`<p class="small">${t("apps.import.overLater")}</p>` : ""}
    <p class="row">
      ${something ? html`<button class="button small primary" type="button" data-testid="apps-import-fit" ?disabled=${busy}
        @click=${() => emit(view.el, "import-fit", {})}>${room > 0 ? t("apps.import.fit", { count: room })
          : t("apps.import.fitClosed")}</button>` : ""}
      <a class="button small" href="#/settings">${t("apps.limitLink")}</a>
    </p>
  </div>`;
}

/** props: {stages, preview, result, error, offer, busy, urls: {csv, json, calendar}} */
export function updateImportPanel(view, { stages, preview, result, error, offer, busy, urls }) {
  render(html`
    <h2>${appIcon("download")}${t("apps.transfer.title")}</h2>
    <div class="row transfer-links">
      <a class="button small" href=${urls.csv} download data-testid="apps-export-csv">${appIcon("download")}${t("apps.transfer.csv")}</a>
      <a class="button small" href=${urls.json} download data-testid="apps-export-json">${appIcon("download")}${t("apps.transfer.json")}</a>
      <a class="button small" href=${urls.calendar} download data-testid="apps-calendar">${appIcon("calendar")}${t("apps.transfer.calendar")}</a>
    </div>
    <h3>${t("apps.import.title")}</h3>
    <p class="small muted">${t("apps.import.hint")}</p>
    <label class="field file-field"><span>${t("apps.import.file")}</span>
      <input type="file" accept=".csv,.json,text/csv,application/json" data-testid="apps-import-file"
        @change=${(e) => pick(view, e.target)}></label>
    ${error ? html`<p class="field-error" role="alert">${error}</p>` : ""}
    ${offer ? overLimit(view, offer, busy) : ""}
    ${preview && view.file ? html`<div class="import-preview" data-testid="apps-import-preview">
      <p>${t("apps.import.read", { count: preview.rows, file: view.file.name })}
        ${preview.detected ? html` <span class="badge">${t("apps.import.detected", { tool: preview.detected })}</span>` : ""}</p>
      ${preview.format === "csv" ? mappingTable(view, preview, stages) : ""}
      <button class="button primary" type="button" data-testid="apps-import-submit" ?disabled=${busy}
        @click=${() => run(view)}>${appIcon("upload")}${t("apps.import.run", { count: preview.rows })}</button>
    </div>` : ""}
    ${result ? html`<p class="import-result" role="status" data-testid="apps-import-result">
      ${t("apps.import.done", { count: result.imported, skipped: formatNumber(result.skipped) })}</p>` : ""}
    ${result?.overLimit ? html`<p class="small muted" data-testid="apps-import-left-out">
      ${t("apps.import.leftOut", { count: result.overLimit })}</p>` : ""}
  `, view.el);
}
