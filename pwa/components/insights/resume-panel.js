// Resume match: paste or upload a resume (PDF, DOCX or text), keep several,
// pick one, and see the stored jobs ranked by how well it matches, with the
// keywords it covers and the ones it misses.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatNumber, t } from "/i18n/index.js";
import { isNotInPlan } from "/data/insights.js";
import { jobHash } from "/lib/router.js";
import { icon } from "../shared/icons.js";
import { asOf, errorCard, figure, loading } from "./figures.js";

let el = null;
let ctx = null;
let resumes = null;   // {value, at, cached}
let matches = null;   // {value, at, cached} for `chosen`
let chosen = null;
let error = null;
let saving = false;
let adding = false;

export function scoreClass(score) {
  if (!score || score.tooFew || score.value === null) return "score none";
  return score.value >= 60 ? "score high" : score.value >= 35 ? "score mid" : "score low";
}

export function scoreBadge(score, testid = "match-score") {
  return html`<span class=${scoreClass(score)} data-testid=${testid}>${figure(score, (v) => t("insights.match.score", { score: Math.round(v) }))}</span>`;
}

function resumeRow(r) {
  const on = r.id === chosen;
  return html`<li class=${on ? "resume-row chosen" : "resume-row"} data-testid="resume-row" data-id=${r.id}>
    <button class="resume-pick" type="button" data-testid="resume-choose" aria-pressed=${on ? "true" : "false"}
      @click=${() => choose(r.id)}>
      <span class="resume-name">${r.name}</span>
      <span class="small muted">${t(`insights.resume.source.${r.source === "pdf" || r.source === "docx" ? r.source : "text"}`)} ·
        ${t("insights.resume.chars", { count: r.chars })} · ${formatAgo(r.updatedAt)}</span></button>
    <button class="icon-button" type="button" data-testid="resume-delete" aria-label=${t("insights.resume.delete", { name: r.name })}
      @click=${() => remove(r)}>${icon("close")}</button></li>`;
}

function matchRow(m, i) {
  return html`<li class="match-row" data-testid="match-row" data-job-id=${m.jobId}>
    <span class="match-rank" aria-hidden="true">${i + 1}</span>
    <div class="match-main"><a href=${jobHash(m.jobId)}>${m.title || t("job.untitled")}</a>
      <span class="small muted">${[m.company, m.location].filter(Boolean).join(" · ")}</span>
      ${m.topMissing.length ? html`<p class="match-missing" data-testid="match-missing"><span class="small muted">${t("insights.match.missing")}</span>
        ${m.topMissing.map((k) => html`<span class="chip">${k}</span>`)}</p>` : ""}</div>
    <div class="match-side">${scoreBadge(m.score)}
      <span class="small muted">${t("insights.match.terms", { matched: formatNumber(m.matched), count: m.matched + m.missing })}</span></div>
  </li>`;
}

function form() {
  return html`<form class="card resume-form" data-testid="resume-form" @submit=${save}>
    <h2>${t("insights.resume.add")}</h2>
    <label class="field"><span>${t("insights.resume.name")}</span>
      <input type="text" name="name" data-testid="resume-name" maxlength="200" required placeholder=${t("insights.resume.nameHint")}></label>
    <label class="field"><span>${t("insights.resume.text")}</span>
      <textarea name="text" data-testid="resume-text" rows="7" placeholder=${t("insights.resume.textHint")}></textarea></label>
    <div class="row resume-actions">
      <button class="button primary" type="submit" data-testid="resume-save" ?disabled=${saving}>${t("insights.resume.save")}</button>
      <label class="button file-button">${t("insights.resume.upload")}
        <input type="file" class="visually-hidden" data-testid="resume-file" accept=".pdf,.docx,.txt,.md,application/pdf,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          @change=${upload}></label>
    </div>
    <p class="small muted">${t("insights.resume.privacy")}</p>
  </form>`;
}

