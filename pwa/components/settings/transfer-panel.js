// Import jobs from a CSV (jobspy's columns) or JSON file; export every job.
// Emits "import-file" {file, format}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";

export function mountTransferPanel(el) {
  el.classList.add("card", "transfer-panel");
  el.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches("[data-testid=import-file]") || !input.files?.length) return;
    const file = input.files[0];
    emit(el, "import-file", { file, format: /\.json$/i.test(file.name) ? "json" : "csv" });
    input.value = "";
  });
  return { el };
}

/** props: {exportUrl(format), busy, result: {found, new, updated} | null, offline}. */
export function updateTransferPanel(panel, { exportUrl, busy, result, offline }) {
  render(html`
    <h2>${t("transfer.title")}</h2>
    <p class="muted small">${t("transfer.lead")}</p>
    <div class="transfer-grid">
      <div>
        <h3>${t("transfer.import")}</h3>
        <label class="button file-button ${offline || busy ? "disabled" : ""}">
          ${busy ? html`<span class="spinner"></span>` : ""}${t("transfer.chooseFile")}
          <input class="visually-hidden" type="file" accept=".csv,.json,text/csv,application/json"
            data-testid="import-file" ?disabled=${offline || busy}></label>
        <p class="small muted">${t("transfer.importHint")}</p>
        ${result ? html`<p class="small" role="status" data-testid="import-result">
          ${t("transfer.imported", { found: result.found, fresh: result.new, updated: result.updated })}</p>` : ""}
      </div>
      <div>
        <h3>${t("transfer.export")}</h3>
        <div class="row">
          <a class="button" data-testid="export-csv" href=${exportUrl("csv")} download>${t("transfer.exportCsv")}</a>
          <a class="button" data-testid="export-json" href=${exportUrl("json")} download>${t("transfer.exportJson")}</a>
        </div>
        <p class="small muted">${t("transfer.exportHint")}</p>
      </div>
    </div>`, panel.el);
}
