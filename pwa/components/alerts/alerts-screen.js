// The Alerts screen: what saved-search alerts found, newest first. Opening
// one (#/alerts/12) lists the new jobs of that run, each linking to the job,
// and marks it read. Offline it shows what this device last knew.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatDateTime, t } from "/i18n/index.js";
import { alertsState, getAlert, markAlertRead, markAllAlertsRead, onAlertsChange, refreshAlerts } from "/data/alerts.js";
import { alertHash, jobHash } from "/lib/router.js";
import { icon } from "../shared/icons.js";
import { askPermission, permission } from "../applications/notify.js";

let ctx = null;
let host = null;
let opened = null;   // {id, detail | null, error}
let off = null;

function notifyControl() {
  const state = permission();
  if (state === "granted") return html`<span class="small muted">${icon("bell")} ${t("alerts.notifyOn")}</span>`;
  if (state === "denied") return html`<span class="small muted">${t("alerts.notifyBlocked")}</span>`;
  if (state === "unsupported") return "";
  return html`<button class="button small" type="button" data-testid="alerts-notify-enable"
    @click=${async () => { await askPermission(); draw(); }}>${icon("bell")} ${t("alerts.notifyEnable")}</button>`;
}

async function read(id) {
  try {
    await markAlertRead(id);
  } catch (err) {
    ctx.toast(err.message, "error");
  }
}

async function readAll() {
  try {
    await markAllAlertsRead();
  } catch (err) {
    ctx.toast(err.message, "error");
  }
}

function row(alert) {
  const current = opened?.id === alert.id;
  return html`<li class="alert-row ${alert.read ? "" : "unread"}" data-testid="alert-row" data-alert-id=${alert.id}
      data-read=${alert.read ? "true" : "false"}>
    <a class="alert-link" href=${alertHash(alert.id)} aria-current=${current ? "true" : "false"}>
      <strong>${alert.searchName}</strong>
      <span>${t("alerts.found", { count: alert.newPostings })}</span>
      <time class="small muted" datetime=${alert.createdAt} title=${formatDateTime(alert.createdAt)}>
        ${formatAgo(alert.createdAt)}</time>
    </a>
    ${alert.read ? html`<span class="small muted">${t("alerts.isRead")}</span>`
      : html`<button class="button small ghost" type="button" data-testid="alert-mark-read"
          aria-label=${t("alerts.markReadLabel", { name: alert.searchName })}
          @click=${() => read(alert.id)}>${t("alerts.markRead")}</button>`}
  </li>`;
}

function detail() {
  if (!opened) return "";
  if (opened.error) return html`<section class="card alert-detail"><p class="muted">${opened.error}</p></section>`;
  const found = opened.detail;
  if (!found) return html`<section class="card alert-detail" aria-busy="true"><p class="muted">${t("alerts.loading")}</p></section>`;
  const { alert, jobs } = found;
  return html`<section class="card alert-detail" data-testid="alert-detail" data-alert-id=${alert.id}>
    <h2>${t("alerts.jobsTitle", { name: alert.searchName })}</h2>
    <p class="small muted">${t("alerts.foundAt", { when: formatDateTime(alert.createdAt), count: alert.newPostings })}</p>
    ${jobs.length ? html`<ul class="alert-jobs">${jobs.map((job) => html`
      <li data-testid="alert-job" data-job-id=${job.id}>
        <a href=${jobHash(job.id)}><strong>${job.title}</strong></a>
        <span class="small muted">${[job.company, job.location].filter(Boolean).join(" · ")}</span>
      </li>`)}</ul>`
      : html`<p class="muted small">${t("alerts.noJobsLeft")}</p>`}
  </section>`;
}

function draw() {
  if (!host) return;
  const { items, unread, offline, loaded } = alertsState();
  render(html`<section class="alerts-screen" data-testid="alerts-screen">
    <div class="page-head alerts-head">
      <div><h1>${t("alerts.title")}</h1><p>${t("alerts.lead")}</p></div>
      <div class="alerts-actions">
        ${notifyControl()}
        ${unread ? html`<button class="button small" type="button" data-testid="alerts-read-all"
          ?disabled=${offline} @click=${readAll}>${t("alerts.readAll")}</button>` : ""}
      </div>
    </div>
    ${offline ? html`<p class="muted small" role="status" data-testid="alerts-offline">${t("alerts.offline")}</p>` : ""}
    <div class="alerts-layout">
      ${!loaded ? html`<p class="muted">${t("alerts.loading")}</p>`
        : items.length ? html`<ul class="alert-list card" data-testid="alert-list">${items.map(row)}</ul>`
        : html`<div class="card alerts-empty" data-testid="alerts-empty"><p>${t("alerts.empty")}</p>
            <a class="button small" href="#/search">${t("alerts.toSearch")}</a></div>`}
      ${detail()}
    </div>
  </section>`, host);
}

async function open(id) {
  if (opened?.id === id && opened.detail) return;
  opened = { id, detail: null, error: null };
  draw();
  try {
    const detail = await getAlert(id);
    if (opened?.id !== id) return;
    opened = detail ? { id, detail, error: null } : { id, detail: null, error: t("alerts.offlineUnknown") };
    if (detail && !detail.offline && !detail.alert.read) await read(id);
  } catch (err) {
    if (opened?.id === id) opened = { id, detail: null, error: err.message };
  }
  draw();
}

export default {
  mount(el, context) {
    ctx = context;
    host = el;
    off = onAlertsChange(draw);
    refreshAlerts().catch((err) => ctx.toast(err.message, "error"));
  },
  update(route) {
    if (route.id) open(route.id);
    else opened = null;
    draw();
  },
  unmount() {
    off?.();
    off = null;
    host = null;
    opened = null;
  },
};
