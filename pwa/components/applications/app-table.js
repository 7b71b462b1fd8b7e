// The table: every application in one sortable list, for people with
// hundreds of them. Column headers sort (again: the other way). Emits
// "apps-sort" {key}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatDate, t } from "/i18n/index.js";
import { applicationHash } from "/lib/router.js";
import { emit } from "../shared/emit.js";
import { appliedAt, excitementStars, stageBadge } from "./app-common.js";

export const COLUMNS = ["title", "company", "stage", "excitement", "applied", "activity", "followUp"];

/** The value a column sorts by (null sorts last whichever the direction). */
export function sortValue(app, key, stages) {
  switch (key) {
    case "title": return app.title?.toLocaleLowerCase() ?? null;
    case "company": return app.company?.toLocaleLowerCase() || null;
    case "stage": return stages.findIndex((s) => s.key === app.stage);
    case "excitement": return app.excitement ?? null;
    case "applied": return appliedAt(app, stages) ? Date.parse(appliedAt(app, stages)) : null;
    case "activity": return Date.parse(app.lastActivityAt);
    case "followUp": return app.followUpAt ? Date.parse(app.followUpAt) : null;
    default: return null;
  }
}

export function sortApps(items, { key, dir }, stages) {
  const sign = dir === "asc" ? 1 : -1;
  const keyed = items.map((app) => [sortValue(app, key, stages), app]);
  keyed.sort(([a], [b]) => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    return (a < b ? -1 : 1) * sign;
  });
  return keyed.map(([, app]) => app);
}

export function mountTable(el) {
  el.classList.add("apps-table-wrap");
  return { el };
}

/** props: {items (already sorted), stages, sort: {key, dir}} */
export function updateTable(view, { items, stages, sort }) {
  const now = Date.now();
  const head = (key) => {
    const active = sort.key === key;
    return html`<th scope="col" aria-sort=${active ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" class="sort-button" data-testid="apps-sort" data-key=${key}
        @click=${() => emit(view.el, "apps-sort", { key })}>${t(`apps.col.${key}`)}<span class="sort-mark" aria-hidden="true">${
          active ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}</span></button></th>`;
  };
  render(html`<table class="apps-table" data-testid="apps-table">
    <caption class="visually-hidden">${t("apps.tableCaption", { count: items.length })}</caption>
    <thead><tr>${COLUMNS.map(head)}</tr></thead>
    <tbody>${items.map((app) => {
      const applied = appliedAt(app, stages);
      const due = app.followUpAt && app.active && Date.parse(app.followUpAt) <= now;
      return html`<tr data-testid="app-table-row" data-app-id=${app.id} data-stage=${app.stage}>
        <th scope="row" class="cell-title"><a href=${applicationHash(app.id)}>${app.title}</a></th>
        <td>${app.company || html`<span class="muted">—</span>`}</td>
        <td>${stageBadge(app.stage, stages, { pending: app.pending })}</td>
        <td>${excitementStars(app.excitement) || html`<span class="muted">—</span>`}</td>
        <td>${applied ? formatDate(applied) : html`<span class="muted">—</span>`}</td>
        <td>${formatAgo(app.lastActivityAt)}</td>
        <td class=${due ? "is-due" : ""}>${app.followUpAt ? formatDate(app.followUpAt) : html`<span class="muted">—</span>`}</td>
      </tr>`;
    })}</tbody>
  </table>`, view.el);
}
