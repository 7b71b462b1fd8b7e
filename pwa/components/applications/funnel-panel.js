// The funnel, compact: applications sent per week, stage to stage
// conversion, response rate by board and by source, and the median time in
// each stage. A figure the server marks tooFew is said to be too few to tell,
// never drawn. Plain CSS bars.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatDate, formatNumber, t } from "/i18n/index.js";
import { boardName } from "../shared/badges.js";
import { appIcon, stageLabel } from "./app-common.js";

const WEEKS = 12;

export function mountFunnel(el) {
  el.classList.add("funnel-panel");
  el.setAttribute("data-testid", "funnel-panel");
  return { el };
}

const percent = (value) => new Intl.NumberFormat(document.documentElement.lang || undefined,
  { style: "percent", maximumFractionDigits: 0 }).format(value);

function rateRow(label, figure) {
  if (figure.tooFew) {
    return html`<li class="rate-row too-few" data-testid="funnel-too-few">
      <span class="rate-label">${label}</span>
      <span class="rate-value muted">${t("apps.funnel.tooFew", { count: figure.n })}</span></li>`;
  }
  return html`<li class="rate-row">
    <span class="rate-label">${label}</span>
    <span class="rate-bar" aria-hidden="true"><span data-size=${Math.round(figure.value * 100)}></span></span>
    <span class="rate-value">${percent(figure.value)} <span class="muted small">${t("apps.funnel.n", { count: figure.n })}</span></span>
  </li>`;
}

function weeks(perWeek) {
  const shown = perWeek.slice(-WEEKS);
  if (!shown.length) return html`<p class="muted small">${t("apps.funnel.noWeeks")}</p>`;
  const most = Math.max(1, ...shown.map((w) => w.applications));
  return html`<ol class="week-bars" aria-label=${t("apps.funnel.perWeek")}>
    ${shown.map((w) => html`<li class="week" data-testid="funnel-week"
        aria-label=${t("apps.funnel.weekLabel", { date: formatDate(w.starts), count: w.applications })}>
      <span class="week-bar" data-size=${Math.max(4, Math.round((w.applications / most) * 100))}></span>
      <span class="week-count">${formatNumber(w.applications)}</span>
    </li>`)}
  </ol>`;
}

/** props: {funnel, proOff, stages, total} */
export function updateFunnel(view, { funnel, proOff, stages, total, error }) {
  const head = html`<h2>${appIcon("chart")}${t("apps.funnel.title")}</h2>`;
  if (proOff) {
    render(html`${head}<div class="pro-note" data-testid="pro-upsell">
      <p>${t("apps.funnel.pro", { count: total })}</p>
      <a class="button small" href="#/settings">${appIcon("lock")}${t("apps.pro.see")}</a></div>`, view.el);
    return;
  }
  if (error) {
    render(html`${head}<p class="muted small">${error}</p>`, view.el);
    return;
  }
  if (!funnel) {
    render(html`${head}<p class="muted small" aria-busy="true">${t("apps.loading")}</p>`, view.el);
    return;
  }
  const label = (key) => stageLabel(key, stages);
  const group = (rows, name) => rows.length ? rows.map((r) => rateRow(name(r.key), r.responseRate))
    : html`<li class="muted small">${t("apps.funnel.none")}</li>`;
  render(html`${head}
    <p class="small muted">${t("apps.funnel.summary", { count: funnel.applications, sent: funnel.submitted })}</p>
    <div class="funnel-grid">
      <section><h3>${t("apps.funnel.perWeek")}</h3>${weeks(funnel.perWeek)}</section>
      <section><h3>${t("apps.funnel.conversion")}</h3>
        <ul class="rates" data-testid="funnel-conversion">${funnel.conversion.map((c) =>
          rateRow(t("apps.funnel.step", { from: label(c.fromStage), to: label(c.toStage) }), c.rate))}</ul></section>
      <section><h3>${t("apps.funnel.byBoard")}</h3><ul class="rates">${group(funnel.responseByBoard, boardName)}</ul></section>
      <section><h3>${t("apps.funnel.bySource")}</h3><ul class="rates">${group(funnel.responseBySource, (k) => k)}</ul></section>
      <section><h3>${t("apps.funnel.timeInStage")}</h3>
        <ul class="rates">${funnel.timeInStage.map((s) => s.medianDays.tooFew
          ? rateRow(label(s.stage), s.medianDays)
          : html`<li class="rate-row"><span class="rate-label">${label(s.stage)}</span>
              <span class="rate-value">${t("apps.funnel.days", { count: Math.round(s.medianDays.value * 10) / 10 })}
              <span class="muted small">${t("apps.funnel.n", { count: s.medianDays.n })}</span></span></li>`)}</ul></section>
    </div>`, view.el);
  sizeBars(view.el);
}

// Bar sizes through the CSSOM: the content security policy refuses style attributes.
function sizeBars(root) {
  for (const bar of root.querySelectorAll(".rate-bar > [data-size]")) bar.style.width = `${bar.dataset.size}%`;
  for (const bar of root.querySelectorAll(".week-bar[data-size]")) bar.style.height = `${bar.dataset.size}%`;
}
