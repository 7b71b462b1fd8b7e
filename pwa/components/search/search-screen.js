// The Search screen: the form, the live progress of the current run (from
// the SSE stream, through data.on("server")), and saved searches.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { getLicense, getPreferences } from "/data/api.js";
import { setSearchAlert } from "/data/alerts.js";
import { applyEvent, fromRun, isFinished } from "/lib/progress.js";
import { DEFAULT_PARAMS, mountSearchForm, updateSearchForm } from "./search-form.js";
import { mountRunProgress, updateRunProgress } from "./run-progress.js";
import { mountSavedSearches, updateSavedSearches } from "./saved-searches.js";

let ctx = null;
let parts = null;
let draft = { ...DEFAULT_PARAMS };
let touched = false; // the user has changed the form: the preferred defaults no longer replace it
let run = null; // progress state of the run shown (kept across visits)
let runTerm = "";
let searches = [];
let busy = false;
let error = null;
let offServer = null;
let alertsAllowed = null; // the license's decision on "alerts": {on, reason}; null while unknown

function draw() {
  if (!parts) return;
  render(html`<div><h1>${t("search.title")}</h1><p>${t("search.lead")}</p></div>`, parts.head);
  updateSearchForm(parts.form, { params: draft, busy, error });
  parts.progress.el.hidden = !run;
  if (run) updateRunProgress(parts.progress, { run, term: runTerm });
  updateSavedSearches(parts.saved, { searches, running: !!run && !isFinished(run), alerts: alertsAllowed });
}

/** Called by app.js for every SSE event, on any screen: the nav shows a running search. */
export function onServerEvent(name, payload) {
  if (name === "run.queued" && (!run || isFinished(run)) && payload?.runId) {
    run = fromRun({ id: payload.runId, state: "queued", boards: [], params: { boards: payload.boards || [] } });
  } else if (run) {
    run = applyEvent(run, name, payload);
  }
  if (name === "run.finished" && payload?.runId === run?.id) refreshSearches();
  if (name === "license.changed") alertsAllowed = payload?.features?.alerts ?? alertsAllowed;
  // An alert run ended or was skipped: its saved search shows what happened.
  if (["alert.created", "alert.failed", "alert.skipped"].includes(name)) refreshSearches();
  draw();
  ctx?.runningChanged?.(isRunning());
}

export function isRunning() {
  return !!run && !isFinished(run);
}

/** The boards, country and results set in Settings, until the user changes the form. */
async function applyDefaults() {
  try {
    const prefs = await getPreferences();
    if (touched) return;
    draft = { ...draft, boards: prefs.defaultBoards, country: prefs.defaultCountry, results: prefs.defaultResults };
  } catch {
    // Offline: the built-in defaults stay.
  }
  draw();
}

async function checkAlertsAllowed() {
  try {
    alertsAllowed = (await getLicense()).features?.alerts ?? null;
  } catch {
    // Offline: the server decides when the user tries.
  }
  draw();
}

async function setAlert({ id, everyHours, enabled }) {
  try {
    const updated = await setSearchAlert(id, everyHours, enabled);
    searches = searches.map((s) => (s.id === id ? updated : s));
    ctx.toast(enabled ? t("saved.alert.onToast", { name: updated.name }) : t("saved.alert.offToast", { name: updated.name }));
  } catch (err) {
    if (err.status === 402) alertsAllowed = { on: false, reason: err.details?.reason };
    ctx.toast(err.status === 402 ? t("saved.alert.pro") : err.message, "error");
  }
  draw();
}

async function refreshSearches() {
  try {
    searches = await ctx.data.listSearches();
  } catch {
    // Offline: the list waits for the server.
  }
  draw();
}