function draw() {
  if (!el) return;
  const list = resumes?.value;
  const page = matches?.value;
  const current = list?.find((r) => r.id === chosen);
  render(html`
    ${asOf(resumes?.cached ? resumes : matches)}
    ${error ? errorCard(error, load) : ""}
    ${!list && !error ? loading() : ""}
    ${list ? html`<div class="resume-grid">
      <div class="resume-side">
        <section class="card"><h2>${t("insights.resume.yours")}</h2>
          ${list.length ? html`<ul class="resume-list">${list.map(resumeRow)}</ul>` : html`<p class="muted">${t("insights.resume.none")}</p>`}
          ${list.length && !adding ? html`<button class="button small" type="button" @click=${() => { adding = true; draw(); }}>
            ${t("insights.resume.addAnother")}</button>` : ""}
        </section>
        ${!list.length || adding ? form() : ""}
      </div>
      <section class="card match-card" data-testid="match-list" aria-busy=${current && !page ? "true" : "false"}>
        <h2>${current ? t("insights.match.title", { name: current.name }) : t("insights.match.titleNone")}</h2>
        ${!current ? html`<p class="muted">${t("insights.match.pick")}</p>`
          : !page ? loading()
          : html`<p class="small muted">${t("insights.match.lead", { count: page.scored })}${page.capped ? ` ${t("insights.match.capped")}` : ""}</p>
            ${page.items.length ? html`<ol class="match-list">${page.items.map(matchRow)}</ol>`
              : html`<p class="muted">${t("insights.match.none")}</p>`}`}
      </section></div>` : ""}`, el);
}

async function loadMatches() {
  matches = null;
  draw();
  if (!chosen) return;
  const asking = chosen;
  try {
    const got = await ctx.data.insights.matches(asking);
    if (asking === chosen) matches = got;
  } catch (e) {
    if (isNotInPlan(e)) return ctx.denied();
    error = e;
  }
  draw();
}

function choose(id) {
  chosen = id;
  ctx.data.insights.chosenResume = id;
  loadMatches();
}

async function load() {
  error = null;
  draw();
  try {
    resumes = await ctx.data.insights.resumes();
  } catch (e) {
    error = e;
    draw();
    return;
  }
  const list = resumes.value;
  const kept = ctx.data.insights.chosenResume;
  chosen = list.some((r) => r.id === kept) ? kept : list[0]?.id ?? null;
  loadMatches();
}

async function added(promise) {
  saving = true;
  draw();
  try {
    const made = await promise;
    adding = false;
    ctx.toast(t("insights.resume.saved", { name: made.name }));
    ctx.data.insights.chosenResume = made.id;
    await load();
  } catch (e) {
    if (isNotInPlan(e)) return ctx.denied();
    ctx.toast(e.message, "error");
  } finally {
    saving = false;
  }
  draw();
}

function save(event) {
  event.preventDefault();
  const data = new FormData(event.target);
  const name = String(data.get("name") || "").trim();
  const text = String(data.get("text") || "").trim();
  if (!name || !text) {
    ctx.toast(t("insights.resume.needBoth"), "error");
    return;
  }
  added(ctx.data.insights.addResume(name, text));
}

function upload(event) {
  const file = event.target.files?.[0];
  if (!file) return;
  const name = String(el.querySelector('[data-testid="resume-name"]')?.value || "").trim();
  added(ctx.data.insights.uploadResume(file, name));
  event.target.value = "";
}

async function remove(r) {
  if (!window.confirm(t("insights.resume.confirmDelete", { name: r.name }))) return;
  try {
    await ctx.data.insights.deleteResume(r.id);
    if (chosen === r.id) ctx.data.insights.chosenResume = null;
    await load();
  } catch (e) {
    ctx.toast(e.message, "error");
  }
}

export default {
  mount(host, context) {
    el = host;
    ctx = context;
    resumes = null;
    matches = null;
    adding = false;
    load();
  },
  update() {
    draw();
  },
  unmount() {
    el = null;
  },
};
