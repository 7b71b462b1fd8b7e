// One company (#/company/<key>): postings over time, boards, locations,
// titles, pay per currency, the facts each board gave, how long its jobs stay
// visible and how often they come back, and the user's own applications.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatDate, formatNumber, has, language, t } from "/i18n/index.js";
import { isNotInPlan } from "/data/insights.js";
import { safeUrl } from "../job-detail/job-detail.js";
import { boardName } from "../shared/badges.js";
import { icon } from "../shared/icons.js";
import { drawChart, releaseCharts } from "./charts.js";
import { asOf, errorCard, figure, fromN, loading, money, percent } from "./figures.js";
import { teaserCard } from "./teaser.js";

const FACTS = ["industry", "size", "revenue", "headquarters", "website", "rating", "reviews"];
let host = null;
let ctx = null;
let key = "";
let answer = null;
let error = null;
let denied = null; // the teaser's counts when the plan has no company insights

function monthLabel(k) {
  const [y, m] = k.split("-").map(Number);
  return new Intl.DateTimeFormat(language(), { year: "2-digit", month: "short" }).format(new Date(y, m - 1, 15));
}

function countList(title, rows, testid, label = (k) => k) {
  const max = Math.max(1, ...rows.map((r) => r.n));
  return html`<section class="card" data-testid=${testid}><h2>${title}</h2>
    ${rows.length ? html`<ul class="count-list">${rows.map((r) => html`<li>
      <span class="count-label">${label(r.key)}</span><span class="count-n">${formatNumber(r.n)}</span>
      <meter min="0" max=${max} value=${r.n} aria-hidden="true"></meter></li>`)}</ul>`
      : html`<p class="muted">${t("insights.company.nothing")}</p>`}</section>`;
}

function factValue(name, f) {
  if (name === "website") {
    const url = safeUrl(String(f.value));
    return url ? html`<a href=${url} target="_blank" rel="noopener noreferrer">${new URL(url).host}</a>` : String(f.value);
  }
  return typeof f.value === "number" ? formatNumber(f.value) : String(f.value);
}

function factsBlock(v) {
  const shown = FACTS.filter((n) => v.facts[n]);
  return html`<section class="card" data-testid="company-facts"><h2>${t("insights.company.facts")}</h2>
    ${shown.length ? html`<dl class="facts">${shown.map((n) => html`<div class="fact"><dt>${t(`insights.fact.${n}`)}</dt>
      <dd>${factValue(n, v.facts[n])} <span class="fact-source small muted">${t("insights.company.factFrom", { board: boardName(v.facts[n].board) })}</span></dd></div>`)}</dl>`
      : html`<p class="muted">${t("insights.company.noFacts")}</p>`}
    ${v.ratings.length > 1 ? html`<p class="small muted">${t("insights.company.ratings")}
      ${v.ratings.map((r) => `${boardName(r.board)} ${formatNumber(r.value)}`).join(" · ")}</p>` : ""}
    ${v.facts.description ? html`<p class="company-about">${String(v.facts.description.value)}</p>` : ""}</section>`;
}

function payBlock(v) {
  return html`<section class="card"><h2>${t("insights.company.pay")}</h2>
    ${v.salary.length ? v.salary.map((s) => html`<div class="company-pay" data-testid="company-pay" data-currency=${s.currency}>
      <p class="company-pay-range">${s.n ? html`<strong>${money(s.lowest, s.currency)} – ${money(s.highest, s.currency)}</strong>`
        : html`<strong>${s.currency}</strong>`} <span class="muted">${s.n ? s.currency : ""}</span></p>
      ${s.n ? html`<p class="small">${t("insights.company.payMedian")} ${figure(s.median, (x) => money(x, s.currency))} · ${fromN(s.n, "jobs")}</p>` : ""}
      ${s.estimates ? html`<p class="small muted">${t("insights.company.payEstimates", { count: s.estimates })}</p>` : ""}</div>`)
      : html`<p class="muted">${t("insights.company.noPay")}</p>`}</section>`;
}

function visibilityBlock(v) {
  const vis = v.visibility;
  return html`<section class="card" data-testid="company-visibility"><h2>${t("insights.company.visibility")}</h2>
    <dl class="facts">
      <div class="fact"><dt>${t("insights.company.daysVisible")}</dt>
        <dd>${figure(vis.medianDays, (d) => t("insights.days", { count: Math.round(d) }))} ${fromN(vis.medianDays.n, "jobs")}</dd></div>
      <div class="fact"><dt>${t("insights.company.reposted")}</dt>
        <dd>${t("insights.company.repostedValue", { count: vis.reposted, reposts: formatNumber(vis.reposts), gap: vis.gapDays })}</dd></div>
      <div class="fact"><dt>${t("insights.company.remote")}</dt>
        <dd>${figure(v.remote, percent)} ${fromN(v.remote.n, "jobs")}</dd></div>
    </dl>
    ${vis.withSightings < v.jobs ? html`<p class="small muted">${t("insights.company.sightingsNote", { count: vis.withSightings })}</p>` : ""}
  </section>`;
}

