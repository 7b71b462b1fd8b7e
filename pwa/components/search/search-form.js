// The search form: term, place, boards (each with what it supports), how
// many results, how recent, remote, job type, country. Emits "search-start"
// {params}, "search-save" {name, params} and "search-draft" {params}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { has, t } from "/i18n/index.js";
import { BOARDS, boardName } from "../shared/badges.js";
import { emit } from "../shared/emit.js";
import { icon } from "../shared/icons.js";

export const COUNTRIES = ["usa", "canada", "uk", "ireland", "australia", "new zealand", "taiwan", "hong kong",
  "singapore", "japan", "south korea", "india", "germany", "france", "netherlands", "spain", "switzerland",
  "united arab emirates"];
const HOURS = [24, 72, 168, 336, 720];
const JOB_TYPES = ["fulltime", "parttime", "contract", "temporary", "internship"];
const MAIN_BOARDS = ["indeed", "linkedin", "glassdoor", "google", "zip_recruiter"];

export const DEFAULT_PARAMS = { term: "", location: "", boards: ["indeed", "linkedin"], results: 30,
  hoursOld: null, remote: false, jobType: null, country: "usa" };

/** The form's fields as SearchParams for the API. */
export function readForm(form) {
  const data = new FormData(form);
  const params = {
    term: String(data.get("term") || "").trim(),
    location: String(data.get("location") || "").trim(),
    boards: data.getAll("boards").map(String),
    results: Math.min(1000, Math.max(1, Number(data.get("results")) || 30)),
    remote: data.get("remote") === "on",
  };
  const hours = Number(data.get("hoursOld"));
  if (hours) params.hoursOld = hours;
  if (data.get("jobType")) params.jobType = String(data.get("jobType"));
  if (data.get("country")) params.country = String(data.get("country"));
  return params;
}

export function mountSearchForm(el) {
  const form = { el };
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = readForm(event.target);
    if (event.submitter?.dataset.action === "save") {
      const name = event.target.querySelector("[name=saveName]").value.trim() || params.term;
      emit(el, "search-save", { name, params });
    } else {
      emit(el, "search-start", { params });
    }
  });
  el.addEventListener("change", (event) => {
    const f = event.target.form;
    if (f) emit(el, "search-draft", { params: readForm(f) });
  });
  return form;
}

/** props: {params: the draft, busy: a run is starting, error}. */
export function updateSearchForm(form, { params, busy, error }) {
  const p = { ...DEFAULT_PARAMS, ...params };
  const noBoard = !p.boards.length;
  // A default country set outside the list (through the API) is still offered.
  const countries = !p.country || COUNTRIES.includes(p.country) ? COUNTRIES : [...COUNTRIES, p.country];
  const boardOption = (b) => html`<label class="board-option" data-testid="board-option" data-board=${b}>
    <input type="checkbox" name="boards" value=${b} .checked=${p.boards.includes(b)}>
    <span class="board-option-text"><strong>${boardName(b)}</strong>
      ${has(`boardNote.${b}`) ? html`<span class="board-note" data-testid="board-note">${t(`boardNote.${b}`)}</span>` : ""}
    </span></label>`;
  render(html`
    <form class="search-form card" data-testid="search-form" novalidate>
      <div class="search-main">
        <label class="field grow"><span>${t("search.term")}</span>
          <input type="text" name="term" data-testid="search-term" required maxlength="200" .value=${p.term}
            placeholder=${t("search.termPlaceholder")} autocomplete="off"></label>
        <label class="field grow"><span>${t("search.location")}</span>
          <input type="text" name="location" data-testid="search-location" maxlength="200" .value=${p.location}
            placeholder=${t("search.locationPlaceholder")}></label>
      </div>
      <fieldset class="boards-field">
        <legend class="legend">${t("search.boards")}</legend>
        <div class="board-options">${MAIN_BOARDS.map(boardOption)}</div>
        <details class="more-boards" ?open=${p.boards.some((b) => !MAIN_BOARDS.includes(b))}>
          <summary>${t("search.moreBoards")}</summary>
          <div class="board-options">${BOARDS.filter((b) => !MAIN_BOARDS.includes(b)).map(boardOption)}</div>
        </details>
        ${noBoard ? html`<p class="field-error" role="alert">${t("search.pickBoard")}</p>` : ""}
      </fieldset>
      <div class="search-options">
        <label class="field"><span>${t("search.country")}</span>
          <select name="country" data-testid="search-country">
            ${countries.map((c) => html`<option value=${c} ?selected=${p.country === c}>${has(`country.${c}`) ? t(`country.${c}`) : c}</option>`)}
          </select><span class="hint">${t("search.countryHint")}</span></label>
        <label class="field"><span>${t("search.hoursOld")}</span>
          <select name="hoursOld" data-testid="search-hours">
            <option value="" ?selected=${!p.hoursOld}>${t("search.anyTime")}</option>
            ${HOURS.map((h) => html`<option value=${h} ?selected=${p.hoursOld === h}>${t(`search.hours.${h}`)}</option>`)}
          </select></label>
        <label class="field"><span>${t("search.jobType")}</span>
          <select name="jobType" data-testid="search-job-type">
            <option value="" ?selected=${!p.jobType}>${t("search.anyType")}</option>
            ${JOB_TYPES.map((j) => html`<option value=${j} ?selected=${p.jobType === j}>${t(`jobType.${j}`)}</option>`)}
          </select></label>
        <label class="field"><span>${t("search.results")}</span>
          <input type="number" name="results" data-testid="search-results" min="1" max="1000" step="1"
            .value=${String(p.results)} inputmode="numeric"><span class="hint">${t("search.resultsHint")}</span></label>
        <label class="check remote-check"><input type="checkbox" name="remote" data-testid="search-remote"
          .checked=${!!p.remote}><span>${t("search.remote")}</span></label>
      </div>
      ${error ? html`<p class="field-error" role="alert" data-testid="search-error">${error}</p>` : ""}
      <div class="search-actions">
        <button class="button primary" type="submit" data-testid="search-submit" ?disabled=${busy || noBoard}>
          ${busy ? html`<span class="spinner"></span>` : icon("search")}${t("search.start")}</button>
        <div class="save-inline">
          <label class="visually-hidden" for="save-name">${t("search.saveName")}</label>
          <input id="save-name" type="text" name="saveName" maxlength="120" placeholder=${t("search.saveName")}
            data-testid="save-search-name">
          <button class="button" type="submit" data-action="save" data-testid="save-search" ?disabled=${noBoard}>
            ${t("search.save")}</button>
        </div>
      </div>
    </form>`, form.el);
}
