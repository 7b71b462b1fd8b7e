// The job detail screen: loads one job, marks a new one seen, saves status and notes.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { limitText } from "../applications/app-common.js";
import { mountJobDetail, updateJobDetail } from "./job-detail.js";
import { jobInsights, loadJobInsights } from "./job-insights.js";

let ctx = null;
let host = null;
let view = null;
let job = null;
let error = null;
let savingNote = false;
let loadingId = null;
let tracked = null; // the id of the application made from this job
let tracking = false;
let insights = null; // the Pro card's state (job-insights.js)

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
  updateJobDetail(view, { job, savingNote, tracked, tracking, insights: jobInsights(insights) });
}

async function load(id) {
  loadingId = id;
  job = null;
  error = null;
  tracked = null;
  insights = null;
  draw();
  ctx.data.tracking.byJob(id).then((app) => {
    if (loadingId === id && app) { tracked = app.id; draw(); }
  }).catch(() => {});
  try {
    const loaded = await ctx.data.getJob(id);
    if (loadingId !== id) return;
    job = loaded;
    document.title = `${job.sources?.[0]?.title || t("app.name")} · ${t("app.name")}`;
    loadJobInsights(ctx.data, loaded).then((got) => { if (loadingId === id) { insights = got; draw(); } });
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
    if (!host || !job) {  // left the screen meanwhile (e.g. Track opened the application)
      savingNote = false;
      if (saved) ctx.jobChanged(saved);
      return;
    }
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

// "Track": an application made from this job, then its page.
async function track() {
  tracking = true;
  draw();
  try {
    const app = await ctx.data.tracking.create({ jobId: job.id });
    ctx.navigate(`#/application/${app.id}`);
  } catch (e) {
    if (e.code === "already_tracked" && e.details?.applicationId) ctx.navigate(`#/application/${e.details.applicationId}`);
    else if (ctx.data.tracking.isPlanLimit(e)) ctx.toast(limitText(e), "error");
    else ctx.toast(e.message, "error");
  }
  tracking = false;
  draw();
}

export default {
  mount(el, context) {
    host = el;
    ctx = context;
    view = null;
    job = null;
    tracked = null;
    el.addEventListener("job-status", (e) => change({ status: e.detail.status }));
    el.addEventListener("job-note", (e) => change({ note: e.detail.note }));
    el.addEventListener("job-track", () => track());
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
