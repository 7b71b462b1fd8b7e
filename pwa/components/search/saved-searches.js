// Saved searches: what each asks for, when it last ran and how many new
// postings that found; run again, load into the form, delete; its alert
// (Pro): how often JobDeck re-runs it and what happened last.
// Emits "saved-run" {id}, "saved-use" {search}, "saved-delete" {id},
// "saved-alert" {id, everyHours, enabled}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatDateTime, has, t } from "/i18n/index.js";
import { ALERT_FREQUENCIES } from "/data/alerts.js";
import { boardName } from "../shared/badges.js";
import { emit } from "../shared/emit.js";
import { icon } from "../shared/icons.js";

export function mountSavedSearches(el) {
  el.classList.add("saved-searches");
  return { el };
}

function summary(params) {
  return [params.term, params.location, params.boards.map(boardName).join(", ")].filter(Boolean).join(" · ");
}

function skipText(reason) {
  return has(`saved.alert.skip.${reason}`) ? t(`saved.alert.skip.${reason}`) : t("saved.alert.skip.other");
}

/** What the alert did last: paused by the license, failing, or when it checks next. */
function alertStatus(alert) {
  if (!alert?.enabled) return "";
  if (alert.skippedReason) {
    return html`<p class="small saved-alert-status warn" data-testid="saved-alert-status" data-state="skipped">
      ${t("saved.alert.skipped", { why: skipText(alert.skippedReason) })}</p>`;
  }
  if (alert.failures) {
    return html`<p class="small saved-alert-status warn" data-testid="saved-alert-status" data-state="failing">
      ${t("saved.alert.failing", { count: alert.failures, error: alert.lastError || "" })}
      ${t("saved.alert.next", { when: formatDateTime(alert.nextDueAt) })}</p>`;
  }
  return html`<p class="small muted saved-alert-status" data-testid="saved-alert-status" data-state="on">
    ${t("saved.alert.next", { when: formatDateTime(alert.nextDueAt) })}</p>`;
}

/** The alert control. `allowed`: the license's "alerts" decision ({on, reason}), null while unknown. */
function alertControl(el, s, allowed) {
  const on = !!s.alert?.enabled;
  const locked = allowed && !allowed.on;
  const choose = (event) => {
    const hours = Number(event.target.value);
    emit(el, "saved-alert", { id: s.id, everyHours: hours || s.alert?.everyHours || ALERT_FREQUENCIES[0], enabled: hours > 0 });
  };
  return html`<div class="saved-alert" data-testid="saved-alert">
    <label class="saved-alert-field small">${icon("bell")}<span>${t("saved.alert.label")}</span>
      <select data-testid="saved-alert-select" aria-label=${t("saved.alert.labelFor", { name: s.name })}
        ?disabled=${locked && !on} @change=${choose}>
        <option value="0" ?selected=${!on}>${t("saved.alert.off")}</option>
        ${ALERT_FREQUENCIES.map((hours) => html`<option value=${hours} ?selected=${on && s.alert.everyHours === hours}
          ?disabled=${locked}>${t(`saved.alert.every.${hours}`)}</option>`)}
      </select></label>
    ${locked && !on ? html`<p class="small muted" data-testid="saved-alert-pro">${icon("lock")}
      ${t("saved.alert.pro")} <a href="#/settings">${t("saved.alert.seePro")}</a></p>` : alertStatus(s.alert)}
  </div>`;
}

/** props: {searches: SavedSearch[] from the API, running: a run is in progress,
 *  alerts: the license's decision on "alerts" ({on, reason}) or null while unknown}. */
export function updateSavedSearches(view, { searches, running, alerts = null }) {
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
        ${alertControl(el, s, alerts)}
      </li>`)}</ul>`}`, el);
}
