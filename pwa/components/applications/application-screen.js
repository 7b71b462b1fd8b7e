// The screen for one application (#/application/<id>): loads it (from the
// server, else the replica), and turns the detail's events into edits.
// Stage moves, notes, field edits and contacts and interviews (added, edited,
// removed) work offline, pending until synced.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { mountApplicationDetail, updateApplicationDetail } from "./application-detail.js";
import { limitMessage, lostEditText, stageLabel } from "./app-common.js";

let ctx = null;
let host = null;
let view = null;
let app = null;
let stages = [];
let error = null;
let limitError = null;
let loadingId = null;
let editing = { contact: null, interview: null };
let unsubscribe = null;

function draw() {
  if (!host) return;
  if (error) {
    render(html`<div class="empty card" role="alert"><h2>${t("apps.detail.loadFailed")}</h2><p>${error}</p>
      <a class="button" href="#/applications">${t("apps.detail.back")}</a></div>`, host);
    view = null;
    return;
  }
  if (!app) {
    render(html`<div class="empty" aria-busy="true"><span class="spinner"></span></div>`, host);
    view = null;
    return;
  }
  if (!view) {
    render(html`<div class="limit-slot"></div><section></section>`, host);
    view = mountApplicationDetail(host.querySelector("section"));
  }
  render(limitError ? limitMessage(limitError, null) : html``, host.querySelector(".limit-slot"));
  const tracking = ctx.data.tracking;
  updateApplicationDetail(view, { app, stages, online: ctx.data.online, editing,
    urls: { ics: (id) => tracking.interviewCalendarUrl(app.id, id), calendar: tracking.calendarUrl() } });
}

async function load(id, { quiet = false } = {}) {
  loadingId = id;
  if (!quiet) {
    app = null;
    error = null;
    draw();
  }
  try {
    stages = await ctx.data.tracking.stages();
    const loaded = await ctx.data.tracking.getOne(id);
    if (loadingId !== id) return;
    app = loaded;
    error = null;
    document.title = `${app.title} · ${t("app.name")}`;
  } catch (e) {
    if (loadingId !== id) return;
    if (!quiet || !app) error = e.message;
  }
  draw();
}

async function act(work, done) {
  limitError = null;
  try {
    await work();
    if (done) ctx.toast(done);
  } catch (e) {
    if (ctx.data.tracking.isPlanLimit(e)) limitError = e;
    else ctx.toast(e.message, "error");
  }
  if (app) await load(app.id, { quiet: true });
}

function listen(el) {
  const tracking = () => ctx.data.tracking;
  el.addEventListener("redraw", () => draw());
  el.addEventListener("app-update", (e) => act(() => tracking().update(app.id, e.detail.fields),
    ctx.data.online ? t("apps.detail.saved") : t("apps.detail.savedPending")));
  el.addEventListener("app-event", (e) => {
    const { stage, note, at } = e.detail;
    if (stage && stage === app.stage && !at) return;
    const pending = !ctx.data.online;
    const done = stage ? t(pending ? "apps.movedPending" : "apps.moved", { title: app.title, stage: stageLabel(stage, stages) })
      : t(pending ? "apps.detail.noteAddedPending" : "apps.detail.noteAdded");
    act(() => tracking().addEvent(app.id, { stage, note, at }), done);
  });
  el.addEventListener("people-edit", (e) => {
    editing = { contact: null, interview: null, ...e.detail };
    draw();
    el.querySelector("[data-testid=contact-name], [data-testid=interview-start]")?.focus();
  });
  el.addEventListener("contact-save", (e) => act(async () => {
    await tracking().saveContact(app.id, e.detail.contact);
    editing = { contact: null, interview: null };
  }, ctx.data.online ? t("apps.contact.saved") : t("apps.detail.savedPending")));
  el.addEventListener("contact-remove", (e) => act(() => tracking().removeContact(app.id, e.detail.id),
    t(ctx.data.online ? "apps.contact.removed" : "apps.contact.removedPending", { name: e.detail.name })));
  el.addEventListener("interview-save", (e) => act(async () => {
    await tracking().saveInterview(app.id, e.detail.interview);
    editing = { contact: null, interview: null };
  }, ctx.data.online ? t("apps.interviewForm.saved") : t("apps.detail.savedPending")));
  el.addEventListener("interview-remove", (e) => act(() => tracking().removeInterview(app.id, e.detail.id),
    ctx.data.online ? t("apps.interviewForm.removed") : t("apps.interviewForm.removedPending")));
}

export default {
  mount(el, context) {
    host = el;
    ctx = context;
    view = null;
    editing = { contact: null, interview: null };
    limitError = null;
    listen(el);
    unsubscribe = ctx.data.tracking.subscribe((change) => {
      if (app && change.created?.from === app.id) {  // made offline, now on the server: follow it
        location.replace(`#/application/${change.created.to}`);
        return;
      }
      if (change.error && (!change.ids || change.ids.includes(app?.id))) {
        if (ctx.data.tracking.isPlanLimit(change.error)) limitError = change.error;
        else if (change.lost) ctx.toast(lostEditText(change.lost), "error");
        else ctx.toast(change.error.message, "error");
      }
      if (app && (!change.ids || change.ids.includes(app.id))) load(app.id, { quiet: true });
    });
  },
  update(route) {
    if (app && app.id === route.id) draw();
    else if (loadingId !== route.id || error) load(route.id);
    else draw();
  },
  unmount() {
    unsubscribe?.();
    unsubscribe = null;
    host = null;
    view = null;
    app = null;
    loadingId = null;
    document.title = t("app.name");
  },
};
