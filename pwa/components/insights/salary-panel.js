// Salary: annualised pay per currency (never mixed): the p10–p90 band with
// the median, a histogram, and medians by board, location and month. Each
// figure says how many postings it stands on.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatNumber, language, t } from "/i18n/index.js";
import { isNotInPlan } from "/data/insights.js";
import { boardName } from "../shared/badges.js";
import { band, drawChart } from "./charts.js";
import { asOf, errorCard, figure, fromN, loading, money, tooFew } from "./figures.js";

const PCTS = ["p10", "p25", "p50", "p75", "p90"];
let el = null;
let ctx = null;
let answer = null;
let error = null;
let busy = false;
let filter = { q: "", location: "", remote: "" };

function currencyName(code) {
  try {
    return new Intl.DisplayNames(language(), { type: "currency" }).of(code);
  } catch {
    return code;
  }
}

function groupTable(title, rows, currency, testid, label = (k) => k) {
  return html`<div class="insight-table-wrap" data-testid=${testid}>
    <table class="insight-table"><caption>${title}</caption>
      <thead><tr><th scope="col">${t("insights.col.name")}</th><th scope="col" class="num">${t("insights.col.median")}</th>
        <th scope="col" class="num">${t("insights.col.postings")}</th></tr></thead>
      <tbody>${rows.map((g) => html`<tr><th scope="row">${label(g.key)}</th>
        <td class="num">${figure(g.median, (v) => money(v, currency))}</td><td class="num">${formatNumber(g.n)}</td></tr>`)}
      </tbody></table></div>`;
}

function monthLabel(key) {
  const [y, m] = key.split("-").map(Number);
  return new Intl.DateTimeFormat(language(), { year: "numeric", month: "short" }).format(new Date(y, m - 1, 15));
}

function bandBlock(c) {
  const p = c.percentiles;
  const v = (k) => (p[k] && !p[k].tooFew ? p[k].value : null);
  if (v("p50") === null) return html`<p class="band-none">${tooFew()}</p>`;
  const tails = v("p10") !== null && v("p90") !== null; // without them, the middle half is what there is
  const values = { p10: v("p10") ?? v("p25"), p25: v("p25"), p50: v("p50"), p75: v("p75"), p90: v("p90") ?? v("p75") };
  const summary = t(tails ? "insights.salary.bandSummary" : "insights.salary.bandSummaryHalf", { currency: c.currency, low: money(values.p10, c.currency),
    median: money(values.p50, c.currency), high: money(values.p90, c.currency), count: c.n });
  return html`<div class="band-block" data-testid="salary-band">${band(values, { label: summary })}
    <dl class=${tails ? "pct-row" : "pct-row three"}>${(tails ? PCTS : ["p25", "p50", "p75"]).map((k) => html`<div class=${k === "p50" ? "pct median" : "pct"}>
      <dt>${t(`insights.pct.${k}`)}</dt><dd>${figure(p[k], (x) => money(x, c.currency))}</dd></div>`)}</dl></div>`;
}

function currencyBlock(c) {
  const h = c.histogram;
  const est = c.estimates;
  return html`<section class="card salary-currency" data-testid="salary-currency" data-currency=${c.currency}>
    <header class="block-head"><h2><span class="currency-code">${c.currency}</span> ${currencyName(c.currency)}</h2>
      ${fromN(c.n)}</header>
    ${bandBlock(c)}
    ${h.tooFew ? "" : html`<h3 class="sub">${t("insights.salary.histogram")}</h3>
      <div class="chart" data-testid="salary-histogram" data-currency=${c.currency}></div>`}
    <details class="breakdown" ?open=${c.n >= 20}><summary>${t("insights.salary.breakdown")}</summary>
    <div class="tables">
      ${c.byBoard.length ? groupTable(t("insights.salary.byBoard"), c.byBoard, c.currency, "salary-by-board", boardName) : ""}
      ${c.byLocation.length ? groupTable(t("insights.salary.byLocation"), c.byLocation, c.currency, "salary-by-location") : ""}
      ${c.byMonth.length ? groupTable(t("insights.salary.byMonth"), c.byMonth, c.currency, "salary-by-month", monthLabel) : ""}
    </div></details>
    ${est.n ? html`<p class="estimates small muted" data-testid="salary-estimates">${t("insights.salary.estimates", {
      boards: est.byBoard.map((g) => boardName(g.key)).join(", "), count: est.n })}
      ${figure(est.percentiles.p50, (x) => t("insights.salary.estimateMedian", { amount: money(x, c.currency) }))}</p>` : ""}
  </section>`;
}

function drawCharts() {
  for (const c of answer?.value?.currencies || []) {
    const host = el.querySelector(`[data-testid="salary-histogram"][data-currency="${c.currency}"]`);
    if (!host) continue;
    const bins = c.histogram.bins;
    drawChart(host, {
      kind: "bars", labels: bins.map((b) => money(b.start, c.currency, true)), values: bins.map((b) => b.n),
      format: (v) => formatNumber(v), ySize: 40, xSpace: 72,
      summary: t("insights.salary.histSummary", { currency: c.currency, count: c.histogram.n,
        low: money(bins[0].start, c.currency), high: money(bins[bins.length - 1].end, c.currency),
        peak: money(bins.reduce((a, b) => (b.n > a.n ? b : a)).start, c.currency) }),
    });
  }
}

function draw() {
  if (!el) return;
  const v = answer?.value;
  render(html`
    <form class="insight-filters" data-testid="salary-filters" @submit=${submit}>
      <label class="field"><span>${t("insights.filter.q")}</span>
        <input type="search" name="q" data-testid="salary-q" .value=${filter.q} placeholder=${t("insights.filter.qHint")}></label>
      <label class="field"><span>${t("insights.filter.location")}</span>
        <input type="search" name="location" data-testid="salary-location" .value=${filter.location}></label>
      <label class="field"><span>${t("insights.filter.remote")}</span>
        <select name="remote" .value=${filter.remote}>
          <option value="">${t("insights.filter.remoteAny")}</option>
          <option value="true">${t("insights.filter.remoteOnly")}</option>
          <option value="false">${t("insights.filter.remoteNot")}</option></select></label>
      <button class="button primary" type="submit" data-testid="salary-apply" ?disabled=${busy}>${t("insights.filter.apply")}</button>
    </form>
    ${asOf(answer)}
    ${error ? errorCard(error, load) : ""}
    ${!v && !error ? loading() : ""}
    ${v ? html`
      <p class="insight-summary" data-testid="salary-summary">${t("insights.salary.summary", { count: v.postings,
        posted: formatNumber(v.kinds.posted), text: formatNumber(v.kinds.text), estimate: formatNumber(v.kinds.estimate) })}</p>
      ${v.currencies.length ? html`<div class="salary-currencies">${v.currencies.map(currencyBlock)}</div>`
        : html`<div class="card empty"><p>${t("insights.salary.none")}</p></div>`}
      <p class="small muted">${t("insights.salary.note")}</p>` : ""}`, el);
  if (v) drawCharts();
}

function submit(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  filter = { q: String(form.get("q") || "").trim(), location: String(form.get("location") || "").trim(),
    remote: String(form.get("remote") || "") };
  load();
}

async function load() {
  busy = true;
  error = null;
  draw();
  try {
    answer = await ctx.data.insights.salary(filter);
  } catch (e) {
    if (isNotInPlan(e)) return ctx.denied();
    error = e;
  } finally {
    busy = false;
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
