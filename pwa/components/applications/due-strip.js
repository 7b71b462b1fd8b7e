// The "Due" strip: follow-ups due, interviews coming, and applications gone
// quiet that the user may mark as ghosted (a suggestion: only the user's own
// confirmed click moves anything). On Free it shows what Pro reminders would
// say, counted from the user's own applications. Emits "mark-ghosted" {id,
// title} and "notify-enable".
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatDate, formatDateTime, t } from "/i18n/index.js";
import { applicationHash } from "/lib/router.js";
import { emit } from "../shared/emit.js";
import { appIcon, nextInterview } from "./app-common.js";
import { permission } from "./notify.js";

export function mountDueStrip(el) {
  el.classList.add("due-strip");
  el.setAttribute("data-testid", "due-strip");
  return { el, confirming: null, props: null };
}

/** What Pro would remind about, from the replica: real numbers, never examples. */
export function localCounts(items, now = Date.now()) {
  const week = now + 7 * 24 * 3600 * 1000;
  let due = 0;
  let interviews = 0;
  for (const app of items) {
    if (app.active && app.followUpAt && Date.parse(app.followUpAt) <= now) due += 1;
    const next = nextInterview(app, now);
    if (next && Date.parse(next.startsAt) <= week) interviews += 1;
  }
  return { due, interviews };
}

function notifyButton(el) {
  const state = permission();
  if (state === "unsupported") return "";
  if (state === "granted") return html`<span class="small muted notify-on">${appIcon("bell")}${t("apps.notify.on")}</span>`;
  if (state === "denied") return html`<span class="small muted">${t("apps.notify.blocked")}</span>`;
  return html`<button class="button small" type="button" data-testid="notify-enable"
    @click=${() => emit(el, "notify-enable")}>${appIcon("bell")}${t("apps.notify.enable")}</button>`;
}

function upsell(view, { items, usage }) {
  const counts = localCounts(items);
  const parts = [];
  if (counts.due) parts.push(t("apps.pro.followUps", { count: counts.due }));
  if (counts.interviews) parts.push(t("apps.pro.interviews", { count: counts.interviews }));
  return html`<div class="due-upsell" data-testid="pro-upsell">
    <span class="due-icon">${appIcon("bell")}</span>
    <div>
      <p class="due-title">${parts.length ? parts.join(" · ") : t("apps.pro.nothingDue")}</p>
      <p class="small muted">${t("apps.pro.reminders")}${usage && !usage.unlimited ? html` ${t("apps.pro.limit", { limit: usage.limit })}` : ""}</p>
    </div>
    <a class="button small" href="#/settings">${appIcon("lock")}${t("apps.pro.see")}</a>
  </div>`;
}

function ghostItem(view, g) {
  const asking = view.confirming === g.applicationId;
  return html`<li class="due-item ghost" data-testid="due-ghost" data-app-id=${g.applicationId}>
    <span class="due-kind">${appIcon("ghost")}</span>
    <span class="due-text"><a href=${applicationHash(g.applicationId)}>${g.title}</a>
      <span class="muted">${g.company ? html`${g.company} · ` : ""}${t("apps.due.quiet", { count: g.idleDays })}</span></span>
    ${asking ? html`<span class="due-actions" role="group" aria-label=${t("apps.due.confirmLabel", { title: g.title })}>
        <button class="button small danger" type="button" data-testid="mark-ghosted-confirm"
          @click=${() => { view.confirming = null; emit(view.el, "mark-ghosted", { id: g.applicationId, title: g.title }); }}>
          ${t("apps.due.confirmGhosted")}</button>
        <button class="button small ghost" type="button" @click=${() => { view.confirming = null; draw(view); }}>${t("common.cancel")}</button>
      </span>`
      : html`<button class="button small" type="button" data-testid="mark-ghosted"
        @click=${() => { view.confirming = g.applicationId; draw(view); view.el.querySelector("[data-testid=mark-ghosted-confirm]")?.focus(); }}>
        ${t("apps.due.markGhosted")}</button>`}
  </li>`;
}

function draw(view) {
  const { reminders, proOff, items, usage } = view.props;
  if (proOff) {
    render(upsell(view, { items, usage }), view.el);
    return;
  }
  if (!reminders) {
    render(html``, view.el);
    return;
  }
  const titles = new Map(items.map((a) => [a.id, a]));
  const total = reminders.due.length + reminders.interviews.length + reminders.ghosted.length;
  render(html`
    <div class="due-head">
      <h2 class="due-heading">${appIcon("bell")}${t("apps.due.title")}<span class="due-total">${total}</span></h2>
      ${notifyButton(view.el)}
    </div>
    ${total ? html`<ul class="due-list">
      ${reminders.due.map((f) => html`<li class="due-item due" data-testid="due-followup" data-app-id=${f.applicationId}>
        <span class="due-kind">${appIcon("bell")}</span>
        <span class="due-text"><a href=${applicationHash(f.applicationId)}>${f.title}</a>
          <span class="muted">${f.company ? html`${f.company} · ` : ""}${t("apps.due.followUp", { when: formatAgo(f.followUpAt) })}</span></span>
      </li>`)}
      ${reminders.interviews.map((i) => html`<li class="due-item interview" data-testid="due-interview" data-app-id=${i.applicationId}>
        <span class="due-kind">${appIcon("calendar")}</span>
        <span class="due-text"><a href=${applicationHash(i.applicationId)}>${titles.get(i.applicationId)?.title || t("apps.interview")}</a>
          <span class="muted">${t("apps.due.interview", { when: formatDateTime(i.startsAt) })}</span></span>
      </li>`)}
      ${reminders.ghosted.map((g) => ghostItem(view, g))}
    </ul>` : html`<p class="small muted due-none">${t("apps.due.none", { date: formatDate(new Date()) })}</p>`}
  `, view.el);
}

/** props: {reminders, proOff, items, usage} */
export function updateDueStrip(view, props) {
  view.props = props;
  draw(view);
}
