// The Insights screen: sub-tabs Salary / Companies / Trends / Resume match.
// It asks /insights/teaser first (free: the user's real counts and which
// insights the plan has on); a tab whose entitlement is off shows the teaser
// instead of its panel. Each panel loads its own figures through
// data.insights, which keeps the last answers for offline.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { INSIGHT_TABS } from "/lib/router.js";
import { icon } from "../shared/icons.js";
import { releaseCharts } from "./charts.js";
import { teaserCard } from "./teaser.js";
import salary from "./salary-panel.js";
import companies from "./companies-panel.js";
import trends from "./trends-panel.js";
import resume from "./resume-panel.js";

const PANELS = { salary, companies, trends, resume };
export const ENTITLEMENT = { salary: "insights.salary", companies: "insights.company", trends: "insights.trends",
  resume: "resume.match" };
const TAB_ICON = { salary: "money", companies: "building", trends: "chart", resume: "check" };

let ctx = null;
let host = null;
let tab = "salary";
let teaser = null;       // {value, at, cached} from data.insights.teaser()
let teaserError = null;
let panel = null;        // {name, el}
let denied = new Set();  // tabs whose panel answered 402 since the teaser was read

function allowed(name) {
  if (denied.has(name)) return false;
  const access = teaser?.value?.access?.[ENTITLEMENT[name]];
  return access ? access.on : true; // unknown (offline, nothing kept): let the panel try its own copy
}

function draw() {
  if (!host) return;
  const on = allowed(tab);
  render(html`
    <header class="page-head insights-head">
      <div><h1>${t("insights.title")}</h1><p>${t("insights.lead")}</p></div>
    </header>
    <nav class="insights-tabs" aria-label=${t("insights.tabsLabel")}>
      ${INSIGHT_TABS.map((name) => html`<a class="insights-tab" href=${`#/insights/${name}`} data-testid="insights-tab"
        data-tab=${name} aria-current=${name === tab ? "page" : "false"}>${icon(TAB_ICON[name])}<span class="tab-long">${t(`insights.tab.${name}`)}</span><span class="tab-short" aria-hidden="true">${t(`insights.tabShort.${name}`)}</span></a>`)}
    </nav>
    <div class="insights-body" data-testid="insights-screen" data-tab=${tab}>
      ${on ? html`<div class="insights-panel"></div>`
        : teaser ? teaserCard(teaser.value.counts, tab) : ""}
      ${!on && !teaser && teaserError ? html`<p class="muted">${teaserError}</p>` : ""}
    </div>`, host);
  const slot = host.querySelector(".insights-panel");
  if (!on || !slot) {
    closePanel();
    return;
  }
  if (!panel || panel.name !== tab || panel.el !== slot) {
    closePanel();
    panel = { name: tab, el: slot };
    PANELS[tab].mount(slot, { ...ctx, denied: () => { denied.add(tab); draw(); } });
  }
  PANELS[tab].update();
}

function closePanel() {
  if (!panel) return;
  PANELS[panel.name].unmount();
  releaseCharts(panel.el);
  panel = null;
}

async function loadTeaser() {
  try {
    teaser = await ctx.data.insights.teaser();
    teaserError = null;
    denied = new Set();
  } catch (e) {
    teaserError = e.message;
  }
  draw();
}

export default {
  mount(el, context) {
    host = el;
    ctx = context;
    teaser = null;
    panel = null;
    host.classList.add("insights-screen");
    loadTeaser();
  },
  update(route) {
    tab = route.tab || "salary";
    draw();
  },
  unmount() {
    closePanel();
    releaseCharts(host);
    host = null;
  },
};
