// The Pro part of a job's page: a link to its company's page, how its pay
// compares with similar jobs (with how many), and its match with the chosen
// resume. Each shows only with its entitlement; with none, one line says
// what Pro adds. Loading is here too, so the screen only asks and draws.
import { html } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { companyHash } from "/lib/router.js";
import { icon } from "../shared/icons.js";
import { band } from "../insights/charts.js";
import { figure, fromN, money, tooFew } from "../insights/figures.js";
import { teaserLine } from "../insights/teaser.js";
import { scoreBadge } from "../insights/resume-panel.js";

const on = (access, name) => Boolean(access?.[name]?.on);

/**
 * -> {access, company, compare, match, resume}: what the job's page shows.
 * Never throws: whatever does not answer (offline, a 402) is left out.
 */
export async function loadJobInsights(data, job) {
  const state = { access: null, company: null, compare: null, match: null, resume: null };
  try {
    state.access = (await data.insights.teaser()).value.access;
  } catch {
    return state;
  }
  const company = (job.sources || []).map((s) => s.company).find(Boolean);
  if (on(state.access, "insights.company") && company) state.company = company;
  const asks = [];
  if (on(state.access, "insights.salary")) {
    asks.push(data.insights.compare(job.id).then((c) => { state.compare = c; }).catch(() => {}));
  }
  if (on(state.access, "resume.match")) {
    asks.push(data.insights.resumes().then(async ({ value: list }) => {
      const kept = data.insights.chosenResume;
      const resume = list.find((r) => r.id === kept) || list[0];
      if (!resume) return;
      state.resume = resume;
      state.match = await data.insights.match(resume.id, job.id);
    }).catch(() => {}));
  }
  await Promise.all(asks);
  return state;
}

function compareBlock(c) {
  if (!c.posting) return html`<p class="muted small">${t("insights.compare.noPay")}</p>`;
  const cur = c.posting.currency;
  const p = c.percentiles;
  const enough = p.p50 && !p.p50.tooFew && p.p25 && !p.p25.tooFew;
  const val = (k) => (p[k] && !p[k].tooFew ? p[k].value : null);
  const marks = [c.posting.annualMin, c.posting.annualMax].filter((x) => Number.isFinite(x)).map((value) => ({ value }));
  return html`<div data-testid="pay-compare" data-currency=${cur}>
    <p class="small">${t("insights.compare.peers", { count: c.peers, words: c.peerWords.join(" "), currency: cur })}</p>
    ${enough ? html`${band({ p10: val("p10") ?? val("p25"), p25: val("p25"), p50: val("p50"), p75: val("p75"), p90: val("p90") ?? val("p75") },
        { marks, label: t("insights.compare.bandLabel", { median: money(val("p50"), cur), count: c.peers }) })}
      <p class="compare-legend small muted"><span class="swatch job"></span>${t("insights.compare.thisJob")}
        <span class="swatch median"></span>${t("insights.compare.median", { amount: money(val("p50"), cur) })}</p>
      <p>${figure(c.rankOfMidpoint, (r) => t("insights.compare.rank", { rank: Math.round(r) }))} ${fromN(c.peers, "peers")}</p>`
      : html`<p>${tooFew()} ${fromN(c.peers, "peers")}</p>`}
  </div>`;
}

function matchBlock(s) {
  const m = s.match;
  return html`<div data-testid="job-match">
    <p class="job-match-head">${scoreBadge(m.score, "job-match-score")}
      <span class="small muted">${t("insights.match.forResume", { name: s.resume.name })}</span></p>
    ${m.missing.length ? html`<p class="small muted">${t("insights.match.missing")}</p>
      <p class="chips" data-testid="job-match-missing">${m.missing.slice(0, 10).map((k) => html`<span class="chip">${k.term}</span>`)}</p>`
      : html`<p class="small">${t("insights.match.nothingMissing")}</p>`}
    ${m.matched.length ? html`<p class="small muted">${t("insights.match.matched", { count: m.matched.length })}
      ${m.matched.slice(0, 8).map((k) => k.term).join(", ")}</p>` : ""}
    <a class="small" href="#/insights/resume">${t("insights.match.change")}</a>
  </div>`;
}

/** The card, or the one-line teaser, or nothing while the plan is unknown. */
export function jobInsights(state) {
  if (!state?.access) return "";
  const a = state.access;
  const any = ["insights.salary", "insights.company", "resume.match"].some((n) => on(a, n));
  if (!any) return html`<section class="card job-insights">${teaserLine()}</section>`;
  return html`<section class="card job-insights" data-testid="job-insights">
    <h2>${icon("chart")}${t("insights.job.title")}</h2>
    ${state.company ? html`<p><a class="button small" data-testid="job-company-link" href=${companyHash(state.company)}>
      ${icon("building")}${t("insights.job.company", { name: state.company })}</a></p>` : ""}
    ${on(a, "insights.salary") && state.compare ? html`<h3>${t("insights.compare.title")}</h3>${compareBlock(state.compare)}` : ""}
    ${on(a, "resume.match") ? html`<h3>${t("insights.match.jobTitle")}</h3>
      ${state.match ? matchBlock(state) : html`<p class="small muted">${t("insights.match.noResume")}
        <a href="#/insights/resume">${t("insights.match.addResume")}</a></p>`}` : ""}
  </section>`;
}

