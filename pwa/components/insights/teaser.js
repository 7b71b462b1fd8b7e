// What Pro adds, said with the user's own numbers from /insights/teaser.
// Never a sample chart: only the counts the user really has.
import { html } from "/vendor/lit-html/lit-html.js";
import { formatNumber, t } from "/i18n/index.js";
import { icon } from "../shared/icons.js";

const ORDER = ["salary", "companies", "trends", "resume"];

/** counts: the teaser's counts; tab: the tab asked for (its line first). */
export function teaserCard(counts, tab = "salary") {
  const n = (v) => formatNumber(v ?? 0);
  const lines = {
    salary: t("insights.teaser.salary", { postings: n(counts.postingsWithSalary), currencies: n(counts.salaryCurrencies) }),
    companies: t("insights.teaser.companies", { companies: n(counts.companies) }),
    trends: t("insights.teaser.trends", { jobs: n(counts.jobs) }),
    resume: t("insights.teaser.resume", { jobs: n(counts.jobs) }),
  };
  const order = [tab, ...ORDER.filter((x) => x !== tab)];
  return html`<section class="card insights-teaser" data-testid="insights-teaser"
      data-postings-with-salary=${counts.postingsWithSalary} data-companies=${counts.companies}>
    <div class="teaser-head"><span class="teaser-art">${icon("sparkle")}</span>
      <div><h2>${t("insights.teaser.title")}</h2>
      <p class="teaser-summary">${counts.postings
        ? t("insights.teaser.summary", { postings: n(counts.postingsWithSalary), currencies: n(counts.salaryCurrencies),
          companies: n(counts.companies) })
        : t("insights.teaser.empty")}</p></div></div>
    <ul class="teaser-list">
      ${order.map((name) => html`<li class=${name === tab ? "current" : ""}><strong>${t(`insights.tab.${name}`)}</strong>
        <span>${lines[name]}</span></li>`)}
    </ul>
    <p class="teaser-note muted small">${t("insights.teaser.note")}</p>
    <a class="button primary" href="#/settings" data-testid="insights-upgrade">${t("insights.teaser.action")}</a>
  </section>`;
}

/** One line for places that only mention it (the job detail). */
export function teaserLine() {
  return html`<p class="insights-teaser-line small" data-testid="job-insights-teaser">${icon("sparkle")}
    <span>${t("insights.teaser.line")}</span> <a href="#/settings">${t("insights.teaser.lineAction")}</a></p>`;
}
