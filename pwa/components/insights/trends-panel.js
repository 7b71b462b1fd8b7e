// Trends: new jobs per week (and board postings per week, by board; new jobs per week in the top places), the remote share of them over time, how long
// jobs stay visible and how often they come back, and skills and title
// words rising or falling between two periods.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatDate, formatNumber, language, t } from "/i18n/index.js";
import { isNotInPlan } from "/data/insights.js";
import { boardName } from "../shared/badges.js";
import { drawChart } from "./charts.js";
import { asOf, errorCard, figure, fromN, loading, percent, tooFew } from "./figures.js";

const WINDOWS = [8, 12, 26, 52];
let el = null;
let ctx = null;
let answer = null;
let error = null;
let weeks = 12;

const weekLabel = (day) => new Intl.DateTimeFormat(language(), { month: "short", day: "numeric" })
  .format(new Date(`${day}T12:00:00`));

function termList(title, rows, testid, terms, sign) {
  return html`<section class="card term-card" data-testid=${testid}><h2>${title}</h2>
    ${terms.tooFew ? html`<p>${tooFew()}</p><p class="small muted">${t("insights.trends.termsTooFew", {
      count: terms.minCount, recent: formatNumber(terms.recentJobs), before: formatNumber(terms.beforeJobs) })}</p>`
      : rows.length ? html`<ol class="term-list">${rows.map((r) => html`<li>
        <span class="term">${r.term}</span>
        <span class=${`term-change ${sign > 0 ? "up" : "down"}`}>${sign > 0 ? "+" : "−"}${formatNumber(Math.abs(Math.round(r.change * 1000) / 10))}
          <span class="visually-hidden">${t("insights.trends.points")}</span><span aria-hidden="true">${t("insights.trends.pp")}</span></span>
        <span class="small muted">${t("insights.trends.termCounts", { recent: formatNumber(r.recent), before: formatNumber(r.before) })}</span>
      </li>`)}</ol>` : html`<p class="muted">${t("insights.trends.noTerms")}</p>`}</section>`;
}

/** Boards that had new postings in the window, most first, each with its count per week. */
function byBoard(weeks) {
  const totals = new Map();
  for (const w of weeks) for (const [board, n] of Object.entries(w.newPostingsByBoard)) totals.set(board, (totals.get(board) || 0) + n);
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([board, n]) => ({ board, n, perWeek: weeks.map((w) => w.newPostingsByBoard[board] || 0) }));
}

