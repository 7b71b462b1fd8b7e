// Saved searches: what each asks for, when it last ran and how many new
// postings that found; run again, load into the form, delete.
// Emits "saved-run" {id}, "saved-use" {search}, "saved-delete" {id}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, t } from "/i18n/index.js";
import { boardName } from "../shared/badges.js";
import { emit } from "../shared/emit.js";

export function mountSavedSearches(el) {
  el.classList.add("saved-searches");
  return { el };
}

function summary(params) {
  return [params.term, params.location, params.boards.map(boardName).join(", ")].filter(Boolean).join(" · ");
}

/** props: {searches: SavedSearch[] from the API, running: a run is in progress}. */
export function updateSavedSearches(view, { searches, running }) {
  const { el } = view;
  render(html`
    <h2>${t("saved.title")}</h2>
    ${!searches.length ? html`<p class="muted small saved-empty">${t("saved.empty")}</p>` : html`
    <ul class="saved-list">${searches.map((s) => html`
      <li class="saved-item" data-testid="saved-search" data-id=${s.id}>
        <div class="saved-text">
          <div class="saved-name"><strong>${s.name}</strong>
            ${s.newInLastRun ? html`<span class="badge status-new" data-testid="saved-search-new">
              ${t("saved.new", { count: s.newInLastRun })}</span>` : ""}</div>
          <p class="small muted">${summary(s.params)}</p>
          <p class="small muted">${s.lastRun ? t("saved.lastRun", { when: formatAgo(s.lastRun.createdAt),
            found: s.lastRun.found }) : t("saved.never")}</p>
        </div>
        <div class="saved-actions">
          <button class="button small primary" type="button" data-testid="saved-search-run" ?disabled=${running}
            @click=${() => emit(el, "saved-run", { id: s.id })}>${t("saved.run")}</button>
          <button class="button small" type="button" @click=${() => emit(el, "saved-use", { search: s })}>
            ${t("saved.use")}</button>
          <button class="button small ghost danger" type="button" data-testid="saved-search-delete"
            aria-label=${t("saved.deleteLabel", { name: s.name })}
            @click=${() => emit(el, "saved-delete", { id: s.id })}>${t("saved.delete")}</button>
        </div>
      </li>`)}</ul>`}`, el);
}
