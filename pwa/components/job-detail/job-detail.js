// One job: title, company facts, salary raw and annualised, the description
// (markdown, sanitised), every board's posting with its apply link, actions
// (save, hide, mark applied, track as an application) and a note. Emits
// "job-status" {status}, "job-note" {note} and "job-track".
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatDate, formatNumber, language, t } from "/i18n/index.js";
import { renderDescription } from "/lib/markdown.js";
import { salaryOfSource, salaryParts } from "/lib/salary.js";
import { boardBadge, boardName, statusBadge } from "../shared/badges.js";
import { emit } from "../shared/emit.js";
import { icon } from "../shared/icons.js";

const SAFE_URL = /^https?:\/\//i;

export function safeUrl(url) {
  return url && SAFE_URL.test(String(url).trim()) ? String(url).trim() : null;
}

function first(sources, field) {
  for (const s of sources) if (s[field] !== null && s[field] !== undefined && s[field] !== "") return s[field];
  return null;
}

// As the salary insights count it (server/insights/salary.py): jobspy gives Glassdoor's own
// p10–p90 estimate and no sign of pay the employer stated, so Glassdoor's pay is an estimate.
const ESTIMATE_BOARDS = ["glassdoor"];
const payKind = (source) => (ESTIMATE_BOARDS.includes(source.site) ? "estimate"
  : source.salarySource === "description" ? "description" : "board");

function salaryBlock(sources) {
  const source = sources.find((s) => salaryOfSource(s));
  const parts = source && salaryParts(salaryOfSource(source), language());
  if (!parts) return html`<p class="muted">${t("salary.noneLong")}</p>`;
  return html`<p class="salary-raw" data-testid="salary-raw"><strong>${parts.raw}</strong>
    ${parts.interval ? html`<span class="muted">${t(`salary.per.${parts.interval}`)}</span>` : ""}</p>
    ${parts.annual ? html`<p class="salary-annual muted" data-testid="salary-annual">
      ${t("salary.annualLong", { amount: parts.annual })}</p>` : ""}
    ${source.salarySource ? html`<p class="small muted" data-testid="salary-source">${t("salary.source", { source: t(`salary.sourceKind.${payKind(source)}`) })}</p>` : ""}`;
}

