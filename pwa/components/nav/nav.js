// The top bar: brand, sections and the alerts bell with its unread count. On phones the
// sections become a bottom tab bar (CSS only); the bell stays at the top.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { icon } from "../shared/icons.js";

const SECTIONS = [
  { name: "jobs", href: "#/jobs", icon: "jobs", match: ["jobs", "job"] },
  { name: "applications", href: "#/applications", icon: "applications", match: ["applications", "application"],
    short: "nav.applicationsShort" },
  { name: "insights", href: "#/insights", icon: "chart", match: ["insights", "company"], short: "nav.insightsShort" },
  { name: "search", href: "#/search", icon: "search", match: ["search"] },
  { name: "settings", href: "#/settings", icon: "settings", match: ["settings"] },
];

export function mountNav(top) {
  return { top };
}

function alertsBell(route, unread) {
  return html`<a class="top-alerts" href="#/alerts" data-testid="nav-alerts"
      aria-current=${route === "alerts" ? "page" : "false"}
      aria-label=${unread ? t("nav.alertsUnread", { count: unread }) : t("nav.alerts")}>
    ${icon("bell")}${unread ? html`<span class="nav-count" data-testid="nav-alerts-count">${unread > 99 ? "99+" : unread}</span>` : ""}
  </a>`;
}

/** props: {route, running, unread}: the current route name; whether a search is running; unread alerts. */
export function updateNav(nav, { route, running, unread = 0 }) {
  const links = SECTIONS.map((s) => html`
    <a class="top-link" href=${s.href} data-testid=${`nav-${s.name}`}
      aria-current=${s.match.includes(route) ? "page" : "false"}>
      ${icon(s.icon)}${s.short ? html`<span class="nav-long">${t(`nav.${s.name}`)}</span><span class="nav-short">${t(s.short)}</span>`
        : html`<span>${t(`nav.${s.name}`)}</span>`}
      ${s.name === "search" && running ? html`<span class="nav-dot" aria-hidden="true"></span>` : ""}
    </a>`);
  render(html`
    <div class="topbar-inner">
      <a class="brand" href="#/jobs" aria-label=${t("app.name")}>
        <img src="/icons/icon.svg" alt="" width="28" height="28"><span>${t("app.name")}</span>
      </a>
      <nav class="top-links" aria-label=${t("nav.label")}>${links}</nav>
      ${alertsBell(route, unread)}
    </div>`, nav.top);
}