function applicationsBlock(v) {
  const h = v.history;
  return html`<section class="card" data-testid="company-applications"><h2>${t("insights.company.applications")}</h2>
    ${h.n ? html`<ul class="company-apps">${h.applications.map((a) => html`<li data-testid="company-application" data-app-id=${a.applicationId}>
      <a href=${`#/application/${a.applicationId}`}>${a.title}</a>
      <span class="badge">${a.stage && has(`apps.stage.${a.stage}`) ? t(`apps.stage.${a.stage}`) : (a.stage || t("insights.company.noStage"))}</span>
      ${a.stageAt ? html`<span class="small muted">${formatDate(a.stageAt)}</span>` : ""}</li>`)}</ul>`
      : html`<p class="muted">${t("insights.company.noApplications")}</p>`}</section>`;
}

function draw() {
  if (!host) return;
  const v = answer?.value;
  if (v) document.title = `${v.name} · ${t("app.name")}`;
  render(html`
    <a class="back-link" href="#/insights/companies" @click=${(e) => { if (history.length > 1) { e.preventDefault(); history.back(); } }}>
      ${icon("back")}${t("insights.company.back")}</a>
    ${denied ? teaserCard(denied, "companies") : ""}
    ${asOf(answer)}
    ${error ? errorCard(error, load) : ""}
    ${!v && !error && !denied ? loading() : ""}
    ${v ? html`<div class="company-page" data-testid="company-page">
      <header class="page-head"><div>
        <h1 data-testid="company-name">${v.name}</h1>
        <p>${t("insights.company.lead", { count: v.jobs, postings: formatNumber(v.postings) })}
          ${v.firstSeen ? html` · ${t("insights.company.seenRange", { first: formatDate(v.firstSeen), last: formatDate(v.lastSeen) })}` : ""}</p>
        ${v.names.length > 1 ? html`<p class="small">${t("insights.company.names")} ${v.names.map((n) => n.key).join(" · ")}</p>` : ""}
      </div><a class="button" href=${`#/jobs?q=${encodeURIComponent(v.name)}`}>${icon("jobs")}${t("insights.company.jobs")}</a></header>
      <div class="company-grid">
        <section class="card company-wide" data-testid="company-timeline"><header class="block-head">
          <h2>${t("insights.company.perMonth")}</h2>${fromN(v.postings)}</header>
          ${v.perMonth.length ? html`<div class="chart" data-testid="company-chart"></div>`
            : html`<p class="muted">${t("insights.company.nothing")}</p>`}</section>
        ${payBlock(v)}
        ${visibilityBlock(v)}
        ${countList(t("insights.company.boards"), v.boards, "company-boards", boardName)}
        ${countList(t("insights.company.locations"), v.locations, "company-locations")}
        ${countList(t("insights.company.titles"), v.titles, "company-titles")}
        ${applicationsBlock(v)}
        ${factsBlock(v)}
      </div></div>` : ""}`, host);
  const chart = host.querySelector('[data-testid="company-chart"]');
  if (v && chart) {
    drawChart(chart, { kind: "bars", labels: v.perMonth.map((m) => monthLabel(m.key)), values: v.perMonth.map((m) => m.n),
      format: (x) => formatNumber(x), ySize: 36, height: 180,
      summary: t("insights.company.chartSummary", { count: v.postings,
        months: v.perMonth.map((m) => `${monthLabel(m.key)}: ${formatNumber(m.n)}`).join(", ") }) });
  }
}

async function load() {
  const asking = key;
  error = null;
  denied = null;
  answer = null;
  draw();
  try {
    const got = await ctx.data.insights.company(asking);
    if (asking !== key) return;
    answer = got;
  } catch (e) {
    if (asking !== key) return;
    if (isNotInPlan(e)) {
      try { denied = (await ctx.data.insights.teaser()).value.counts; } catch { error = e; }
    } else error = e;
  }
  draw();
}

export default {
  mount(el, context) {
    host = el;
    ctx = context;
    key = "";
  },
  update(route) {
    if (route.key !== key) {
      key = route.key;
      load();
    } else draw();
  },
  unmount() {
    releaseCharts(host);
    host = null;
    key = "";
    document.title = t("app.name");
  },
};