function fact(label, value) {
  return value === null || value === undefined || value === "" ? "" : html`<div class="fact"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function companyFacts(sources) {
  const site = safeUrl(first(sources, "companyUrlDirect"));
  const rating = first(sources, "companyRating");
  const reviews = first(sources, "companyReviewsCount");
  const known = ["companyIndustry", "companyNumEmployees", "companyRevenue", "companyAddresses", "companyDescription"]
    .some((field) => first(sources, field)) || rating != null || site;
  if (!known) return html`<p class="muted small" data-testid="company-no-facts">${t("insights.company.noFacts")}</p>`;
  return html`<dl class="facts">
    ${fact(t("company.industry"), first(sources, "companyIndustry"))}
    ${fact(t("company.size"), first(sources, "companyNumEmployees"))}
    ${fact(t("company.revenue"), first(sources, "companyRevenue"))}
    ${fact(t("company.addresses"), first(sources, "companyAddresses"))}
    ${fact(t("company.rating"), rating != null ? t("company.ratingValue", { rating: formatNumber(rating),
      count: reviews ?? 0 }) : null)}
    ${fact(t("company.website"), site ? html`<a href=${site} target="_blank" rel="noopener noreferrer">${new URL(site).host}</a>` : null)}
  </dl>
  ${first(sources, "companyDescription") ? html`<p class="company-about">${first(sources, "companyDescription")}</p>` : ""}`;
}

function sourceItem(s) {
  const apply = safeUrl(s.jobUrlDirect) || safeUrl(s.jobUrl);
  const listing = safeUrl(s.jobUrl);
  return html`<li class="source" data-testid="job-source" data-board=${s.site}>
    <div class="source-head">${boardBadge(s.site)}
      <span class="small muted">${s.datePosted ? t("job.posted", { date: formatDate(s.datePosted) }) : ""}</span></div>
    <div class="source-links">
      ${apply ? html`<a class="button small primary" data-testid="apply-link" href=${apply} target="_blank"
        rel="noopener noreferrer">${t("job.apply", { board: boardName(s.site) })}${icon("external")}</a>` : ""}
      ${listing && listing !== apply ? html`<a class="button small" href=${listing} target="_blank"
        rel="noopener noreferrer">${t("job.viewOn", { board: boardName(s.site) })}</a>` : ""}
    </div>
  </li>`;
}

export function mountJobDetail(el) {
  el.classList.add("job-detail");
  el.setAttribute("data-testid", "job-detail");
  return { el, noteDirty: false };
}

/** props: {job, savingNote, tracked, tracking, insights}: job is the detail from the API; tracked: its application's id;
 * insights: the Pro card (job-insights.js) or "". */
export function updateJobDetail(view, { job, savingNote, tracked = null, tracking = false, insights = "" }) {
  const { el } = view;
  const sources = job.sources || [];
  const main = sources[0] || {};
  const description = sources.map((s) => s.description).find(Boolean);
  const types = first(sources, "jobTypes") || [];
  const status = job.status;
  const act = (target) => () => emit(el, "job-status", { status: status === target ? "seen" : target });
  const boards = [...new Set(sources.map((s) => s.site))];
  render(html`
    <a class="back-link" href="#/jobs" @click=${(e) => { if (history.length > 1) { e.preventDefault(); history.back(); } }}>
      ${icon("back")}${t("job.back")}</a>
    <header class="detail-head">
      <div class="detail-title">
        <h1 data-testid="job-title">${main.title || t("job.untitled")}</h1>
        <p class="detail-company">${icon("building")}<span>${main.company || t("job.unknownCompany")}</span></p>
        <p class="detail-meta">
          ${main.location ? html`<span>${icon("pin")}${main.location}</span>` : ""}
          ${first(sources, "isRemote") ? html`<span class="tag remote">${t("job.remote")}</span>` : ""}
          ${types.map((ty) => html`<span class="tag">${t(`jobType.${ty}`)}</span>`)}
          ${main.datePosted ? html`<span>${icon("clock")}${formatAgo(main.datePosted)}</span>` : ""}
        </p>
        <p class="detail-boards">${boards.map(boardBadge)} ${statusBadge(status)}</p>
      </div>
      <div class="detail-actions" role="group" aria-label=${t("job.actions")}>
        <button class="button" type="button" data-testid="action-save" aria-pressed=${status === "saved" ? "true" : "false"}
          @click=${act("saved")}>${icon("star")}${t(status === "saved" ? "action.saved" : "action.save")}</button>
        <button class="button" type="button" data-testid="action-applied" aria-pressed=${status === "applied" ? "true" : "false"}
          @click=${act("applied")}>${icon("check")}${t(status === "applied" ? "action.applied" : "action.markApplied")}</button>
        <button class="button" type="button" data-testid="action-hide" aria-pressed=${status === "hidden" ? "true" : "false"}
          @click=${act("hidden")}>${icon("hide")}${t(status === "hidden" ? "action.unhide" : "action.hide")}</button>
        ${tracked ? html`<a class="button" data-testid="open-application" href=${`#/application/${tracked}`}>
            ${icon("applications")}${t("apps.track.open")}</a>`
          : html`<button class="button primary" type="button" data-testid="action-track" ?disabled=${tracking}
            @click=${() => emit(el, "job-track")}>${icon("applications")}${t("apps.track.action")}</button>`}
      </div>
    </header>
    <div class="detail-grid">
      <article class="card detail-description">
        <h2>${t("job.description")}</h2>
        ${description ? html`<div class="prose" data-testid="job-description" .innerHTML=${renderDescription(description)}></div>`
          : html`<p class="muted" data-testid="job-description">${t("job.noDescription")}</p>`}
      </article>
      <aside class="detail-side">
        <section class="card"><h2>${icon("money")}${t("job.salary")}</h2>${salaryBlock(sources)}</section>
        ${insights}
        <section class="card"><h2>${t("job.sources", { count: sources.length })}</h2>
          <ul class="sources">${sources.map(sourceItem)}</ul></section>
        <section class="card"><h2>${t("job.company")}</h2>${companyFacts(sources)}</section>
        <section class="card">
          <label class="field"><span class="note-label">${t("job.note")}</span>
            <textarea data-testid="job-note" .value=${job.note || ""} placeholder=${t("job.notePlaceholder")}
              maxlength="20000" @input=${() => { view.noteDirty = true; }}></textarea></label>
          <div class="row note-row">
            <button class="button small" type="button" data-testid="note-save" ?disabled=${savingNote}
              @click=${(e) => emit(el, "job-note", { note: e.target.closest(".card").querySelector("textarea").value })}>
              ${t("job.saveNote")}</button>
            <span class="small muted">${t("job.seen", { first: formatDate(job.firstSeen), last: formatAgo(job.lastSeen) })}</span>
          </div>
        </section>
      </aside>
    </div>`, el);
}
