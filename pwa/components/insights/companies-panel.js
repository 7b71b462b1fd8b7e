// Companies: the companies in the store (names merged), most jobs first,
// searchable; each opens its company page.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatNumber, t } from "/i18n/index.js";
import { isNotInPlan } from "/data/insights.js";
import { companyHash } from "/lib/router.js";
import { boardName } from "../shared/badges.js";
import { asOf, errorCard, loading } from "./figures.js";

const PAGE = 50;
let el = null;
let ctx = null;
let answer = null;
let items = [];
let error = null;
let q = "";
let timer = null;
let asked = 0;

function row(c) {
  return html`<li><a class="company-row" data-testid="company-row" data-key=${c.key} href=${companyHash(c.key)}>
    <span class="company-row-name">${c.name}</span>
    <span class="company-row-counts small muted">${t("insights.companies.counts", { count: c.jobs,
      postings: formatNumber(c.postings) })}${c.lastSeen ? html` · ${t("insights.companies.lastSeen", { ago: formatAgo(c.lastSeen) })}` : ""}</span>
    <span class="company-row-boards small muted">${c.boards.map(boardName).join(" · ")}</span>
  </a></li>`;
}

function draw() {
  if (!el) return;
  const v = answer?.value;
  render(html`
    <div class="insight-filters companies-filter">
      <label class="field"><span>${t("insights.companies.search")}</span>
        <input type="search" data-testid="company-search" .value=${q} placeholder=${t("insights.companies.searchHint")}
          @input=${(e) => { q = e.target.value; clearTimeout(timer); timer = setTimeout(() => load(), 250); }}></label>
    </div>
    ${asOf(answer)}
    ${error ? errorCard(error, () => load()) : ""}
    ${!v && !error ? loading() : ""}
    ${v ? html`<p class="insight-summary" aria-live="polite">${t("insights.companies.total", { count: v.total })}</p>
      ${items.length ? html`<ul class="company-list card">${items.map(row)}</ul>`
        : html`<div class="card empty"><p>${t("insights.companies.none")}</p></div>`}
      ${v.nextOffset !== null && v.nextOffset !== undefined ? html`<p class="more"><button class="button" type="button"
        data-testid="companies-more" @click=${() => load(v.nextOffset)}>${t("insights.companies.more")}</button></p>` : ""}` : ""}`, el);
}

async function load(offset = 0) {
  const ticket = ++asked;
  error = null;
  if (!offset) draw();
  try {
    const got = await ctx.data.insights.companies(q.trim(), PAGE, offset);
    if (ticket !== asked) return;
    answer = got;
    items = offset ? [...items, ...got.value.items] : got.value.items;
  } catch (e) {
    if (isNotInPlan(e)) return ctx.denied();
    if (ticket === asked) error = e;
  }
  draw();
}

export default {
  mount(host, context) {
    el = host;
    ctx = context;
    answer = null;
    items = [];
    load();
  },
  update() {
    draw();
  },
  unmount() {
    clearTimeout(timer);
    el = null;
  },
};
