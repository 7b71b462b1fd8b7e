// One job in the list: title, company, place, salary (raw and annualised),
// age, a badge per board, and quick save / hide. Every row has the same
// height (the list is virtualised); long text is cut with an ellipsis.
import { html } from "/vendor/lit-html/lit-html.js";
import { formatAgo, language, t } from "/i18n/index.js";
import { salaryParts } from "/lib/salary.js";
import { jobHash } from "/lib/router.js";
import { boardBadge, statusBadge } from "../shared/badges.js";
import { icon } from "../shared/icons.js";

export function initials(name) {
  const words = String(name || "?").replace(/[^\p{L}\p{N}\s]/gu, " ").trim().split(/\s+/);
  const first = [...(words[0] || "?")][0] || "?";
  const second = words.length > 1 ? [...words[1]][0] : "";
  return (first + second).toUpperCase();
}

function salaryCell(job) {
  const parts = salaryParts(job.salary, language(), { compact: true });
  if (!parts) return html`<span class="job-salary none">${t("salary.none")}</span>`;
  return html`<span class="job-salary">
    <span class="raw"><strong>${parts.raw}</strong>${parts.interval ? html` <span class="per">${t(`salary.per.${parts.interval}`)}</span>` : ""}</span>
    ${parts.annual ? html`<span class="annual">${t("salary.annualShort", { amount: parts.annual })}</span>` : ""}
  </span>`;
}

// A row's salary and age take new Intl formatters, too slow to build for
// every row of every frame while the list scrolls: each job's template is
// kept until the job (a new object when it changes), the language or the
// hour changes.
const made = new WeakMap();

/** The row's template; `job` is a JobSummary from the API. */
export function jobRow(job) {
  const key = `${language()} ${Math.floor(Date.now() / 3_600_000)}`;
  const kept = made.get(job);
  if (kept?.key === key) return kept.row;
  const row = rowTemplate(job);
  made.set(job, { key, row });
  return row;
}

function rowTemplate(job) {
  const saved = job.status === "saved";
  const place = [job.company, job.location].filter(Boolean).join(" · ");
  return html`
    <article class="job-row ${job.status === "new" ? "is-new" : ""}" data-testid="job-row" data-job-id=${job.id}
      data-status=${job.status}>
      <div class="job-avatar" aria-hidden="true">${initials(job.company || job.title)}</div>
      <div class="job-main">
        <h3 class="job-title"><a class="job-link" href=${jobHash(job.id)}>${job.title}</a></h3>
        <p class="job-place">${place || t("job.unknownCompany")}</p>
        <p class="job-meta">
          ${job.isRemote ? html`<span class="tag remote">${t("job.remote")}</span>` : ""}
          ${job.datePosted ? html`<span>${formatAgo(job.datePosted)}</span>` : ""}
          ${statusBadge(job.status)}
        </p>
      </div>
      <div class="job-side">
        ${salaryCell(job)}
        <span class="job-boards">${job.boards.map(boardBadge)}</span>
      </div>
      <div class="job-actions">
        <button class="icon-button ${saved ? "on" : ""}" type="button" data-testid="row-save"
          aria-pressed=${saved ? "true" : "false"} aria-label=${t(saved ? "action.unsave" : "action.save")}
          title=${t(saved ? "action.unsave" : "action.save")} data-action="save" data-id=${job.id}>${icon("star")}</button>
        <button class="icon-button" type="button" data-testid="row-hide"
          aria-label=${t(job.status === "hidden" ? "action.unhide" : "action.hide")}
          title=${t(job.status === "hidden" ? "action.unhide" : "action.hide")} data-action="hide"
          data-id=${job.id}>${icon("hide")}</button>
      </div>
    </article>`;
}

/** A grey placeholder row while the first page loads. */
export function skeletonRow() {
  return html`<div class="job-row skeleton" aria-hidden="true">
    <div class="job-avatar"></div><div class="job-main"><span class="bone w60"></span><span class="bone w40"></span>
    <span class="bone w25"></span></div></div>`;
}
