// The top bar: brand and sections. On phones the same links become a bottom tab bar (CSS only).
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

/** props: {route, running}: the current route name; whether a search is running. */
export function updateNav(nav, { route, running }) {
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
    </div>`, nav.top);
}
