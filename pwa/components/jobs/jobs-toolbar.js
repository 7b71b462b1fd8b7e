// Above the list: the full-text box, status chips, sort, the Filters toggle and the count.
// Emits "query-change" with the changed fields, and "filters-toggle".
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { STATUS_FILTERS, SORTS, activeFilterCount } from "/lib/query.js";
import { emit } from "../shared/emit.js";
import { icon } from "../shared/icons.js";

export function mountJobsToolbar(el) {
  const bar = { el, timer: 0 };
  el.classList.add("jobs-toolbar");
  el.addEventListener("input", (event) => {
    if (!event.target.matches("[data-testid=job-search-input]")) return;
    clearTimeout(bar.timer);
    const q = event.target.value;
    bar.timer = setTimeout(() => emit(el, "query-change", { q }), 250);
  });
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(bar.timer);
    emit(el, "query-change", { q: el.querySelector("[data-testid=job-search-input]").value });
  });
  return bar;
}

/** props: {query, total, loaded, filtersOpen}. */
export function updateJobsToolbar(bar, { query, total, loaded, hasMore, filtersOpen }) {
  const active = activeFilterCount(query);
  const count = total ?? loaded;
  // "Best match" means nothing without search text: the list is then newest
  // first (toListParams asks for that), and the select says so.
  const searching = Boolean(query.q.trim());
  const sorts = searching ? SORTS : SORTS.filter((s) => s !== "relevance");
  const sort = !searching && query.sort === "relevance" ? "newest" : query.sort;
  render(html`
    <form class="jobs-search" role="search">
      <label class="visually-hidden" for="job-q">${t("jobs.searchLabel")}</label>
      ${icon("search", "icon search-icon")}
      <input id="job-q" type="search" data-testid="job-search-input" .value=${query.q}
        placeholder=${t("jobs.searchPlaceholder")} autocomplete="off" enterkeyhint="search">
    </form>
    <div class="jobs-controls">
      <div class="chips" role="group" aria-label=${t("jobs.statusLabel")}>
        ${STATUS_FILTERS.map((s) => html`<button type="button" class="chip" data-testid="status-chip" data-status=${s}
          aria-pressed=${query.status === s ? "true" : "false"}
          @click=${() => emit(bar.el, "query-change", { status: s })}>${t(`statusFilter.${s}`)}</button>`)}
      </div>
      <div class="jobs-tools">
        <button type="button" class="button small filters-button" data-testid="filters-toggle"
          aria-expanded=${filtersOpen ? "true" : "false"} aria-controls="job-filters"
          @click=${() => emit(bar.el, "filters-toggle")}>
          ${icon("filter")}${t("jobs.filters")}${active ? html`<span class="count-pill">${active}</span>` : ""}
        </button>
        <label class="sort">
          <span class="visually-hidden">${t("jobs.sortLabel")}</span>
          <select data-testid="sort-select" @change=${(e) => emit(bar.el, "query-change", { sort: e.target.value })}>
            ${sorts.map((s) => html`<option value=${s} .selected=${sort === s}>${t(`sort.${s}`)}</option>`)}
          </select>
        </label>
      </div>
    </div>
    <p class="jobs-count" data-testid="job-count" aria-live="polite">${count === null || count === undefined ? ""
      : t(hasMore && total == null ? "jobs.countMore" : "jobs.count", { count })}</p>`, bar.el);
}