function draw() {
  if (!el) return;
  const v = answer?.value;
  const boards = v ? byBoard(v.weeks) : [];
  render(html`
    <div class="insight-filters trends-filter">
      <label class="field"><span>${t("insights.trends.window")}</span>
        <select data-testid="trends-weeks" .value=${String(weeks)} @change=${(e) => { weeks = Number(e.target.value); load(); }}>
          ${WINDOWS.map((w) => html`<option value=${w} ?selected=${w === weeks}>${t("insights.trends.weeks", { count: w })}</option>`)}
        </select></label>
    </div>
    ${asOf(answer)}
    ${error ? errorCard(error, load) : ""}
    ${!v && !error ? loading() : ""}
    ${v ? html`
      <p class="insight-summary">${t("insights.trends.summary", { count: v.jobs, start: formatDate(v.start), end: formatDate(v.end) })}</p>
      <div class="trends-grid">
        <section class="card trends-wide" data-testid="trends-weekly"><header class="block-head">
          <h2>${t("insights.trends.perWeek")}</h2>${fromN(v.jobs, "jobs")}</header>
          <div class="chart" data-testid="trends-weekly-chart"></div></section>
        <section class="card trends-wide" data-testid="trends-boards"><header class="block-head">
          <h2>${t("insights.trends.perBoard")}</h2>${fromN(boards.reduce((sum, b) => sum + b.n, 0), "postings")}</header>
          ${boards.length ? html`<div class="chart" data-testid="trends-boards-chart"></div>
            <ul class="series-legend" data-testid="trends-boards-legend">${boards.map((b, i) => html`<li data-board=${b.board}>
              <span class=${`swatch series-${(i % 6) + 1}`}></span>${boardName(b.board)}
              <span class="count-n">${formatNumber(b.n)}</span></li>`)}</ul>
            <p class="small muted">${t("insights.trends.perBoardNote")}</p>` : html`<p class="muted">${t("insights.company.nothing")}</p>`}</section>
        <section class="card trends-wide" data-testid="trends-remote"><header class="block-head">
          <h2>${t("insights.trends.remote")}</h2></header>
          ${v.weeks.some((w) => !w.remoteShare.tooFew) ? html`<div class="chart" data-testid="trends-remote-chart"></div>
            <p class="small muted">${t("insights.trends.remoteNote")}</p>` : html`<p>${tooFew()}</p>`}</section>
        ${termList(t("insights.trends.rising"), v.terms.rising, "trends-rising", v.terms, 1)}
        ${termList(t("insights.trends.falling"), v.terms.falling, "trends-falling", v.terms, -1)}
        <section class="card" data-testid="trends-visible"><h2>${t("insights.trends.visibleTitle")}</h2>
          <dl class="facts">
            <div class="fact"><dt>${t("insights.trends.medianDays")}</dt>
              <dd>${figure(v.visible.medianDays, (d) => t("insights.days", { count: Math.round(d) }))} ${fromN(v.visible.medianDays.n, "jobs")}</dd></div>
            <div class="fact"><dt>${t("insights.trends.stillVisible")}</dt><dd>${formatNumber(v.visible.stillVisible)}</dd></div>
            <div class="fact"><dt>${t("insights.trends.reposted")}</dt>
              <dd>${figure(v.reposts.share, percent)} ${fromN(v.reposts.share.n, "jobs")}</dd></div>
            <div class="fact"><dt>${t("insights.trends.ghosts")}</dt><dd>${formatNumber(v.reposts.ghostCount)}</dd></div>
          </dl>
          ${v.visible.withoutSightings ? html`<p class="small muted">${t("insights.trends.withoutSightings", { count: v.visible.withoutSightings })}</p>` : ""}
        </section>
        <section class="card trends-wide" data-testid="trends-places"><header class="block-head">
          <h2>${t("insights.trends.places")}</h2>${fromN(v.jobs, "jobs")}</header>
          ${v.byLocation.length ? html`<div class="chart" data-testid="trends-places-chart"></div>
            <ul class="series-legend" data-testid="trends-places-legend">${v.byLocation.map((p, i) => html`<li>
              <span class=${`swatch series-${(i % 6) + 1}`}></span><span translate="no">${p.key}</span>
              <span class="count-n">${formatNumber(p.n)}</span></li>`)}</ul>`
            : html`<p class="muted">${t("insights.company.nothing")}</p>`}
        </section>
      </div>` : ""}`, el);
  if (!v) return;
  const labels = v.weeks.map((w) => weekLabel(w.week));
  drawChart(el.querySelector('[data-testid="trends-weekly-chart"]'), {
    kind: "bars", labels, values: v.weeks.map((w) => w.newJobs), format: (x) => formatNumber(x), ySize: 40, xSpace: 52,
    summary: t("insights.trends.weeklySummary", { count: v.jobs,
      weeks: v.weeks.filter((w) => w.newJobs).map((w) => `${weekLabel(w.week)}: ${formatNumber(w.newJobs)}`).join(", ") }),
  });
  drawChart(el.querySelector('[data-testid="trends-boards-chart"]'), {
    kind: "line", labels, series: boards.map((b) => ({ label: boardName(b.board), values: b.perWeek })),
    format: (x) => formatNumber(x), ySize: 40, xSpace: 52, height: 200,
    summary: t("insights.trends.perBoardSummary", { boards: boards.map((b) => `${boardName(b.board)}: ${
      b.perWeek.map((n, i) => `${labels[i]} ${formatNumber(n)}`).join(", ")}`).join("; ") }),
  });
  drawChart(el.querySelector('[data-testid="trends-places-chart"]'), {
    kind: "line", labels, series: v.byLocation.map((p) => ({ label: p.key, values: p.perWeek })),
    format: (x) => formatNumber(x), ySize: 40, xSpace: 52, height: 200,
    summary: t("insights.trends.perPlaceSummary", { places: v.byLocation.map((p) => `${p.key}: ${
      p.perWeek.map((n, i) => `${labels[i]} ${formatNumber(n)}`).join(", ")}`).join("; ") }),
  });
  drawChart(el.querySelector('[data-testid="trends-remote-chart"]'), {
    kind: "share", labels, values: v.weeks.map((w) => (w.remoteShare.tooFew ? null : w.remoteShare.value)), max: 1,
    format: (x) => percent(x), ySize: 44, xSpace: 52, height: 180,
    summary: t("insights.trends.remoteSummary", { weeks: v.weeks.filter((w) => !w.remoteShare.tooFew)
      .map((w) => `${weekLabel(w.week)}: ${percent(w.remoteShare.value)} (${formatNumber(w.remoteShare.n)})`).join(", ") }),
  });
}

async function load() {
  error = null;
  draw();
  try {
    answer = await ctx.data.insights.trends({}, weeks);
  } catch (e) {
    if (isNotInPlan(e)) return ctx.denied();
    error = e;
  }
  draw();
}

export default {
  mount(host, context) {
    el = host;
    ctx = context;
    answer = null;
    load();
  },
  update() {
    draw();
  },
  unmount() {
    el = null;
  },
};
