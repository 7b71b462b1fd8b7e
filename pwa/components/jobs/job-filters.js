// The filter panel: boards, job types, remote, posting age, salary and place,
// each option with its count under the other filters (facets from the server).
// Below them, the advanced filters (Pro), or with Free what they would add,
// counted from the user's own jobs. Emits "query-change" with the changed fields.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatNumber, t } from "/i18n/index.js";
import { MIN_RATINGS, POSTED_DAYS, DEFAULT_QUERY, activeFilterCount, advancedFilters, toggle } from "/lib/query.js";
import { BOARDS, boardName } from "../shared/badges.js";
import { emit } from "../shared/emit.js";

const JOB_TYPES = ["fulltime", "parttime", "contract", "temporary", "internship"];
const SHOWN_LEVELS = 8;
const SHOWN_INDUSTRIES = 12;
const NO_ADVANCED = { titleOnly: false, exclude: "", levels: [], industries: [], minRating: null, directApply: false };

export function mountJobFilters(el) {
  el.classList.add("job-filters");
  el.id = "job-filters";
  el.setAttribute("data-testid", "filters-panel");
  return { el };
}

function count(n) {
  return n ? html`<span class="facet-count">${formatNumber(n)}</span>` : "";
}

/** A checkbox per value the store holds (job data, so never translated), chosen ones first. */
function valueChecks(values, chosen, shown, testid, onToggle) {
  const listed = values.slice(0, shown).map((o) => o.value);
  const all = [...chosen.filter((v) => !listed.includes(v)).map((value) => ({ value, jobs: 0 })), ...values.slice(0, shown)];
  return all.map((o) => html`<label class="check" data-testid=${testid} data-value=${o.value}>
    <input type="checkbox" .checked=${chosen.includes(o.value)} @change=${() => onToggle(o.value)}>
    <span class="facet-name" translate="no">${o.value}</span>${count(o.jobs)}</label>`);
}

function advancedSection(query, options, change) {
  const used = advancedFilters(query).length;
  const head = html`<legend class="legend">${t("filters.advanced.title")} <span class="badge pro">${t("filters.advanced.badge")}</span></legend>`;
  if (!options) {
    return html`<fieldset class="facet advanced" data-testid="advanced-filters">${head}
      <p class="muted small">${t("filters.advanced.unavailable")}</p></fieldset>`;
  }
  if (!options.access.on) {
    return html`<fieldset class="facet advanced" data-testid="advanced-filters" data-on="false">${head}
      <p class="small" data-testid="advanced-pitch">${t("filters.advanced.pitch", {
        levels: formatNumber(options.levels.length), industries: formatNumber(options.industries.length),
        direct: formatNumber(options.directApply) })}</p>
      <div class="row">
        <a class="button small primary" href="#/settings" data-testid="advanced-upgrade">${t("filters.advanced.upgrade")}</a>
        ${used ? html`<button type="button" class="button small ghost" data-testid="advanced-clear"
          @click=${() => change(NO_ADVANCED)}>${t("filters.advanced.clear")}</button>` : ""}
      </div></fieldset>`;
  }
  return html`<fieldset class="facet advanced" data-testid="advanced-filters" data-on="true">${head}
    ${options.offline ? html`<p class="hint small muted" data-testid="advanced-offline-note">
      ${t("filters.advanced.offlineApplied")}</p>` : ""}
    <label class="check"><input type="checkbox" data-testid="title-only" .checked=${query.titleOnly}
      @change=${(e) => change({ titleOnly: e.target.checked })}><span>${t("filters.advanced.titleOnly")}</span></label>
    <label class="field"><span>${t("filters.advanced.exclude")}</span>
      <input type="text" data-testid="exclude-filter" maxlength="500" .value=${query.exclude}
        placeholder=${t("filters.advanced.excludePlaceholder")} aria-describedby="exclude-hint"
        @change=${(e) => change({ exclude: e.target.value.trim() })}></label>
    <p class="hint small muted" id="exclude-hint">${t("filters.advanced.excludeHint")}</p>
    ${options.levels.length ? html`<div class="sub-facet"><span class="legend">${t("filters.advanced.levels")}</span>
      ${valueChecks(options.levels, query.levels, SHOWN_LEVELS, "level-filter",
        (v) => change({ levels: toggle(query.levels, v) }))}</div>` : ""}
    ${options.industries.length ? html`<div class="sub-facet"><span class="legend">${t("filters.advanced.industries")}</span>
      ${valueChecks(options.industries, query.industries, SHOWN_INDUSTRIES, "industry-filter",
        (v) => change({ industries: toggle(query.industries, v) }))}</div>` : ""}
    <label class="field"><span>${t("filters.advanced.rating")}</span>
      <select data-testid="rating-filter" @change=${(e) => change({ minRating: Number(e.target.value) || null })}>
        <option value="" ?selected=${!query.minRating}>${t("filters.advanced.ratingAny")}</option>
        ${MIN_RATINGS.map((r) => html`<option value=${r} ?selected=${query.minRating === r}>
          ${t("filters.advanced.ratingAtLeast", { rating: formatNumber(r) })}</option>`)}
      </select></label>
    <label class="check"><input type="checkbox" data-testid="direct-apply" .checked=${query.directApply}
      @change=${(e) => change({ directApply: e.target.checked })}><span>${t("filters.advanced.directApply")}</span>
      ${count(options.directApply)}</label>
  </fieldset>`;
}

/** props: {query, facets, open, options}: facets {boards, jobTypes, remote} may be null (then no counts);
 * options: GET /api/v1/jobs/filter-options (offline: from the replica, `offline` true), or null. */
export function updateJobFilters(panel, { query, facets, open, options = null }) {
  const { el } = panel;
  el.classList.toggle("open", !!open);
  const change = (patch) => emit(el, "query-change", patch);
  const f = facets || {};
  const boards = BOARDS.filter((b) => f.boards?.[b] || query.boards.includes(b) || !facets);
  const types = JOB_TYPES.filter((j) => f.jobTypes?.[j] || query.types.includes(j) || !facets);
  // Facets count the jobs under the other filters: none may be left although the store has boards.
  const narrowed = Boolean(query.q.trim() || query.status !== "all" || activeFilterCount(query));
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
        : html`<p class="muted small" data-testid="facet-none">${t(narrowed ? "filters.noneMatch" : "filters.none")}</p>`}
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
    </label>
    ${advancedSection(query, options, change)}`, el);
}
