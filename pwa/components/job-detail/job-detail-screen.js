// The job detail screen: loads one job, marks a new one seen, saves status and notes.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { mountJobDetail, updateJobDetail } from "./job-detail.js";

let ctx = null;
let host = null;
let view = null;
let job = null;
let error = null;
let savingNote = false;
let loadingId = null;

function draw() {
  if (!host) return;
  if (error) {
    render(html`<div class="empty card" role="alert"><h2>${t("job.loadFailed")}</h2><p>${error}</p>
      <a class="button" href="#/jobs">${t("job.back")}</a></div>`, host);
    view = null;
    return;
  }
  if (!job) {
    render(html`<div class="empty" aria-busy="true"><span class="spinner"></span></div>`, host);
    view = null;
    return;
  }
  if (!view) {
    render(html`<section></section>`, host);
    view = mountJobDetail(host.querySelector("section"));
  }
  updateJobDetail(view, { job, savingNote });
}

async function load(id) {
  loadingId = id;
  job = null;
  error = null;
  draw();
  try {
    const loaded = await ctx.data.getJob(id);
    if (loadingId !== id) return;
    job = loaded;
    document.title = `${job.sources?.[0]?.title || t("app.name")} · ${t("app.name")}`;
    if (job.status === "new") await change({ status: "seen" }, { quiet: true });
  } catch (e) {
    if (loadingId !== id) return;
    error = e.message;
  }
  draw();
}

async function change(patch, { quiet = false } = {}) {
  const before = job;
  job = { ...job, ...patch };
  if ("note" in patch) savingNote = true;
  draw();
  try {
    const saved = await ctx.data.updateJob(before.id, patch);
    if (saved && saved.id === before.id && job.id === before.id) job = { ...job, ...saved };
    ctx.jobChanged(job);
    if (!quiet) ctx.toast(t("note" in patch ? "job.noteSaved" : `jobs.statusDone.${patch.status}`, { title: "" }));
  } catch (e) {
    job = before;
    ctx.toast(e.message, "error");
  }
  savingNote = false;
  draw();
}

export default {
  mount(el, context) {
    host = el;
    ctx = context;
    view = null;
    el.addEventListener("job-status", (e) => change({ status: e.detail.status }));
    el.addEventListener("job-note", (e) => change({ note: e.detail.note }));
  },
  update(route) {
    if (job && job.id === route.id) draw();
    else if (loadingId !== route.id || error) load(route.id);
    else draw();
  },
  unmount() {
    host = null;
    view = null;
    job = null;
    loadingId = null;
    document.title = t("app.name");
  },
};
