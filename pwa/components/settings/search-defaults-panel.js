// Search defaults: the boards, country and number of results a new search
// starts with. Emits "prefs-save" {section: "defaults", changes}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { has, t } from "/i18n/index.js";
import { BOARDS, boardName } from "../shared/badges.js";
import { emit } from "../shared/emit.js";
import { COUNTRIES } from "../search/search-form.js";
import { fieldError, savedNote } from "./prefs-common.js";

export function mountSearchDefaultsPanel(el) {
  el.classList.add("card", "defaults-panel");
  el.setAttribute("data-testid", "defaults-panel");
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    const results = String(data.get("results") || "").trim();
    emit(el, "prefs-save", {
      section: "defaults",
      changes: {
        defaultBoards: data.getAll("boards").map(String),
        defaultCountry: String(data.get("country") || ""),
        defaultResults: /^\d+$/.test(results) ? Number(results) : results === "" ? null : results,
      },
    });
  });
  return { el };
}

/** props: {prefs | null, errors: {field: message}, busy, saved, offline}. */
export function updateSearchDefaultsPanel(panel, { prefs, errors, busy, saved, offline }) {
  const p = prefs || { defaultBoards: [], defaultCountry: "usa", defaultResults: 30 };
  const countries = COUNTRIES.includes(p.defaultCountry) ? COUNTRIES : [...COUNTRIES, p.defaultCountry];
  const disabled = offline || !prefs;
  render(html`
    <h2 id="defaults-title">${t("defaults.title")}</h2>
    <p class="muted small">${t("defaults.lead")}</p>
    <form class="prefs-form" aria-labelledby="defaults-title" novalidate>
      <fieldset class="defaults-boards" aria-describedby="defaults-boards-error">
        <legend class="legend">${t("search.boards")}</legend>
        <div class="board-checks">${BOARDS.map((b) => html`
          <label class="check board-check" data-testid="default-board" data-board=${b}>
            <input type="checkbox" name="boards" value=${b} .checked=${p.defaultBoards.includes(b)} ?disabled=${disabled}>
            <span>${boardName(b)}</span></label>`)}</div>
        ${fieldError(errors.defaultBoards, "defaults-boards-error")}
      </fieldset>
      <div class="defaults-row">
        <label class="field"><span>${t("search.country")}</span>
          <select name="country" data-testid="default-country" ?disabled=${disabled}
            aria-describedby="defaults-country-error">
            ${countries.map((c) => html`<option value=${c} ?selected=${p.defaultCountry === c}>
              ${has(`country.${c}`) ? t(`country.${c}`) : c}</option>`)}
          </select>
          ${fieldError(errors.defaultCountry, "defaults-country-error")}</label>
        <label class="field"><span>${t("search.results")}</span>
          <input type="number" name="results" data-testid="default-results" min="1" max="1000" step="1"
            inputmode="numeric" .value=${String(p.defaultResults)} ?disabled=${disabled}
            aria-describedby="defaults-results-error">
          ${fieldError(errors.defaultResults, "defaults-results-error")}</label>
      </div>
      <div class="prefs-actions">
        <button class="button primary" type="submit" data-testid="defaults-save" ?disabled=${disabled || busy}>
          ${busy ? html`<span class="spinner"></span>` : ""}${t("defaults.save")}</button>
        ${savedNote(saved, "defaults-saved")}
      </div>
    </form>`, panel.el);
}
