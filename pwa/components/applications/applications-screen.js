// The Applications screen: what is due, the board (or the table), a form to
// add an application by hand, the funnel, and import/export. Reads the
// replica through ctx.data.tracking, so it opens offline; moves made offline
// wait in the outbox and show as pending.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { keep, kept } from "/lib/kept.js";
import { icon } from "../shared/icons.js";
import { appIcon, limitMessage, limitText, lostEditText, stageLabel } from "./app-common.js";
import { mountBoard, updateBoard } from "./app-board.js";
import { mountTable, sortApps, updateTable } from "./app-table.js";
import { mountDueStrip, updateDueStrip } from "./due-strip.js";
import { mountFunnel, updateFunnel } from "./funnel-panel.js";
import { mountImportPanel, updateImportPanel } from "./import-panel.js";
import { mountStageEditor, updateStageEditor } from "./stage-editor.js";
import { askPermission, messages, notifyOnce } from "./notify.js";

const URL_HINT = "https://";
const VIEW_KEY = "jobdeck.apps.view";
const FOLD_KEY = "jobdeck.apps.folded";

let ctx = null;
let host = null;
let parts = null;
let state = null;
let unsubscribe = null;
let generation = 0;

function fresh() {
  return { stages: [], items: [], loading: true, error: null, offline: false, usage: null, reminders: null,
    proOff: false, funnel: null, funnelError: null, view: kept(VIEW_KEY, "board") === "table" ? "table" : "board",
    q: "", stage: "", activeOnly: false, sort: { key: "activity", dir: "desc" }, folded: null, addOpen: false,
    addError: null, adding: false, announce: "", importPreview: null, importResult: null, importError: null,
    importOffer: null, importBusy: false, stagesBusy: false, stagesError: null };
}

async function load() {
  const mine = ++generation;
  try {
    const tracking = ctx.data.tracking;
    const stages = await tracking.stages();
    const { items, offline } = await tracking.list();
    if (mine !== generation || !state) return;
    Object.assign(state, { stages, items, offline, loading: false, error: null });
    if (!state.folded) state.folded = new Set(kept(FOLD_KEY, stages.filter((s) => s.terminal).map((s) => s.key)));
  } catch (error) {
    if (mine !== generation || !state) return;
    Object.assign(state, { loading: false, error: error.message });
  }
  draw();
  if (!state.offline) loadServerParts(mine);
}

// Usage, reminders and the funnel come from the server only; offline the last ones stay.
async function loadServerParts(mine) {
  const tracking = ctx.data.tracking;
  const [usage, reminders, funnel] = await Promise.allSettled([tracking.usage(), tracking.reminders(), tracking.funnel()]);
  if (mine !== generation || !state) return;
  if (usage.status === "fulfilled") state.usage = usage.value;
  if (reminders.status === "fulfilled") {
    state.reminders = reminders.value;
    state.proOff = false;
    notifyOnce(messages(reminders.value, new Map(state.items.map((a) => [a.id, a.title]))));
  } else if (tracking.isPlanLimit(reminders.reason)) {
    state.proOff = true;
  }
  if (funnel.status === "fulfilled") state.funnel = funnel.value;
  else if (!tracking.isPlanLimit(funnel.reason)) state.funnelError = funnel.reason.message;
  draw();
}

function visibleItems() {
  const q = state.q.trim().toLocaleLowerCase();
  return state.items.filter((app) => (!q || `${app.title} ${app.company || ""} ${(app.tags || []).join(" ")}`.toLocaleLowerCase().includes(q))
    && (state.view === "board" || !state.stage || app.stage === state.stage)
    && (state.view === "board" || !state.activeOnly || app.active));
}

async function moveApp({ id, stage, title }) {
  const label = stageLabel(stage, state.stages);
  try {
    await ctx.data.tracking.addEvent(id, { stage });
    const offline = !ctx.data.online;
    state.announce = t(offline ? "apps.movedPending" : "apps.moved", { title, stage: label });
  } catch (error) {
    state.announce = error.message;
    ctx.toast(error.message, "error");
  }
  draw();
}

