// The filter panel: boards, job types, remote, posting age, salary and place,
// each option with its count under the other filters (facets from the server).
// Emits "query-change" with the changed fields.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatNumber, t } from "/i18n/index.js";
import { POSTED_DAYS, DEFAULT_QUERY, activeFilterCount, toggle } from "/lib/query.js";
import { BOARDS, boardName } from "../shared/badges.js";
import { emit } from "../shared/emit.js";

const JOB_TYPES = ["fulltime", "parttime", "contract", "temporary", "internship"];

export function mountJobFilters(el) {
  el.classList.add("job-filters");
  el.id = "job-filters";
  el.setAttribute("data-testid", "filters-panel");
  return { el };
}

function count(n) {
  return n ? html`<span class="facet-count">${formatNumber(n)}</span>` : "";
}

/** props: {query, facets, open}: facets {boards, jobTypes, remote} may be null (then no counts). */
export function updateJobFilters(panel, { query, facets, open }) {
  const { el } = panel;
  el.classList.toggle("open", !!open);
  const change = (patch) => emit(el, "query-change", patch);
  const f = facets || {};
  const boards = BOARDS.filter((b) => f.boards?.[b] || query.boards.includes(b) || !facets);
  const types = JOB_TYPES.filter((j) => f.jobTypes?.[j] || query.types.includes(j) || !facets);
  const remoteValue = query.remote === null ? "any" : query.remote ? "remote" : "onsite";
  const numberValue = (value) => (value === "" ? null : Math.max(0, Number(value)) || null);
  render(html`
    <div class="filters-head">
      <h2>${t("filters.title")}</h2>
      ${activeFilterCount(query) ? html`<button type="button" class="button small ghost" data-testid="clear-filters"
        @click=${() => change({ ...DEFAULT_QUERY, q: query.q, status: query.status, sort: query.sort })}>
        ${t("filters.clear")}</button>` : ""}
    </div>
    <fieldset class="facet">
      <legend class="legend">${t("filters.boards")}</legend>
      ${boards.length ? boards.map((b) => html`<label class="check" data-testid="facet-board" data-board=${b}>
        <input type="checkbox" .checked=${query.boards.includes(b)}
          @change=${() => change({ boards: toggle(query.boards, b) })}>
        <span class="facet-name">${boardName(b)}</span>${count(f.boards?.[b])}</label>`)
        : html`<p class="muted small">${t("filters.none")}</p>`}
    </fieldset>
    <fieldset class="facet">
      <legend class="legend">${t("filters.remote")}</legend>
      ${["any", "remote", "onsite"].map((r) => html`<label class="check" data-testid="remote-filter" data-value=${r}>
        <input type="radio" name="remote" .checked=${remoteValue === r}
          @change=${() => change({ remote: r === "any" ? null : r === "remote" })}>
        <span class="facet-name">${t(`filters.remote.${r}`)}</span>${r === "any" ? "" : count(f.remote?.[r])}</label>`)}
    </fieldset>
    ${types.length ? html`<fieldset class="facet">
      <legend class="legend">${t("filters.jobType")}</legend>
      ${types.map((j) => html`<label class="check" data-testid="facet-type" data-type=${j}>
        <input type="checkbox" .checked=${query.types.includes(j)}
          @change=${() => change({ types: toggle(query.types, j) })}>
        <span class="facet-name">${t(`jobType.${j}`)}</span>${count(f.jobTypes?.[j])}</label>`)}
    </fieldset>` : ""}
    <label class="field facet">
      <span>${t("filters.posted")}</span>
      <select data-testid="posted-filter" @change=${(e) => change({ posted: Number(e.target.value) || null })}>
        <option value="" ?selected=${!query.posted}>${t("filters.posted.any")}</option>
        ${POSTED_DAYS.map((d) => html`<option value=${d} ?selected=${query.posted === d}>
          ${t("filters.posted.days", { count: d })}</option>`)}
      </select>
    </label>
    <fieldset class="facet">
      <legend class="legend">${t("filters.salary")}</legend>
      <label class="check"><input type="checkbox" data-testid="has-salary" .checked=${query.hasSalary}
        @change=${(e) => change({ hasSalary: e.target.checked })}><span>${t("filters.hasSalary")}</span></label>
      <div class="salary-inputs">
        <label class="field"><span>${t("filters.salaryMin")}</span>
          <input type="number" min="0" step="1000" inputmode="numeric" data-testid="salary-min"
            .value=${query.salaryMin ?? ""} @change=${(e) => change({ salaryMin: numberValue(e.target.value) })}></label>
        <label class="field"><span>${t("filters.currency")}</span>
          <input type="text" maxlength="3" autocapitalize="characters" placeholder=${t("filters.currencyPlaceholder")}
            .value=${query.currency} @change=${(e) => change({ currency: e.target.value.trim().toUpperCase() })}></label>
      </div>
      <p class="hint small muted">${t("filters.salaryHint")}</p>
    </fieldset>
    <label class="field facet">
      <span>${t("filters.location")}</span>
      <input type="text" data-testid="location-filter" .value=${query.location}
        placeholder=${t("filters.locationPlaceholder")} @change=${(e) => change({ location: e.target.value.trim() })}>
    </label>`, el);
}