async function begin(starter, term) {
  busy = true;
  error = null;
  draw();
  try {
    const started = await starter();
    runTerm = term;
    // Events may have arrived before the answer: fold the record in, keep any further progress.
    const fromRecord = fromRun(started);
    run = run && run.id === started.id ? { ...fromRecord, ...run, order: fromRecord.order } : fromRecord;
    ctx.runningChanged?.(isRunning());
    parts?.progress.el.scrollIntoView?.({ behavior: "smooth", block: "nearest" });
  } catch (e) {
    error = e.message;
  }
  busy = false;
  draw();
}

function start(params) {
  draft = params;
  touched = true;
  if (!params.term) {
    error = t("search.needTerm");
    draw();
    return;
  }
  begin(() => ctx.data.startRun(params), params.term);
}

async function save({ name, params }) {
  draft = params;
  touched = true;
  if (!params.term) {
    error = t("search.needTerm");
    draw();
    return;
  }
  try {
    await ctx.data.saveSearch(name || params.term, params);
    ctx.toast(t("saved.savedToast", { name: name || params.term }));
    error = null;
    await refreshSearches();
  } catch (e) {
    error = e.message;
    draw();
  }
}

async function cancel(runId) {
  try {
    const record = await ctx.data.cancelRun(runId);
    if (run && run.id === record.id) run = { ...fromRun(record), order: run.order };
  } catch (e) {
    ctx.toast(e.message, "error");
  }
  draw();
  ctx.runningChanged?.(isRunning());
}

async function resume() {
  try {
    const runs = await ctx.data.listRuns();
    const active = runs.find((r) => r.state === "queued" || r.state === "running");
    if (active && (!run || run.id !== active.id)) {
      run = fromRun(active);
      runTerm = active.params?.term || "";
      ctx.runningChanged?.(true);
    }
  } catch {
    // Offline: nothing is running that we can see.
  }
  draw();
}

export default {
  init(context) {
    ctx = context;
    offServer ||= ctx.data.on("server", (message) => onServerEvent(message?.type, message?.data));
  },
  mount(el, context) {
    this.init(context);
    render(html`<section class="search-screen" data-testid="search-screen">
      <div class="page-head"></div>
      <div class="search-layout"><div class="search-col"><div class="form-host"></div><section class="progress-host"></section></div>
      <aside class="card saved-host"></aside></div></section>`, el);
    parts = {
      form: mountSearchForm(el.querySelector(".form-host")),
      progress: mountRunProgress(el.querySelector(".progress-host")),
      saved: mountSavedSearches(el.querySelector(".saved-host")),
      head: el.querySelector(".page-head"),
    };
    el.addEventListener("search-start", (e) => start(e.detail.params));
    el.addEventListener("search-save", (e) => save(e.detail));
    el.addEventListener("search-draft", (e) => { draft = e.detail.params; touched = true; });
    el.addEventListener("run-cancel", (e) => cancel(e.detail.runId));
    el.addEventListener("saved-run", (e) => {
      const s = searches.find((x) => x.id === e.detail.id);
      begin(() => ctx.data.runSearch(e.detail.id), s?.params.term || "");
    });
    el.addEventListener("saved-use", (e) => {
      draft = { ...DEFAULT_PARAMS, ...e.detail.search.params };
      touched = true;
      parts.form.el.querySelector("form")?.reset();
      draw();
      window.scrollTo({ top: 0, behavior: "smooth" });
    });
    el.addEventListener("saved-alert", (e) => setAlert(e.detail));
    el.addEventListener("saved-delete", async (e) => {
      try {
        await ctx.data.deleteSearch(e.detail.id);
        searches = searches.filter((s) => s.id !== e.detail.id);
        draw();
      } catch (err) {
        ctx.toast(err.message, "error");
      }
    });
  },
  update() {
    draw();
    if (!this.loaded) {
      this.loaded = true;
      refreshSearches();
      checkAlertsAllowed();
      resume();
      if (!touched) applyDefaults();
    }
  },
  unmount() {
    parts = null;
    this.loaded = false;
  },
};