async function addByHand(form) {
  const data = new FormData(form);
  const fields = {};
  for (const key of ["title", "company", "url", "description", "stage"]) {
    const value = String(data.get(key) || "").trim();
    if (value) fields[key] = value;
  }
  state.adding = true;
  state.addError = null;
  draw();
  try {
    const app = await ctx.data.tracking.create(fields);
    form.reset();
    state.addOpen = false;
    ctx.toast(t(app.pending ? "apps.addedOffline" : "apps.added", { title: app.title }));
  } catch (error) {
    state.addError = error;
  }
  state.adding = false;
  draw();
  if (state.addError) host.querySelector("[data-testid=apps-limit], .add-form .field-error")?.focus?.();
}

function addForm() {
  if (!state.addOpen) return "";
  const open = state.stages.filter((s) => !s.terminal);
  const error = state.addError;
  return html`<form class="card add-form" data-testid="apps-add-form" @submit=${(e) => { e.preventDefault(); addByHand(e.target); }}>
    <h2>${t("apps.add.title")}</h2>
    <div class="add-grid">
      <label class="field"><span>${t("apps.add.jobTitle")}</span>
        <input type="text" name="title" required maxlength="500" data-testid="apps-add-title" autocomplete="off"></label>
      <label class="field"><span>${t("apps.add.company")}</span>
        <input type="text" name="company" maxlength="500" data-testid="apps-add-company" autocomplete="organization"></label>
      <label class="field"><span>${t("apps.add.url")}</span>
        <input type="url" name="url" maxlength="2000" data-testid="apps-add-url" placeholder=${URL_HINT}></label>
      <label class="field"><span>${t("apps.add.stage")}</span>
        <select name="stage">${open.map((s) => html`<option value=${s.key}>${stageLabel(s, state.stages)}</option>`)}</select></label>
      <label class="field wide"><span>${t("apps.add.description")}</span>
        <textarea name="description" maxlength="100000" data-testid="apps-add-description"></textarea></label>
    </div>
    ${error && ctx.data.tracking.isPlanLimit(error) ? limitMessage(error, state.usage)
      : error ? html`<p class="field-error" role="alert" tabindex="-1">${error.message}</p>` : ""}
    <div class="row">
      <button class="button primary" type="submit" data-testid="apps-add-submit" ?disabled=${state.adding}>${appIcon("plus")}${t("apps.add.submit")}</button>
      <button class="button ghost" type="button" @click=${() => { state.addOpen = false; state.addError = null; draw(); }}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

function usageLine() {
  const u = state.usage;
  const active = state.items.filter((a) => a.active).length;
  if (!u) return html`<p data-testid="apps-usage">${t("apps.activeCount", { count: active })}</p>`;
  if (u.unlimited) return html`<p data-testid="apps-usage">${t("apps.activeCount", { count: u.active })}</p>`;
  return html`<p data-testid="apps-usage" class=${u.active >= u.limit ? "at-limit" : ""}>${t("apps.usageFree", { count: u.active, limit: u.limit })}</p>`;
}

function toolbar() {
  return html`<div class="apps-toolbar" role="search">
    <label class="search-box"><span class="visually-hidden">${t("apps.searchLabel")}</span>${icon("search")}
      <input type="search" data-testid="apps-search" .value=${state.q} placeholder=${t("apps.searchPlaceholder")}
        @input=${(e) => { state.q = e.target.value; draw(); }}></label>
    ${state.view === "table" ? html`
      <label class="field inline"><span>${t("apps.stageFilter")}</span>
        <select data-testid="apps-stage-filter" @change=${(e) => { state.stage = e.target.value; draw(); }}>
          <option value="" ?selected=${!state.stage}>${t("apps.allStages")}</option>
          ${state.stages.map((s) => html`<option value=${s.key} ?selected=${state.stage === s.key}>${stageLabel(s, state.stages)}</option>`)}
        </select></label>
      <label class="check"><input type="checkbox" data-testid="apps-active-only" .checked=${state.activeOnly}
        @change=${(e) => { state.activeOnly = e.target.checked; draw(); }}>${t("apps.activeOnly")}</label>` : ""}
  </div>`;
}

function emptyState() {
  return html`<div class="empty card" data-testid="apps-empty">
    <div class="art">${icon("applications")}</div>
    <h2>${t("apps.emptyTitle")}</h2><p>${t("apps.emptyBody")}</p>
    <div class="row"><a class="button" href="#/jobs">${t("apps.emptyJobs")}</a>
      <button class="button primary" type="button" @click=${() => { state.addOpen = true; draw(); host.querySelector("[data-testid=apps-add-title]")?.focus(); }}>
        ${appIcon("plus")}${t("apps.add.toggle")}</button></div>
  </div>`;
}

function setView(view) {
  state.view = view;
  keep(VIEW_KEY, view);
  draw();
}

function draw() {
  if (!host || !state) return;
  const items = visibleItems();
  const none = !state.loading && !state.error && state.items.length === 0;
  render(html`<div class="apps-screen" data-testid="applications-screen">
    <header class="page-head">
      <div><h1>${t("apps.title")}</h1>${usageLine()}</div>
      <div class="row head-actions">
        <div class="segmented" role="group" aria-label=${t("apps.viewLabel")}>
          ${["board", "table"].map((v) => html`<button type="button" class="seg" data-testid="apps-view" data-view=${v}
            aria-pressed=${state.view === v ? "true" : "false"} @click=${() => setView(v)}>${appIcon(v)}<span>${t(`apps.view.${v}`)}</span></button>`)}
        </div>
        <button class="button primary" type="button" data-testid="apps-add-toggle" aria-expanded=${state.addOpen ? "true" : "false"}
          @click=${() => { state.addOpen = !state.addOpen; state.addError = null; draw(); if (state.addOpen) host.querySelector("[data-testid=apps-add-title]")?.focus(); }}>
          ${appIcon("plus")}<span>${t("apps.add.toggle")}</span></button>
      </div>
    </header>
    ${state.offline ? html`<p class="apps-offline small" role="status">${icon("offline")}${t("apps.offlineNote")}</p>` : ""}
    <section class="due-slot" aria-label=${t("apps.due.title")} ?hidden=${none || (!state.reminders && !state.proOff)}></section>
    ${addForm()}
    ${state.error ? html`<div class="empty card" role="alert"><h2>${t("apps.loadFailed")}</h2><p>${state.error}</p>
      <button class="button" type="button" @click=${() => load()}>${t("common.retry")}</button></div>` : ""}
    ${none && !state.addOpen ? emptyState() : ""}
    ${state.loading ? html`<div class="empty" aria-busy="true"><span class="spinner"></span></div>` : ""}
    <div ?hidden=${none || state.loading || Boolean(state.error)}>
      ${toolbar()}
      <p id="board-help" class="visually-hidden">${t("apps.boardHelp")}</p>
      <div class="board-slot" ?hidden=${state.view !== "board"}></div>
      <div class="table-slot" ?hidden=${state.view !== "table"}></div>
      ${items.length === 0 && state.items.length ? html`<p class="muted apps-no-match">${t("apps.noMatch")}</p>` : ""}
    </div>
    <div class="visually-hidden" aria-live="polite" data-testid="apps-announcer">${state.announce}</div>
    <div class="apps-bottom">
      <section class="card funnel-slot"></section>
      <section class="card import-slot"></section>
      <section class="card stages-slot"></section>
    </div>
  </div>`, host);
  if (!parts) {
    parts = {
      board: mountBoard(host.querySelector(".board-slot")),
      table: mountTable(host.querySelector(".table-slot")),
      due: mountDueStrip(host.querySelector(".due-slot")),
      funnel: mountFunnel(host.querySelector(".funnel-slot")),
      transfer: mountImportPanel(host.querySelector(".import-slot")),
      stages: mountStageEditor(host.querySelector(".stages-slot")),
    };
  }
  if (state.view === "board") updateBoard(parts.board, { items, stages: state.stages, collapsed: state.folded ?? new Set() });
  else updateTable(parts.table, { items: sortApps(items, state.sort, state.stages), stages: state.stages, sort: state.sort });
  updateDueStrip(parts.due, { reminders: state.reminders, proOff: state.proOff, items: state.items, usage: state.usage });
  updateFunnel(parts.funnel, { funnel: state.funnel, proOff: state.proOff, stages: state.stages, total: state.items.length,
    error: state.funnelError });
  const tracking = ctx.data.tracking;
  updateImportPanel(parts.transfer, { stages: state.stages, preview: state.importPreview, result: state.importResult,
    error: state.importError, offer: state.importOffer, busy: state.importBusy,
    urls: { csv: tracking.exportUrl("csv"), json: tracking.exportUrl("json"), calendar: tracking.calendarUrl() } });
  updateStageEditor(parts.stages, { stages: state.stages, busy: state.stagesBusy, error: state.stagesError,
    offline: state.offline });
}

/** An error as a sentence: Free's limit in the user's language, anything else as the server put it. */
function planLimitText(error) {
  return ctx.data.tracking.isPlanLimit(error) ? limitText(error, state?.usage) : error.message;
}

async function saveStages(stages) {
  state.stagesBusy = true;
  state.stagesError = null;
  draw();
  try {
    state.stages = await ctx.data.tracking.saveStages(stages);
    ctx.toast(t("apps.stages.saved"));
  } catch (error) {
    state.stagesError = planLimitText(error);
  }
  state.stagesBusy = false;
  draw();
}

async function importStep(kind, detail) {
  const tracking = ctx.data.tracking;
  state.importError = null;
  state.importOffer = null;
  state.importBusy = true;
  if (kind === "preview") { state.importPreview = null; state.importResult = null; }
  draw();
  try {
    if (kind === "preview") state.importPreview = await tracking.importPreview(detail.content, detail.format);
    else {
      state.importResult = await tracking.importFile(detail);
      state.importPreview = null;
      load();
    }
  } catch (error) {
    // A file past Free's limit: say how much of it fits and offer to import that much.
    if (tracking.isPlanLimit(error) && error.details?.fileActive !== undefined) {
      state.importOffer = { ...error.details, request: detail };
    } else {
      state.importError = planLimitText(error);
    }
  }
  state.importBusy = false;
  draw();
}

function listen(el) {
  el.addEventListener("app-move", (e) => moveApp(e.detail));
  el.addEventListener("column-toggle", (e) => {
    const folded = state.folded;
    if (folded.has(e.detail.stage)) folded.delete(e.detail.stage);
    else folded.add(e.detail.stage);
    keep(FOLD_KEY, [...folded]);
    draw();
  });
  el.addEventListener("apps-sort", (e) => {
    const { key } = e.detail;
    state.sort = state.sort.key === key ? { key, dir: state.sort.dir === "asc" ? "desc" : "asc" }
      : { key, dir: ["title", "company", "stage", "followUp"].includes(key) ? "asc" : "desc" };
    draw();
  });
  el.addEventListener("mark-ghosted", async (e) => {
    await moveApp({ ...e.detail, stage: "ghosted" });
    load();
  });
  el.addEventListener("notify-enable", async () => {
    await askPermission();
    draw();
    if (state.reminders) notifyOnce(messages(state.reminders, new Map(state.items.map((a) => [a.id, a.title]))));
  });
  el.addEventListener("stages-save", (e) => saveStages(e.detail.stages));
  el.addEventListener("import-preview", (e) => importStep("preview", e.detail));
  el.addEventListener("import-run", (e) => importStep("run", e.detail));
  el.addEventListener("import-fit", () => importStep("run", { ...state.importOffer.request, overLimit: "skip" }));
}

export default {
  mount(el, context) {
    host = el;
    ctx = context;
    parts = null;
    state = fresh();
    listen(el);
    unsubscribe = ctx.data.tracking.subscribe((change) => {
      if (change.error) {
        const lost = change.lost && !ctx.data.tracking.isPlanLimit(change.error);
        ctx.toast(lost ? lostEditText(change.lost) : planLimitText(change.error), "error");
      }
      load();
    });
    draw();
    load();
  },
  update() {
    draw();
  },
  unmount() {
    unsubscribe?.();
    unsubscribe = null;
    host = null;
    parts = null;
    state = null;
  },
};
