// JobDeck's PWA: starts the data layer, picks the language, routes the hash
// to a screen, and wires the shell (nav, offline banner, update prompt,
// toasts). Screens are in components/<screen>/; each has mount / update /
// unmount and talks to the data module through the context given here.
//
// Stable data-testid values (the browser tests rely on them):
//   shell:    nav-jobs, nav-applications, nav-insights, nav-search, nav-settings, nav-alerts, nav-alerts-count,
//             offline-banner, signin-banner, update-prompt, update-reload, toast
//   welcome:  welcome, load-demo, start-search
//   jobs:     jobs-screen, job-search-input, status-chip[data-status], filters-toggle, filters-panel,
//             facet-board[data-board], facet-type[data-type], remote-filter[data-value], posted-filter,
//             has-salary, salary-min, location-filter, clear-filters, sort-select, job-count, job-list,
//             job-row[data-job-id][data-status], board-badge[data-board], job-status, row-save, row-hide,
//             jobs-empty
//   detail:   job-detail, job-title, job-description, salary-raw, salary-annual, job-source[data-board],
//             apply-link, action-save, action-applied, action-hide, job-note, note-save
//   search:   search-screen, search-form, search-term, search-location, board-option[data-board],
//             board-note, search-country, search-hours, search-job-type, search-results, search-remote,
//             search-submit, search-error, save-search-name, save-search, run-progress, run-summary[data-state],
//             board-progress[data-board][data-state], board-advice, run-cancel, run-see-jobs,
//             saved-search[data-id], saved-search-new, saved-search-run, saved-search-delete,
//             saved-alert, saved-alert-select, saved-alert-pro, saved-alert-status[data-state]
//   alerts:   alerts-screen, alert-list, alert-row[data-alert-id][data-read], alert-mark-read, alerts-read-all,
//             alerts-notify-enable, alerts-offline, alerts-empty, alert-detail[data-alert-id], alert-job[data-job-id]
//   settings: settings-screen, language-switch, tokens-panel, token-name, token-create, token-secret-box,
//             token-secret, token-row[data-id], token-revoke, token-revoke-confirm, import-file,
//             import-result, export-csv, export-json, license-panel, app-version
//   applications: applications-screen, apps-usage, apps-view[data-view], apps-search, apps-stage-filter,
//             apps-active-only, apps-add-toggle, apps-add-form, apps-add-title, apps-add-company, apps-add-url,
//             apps-add-description, apps-add-submit, apps-limit (402 explained, links to Settings),
//             apps-announcer, apps-board, board-column[data-stage], column-toggle, column-count,
//             app-card[data-app-id][data-stage][data-pending], card-move, card-move-to[data-stage],
//             pending-badge, apps-table, apps-sort[data-key], app-table-row[data-app-id][data-stage],
//             apps-empty, due-strip, due-followup[data-app-id], due-interview[data-app-id],
//             due-ghost[data-app-id], mark-ghosted, mark-ghosted-confirm, notify-enable, pro-upsell,
//             funnel-panel, funnel-week, funnel-conversion, funnel-too-few, apps-export-csv,
//             apps-export-json, apps-calendar, apps-import-file, apps-import-preview,
//             import-map[data-header], import-stage[data-value], apps-import-submit, apps-import-result
//   application: application-detail, app-title, app-stage, app-stage-select, app-stage-at, app-stage-move,
//             app-excitement[data-value], app-salary-expectation, app-salary-offer, app-salary-currency,
//             app-salary-interval, app-resume, app-source, app-tags, app-follow-up, app-notes,
//             app-notes-edit, app-notes-save, app-notes-view, app-pending, timeline, timeline-event[data-kind],
//             note-text, note-at, note-add, contact-row[data-id], contact-add, contact-form, contact-name,
//             contact-save, contact-edit, contact-remove, interview-row[data-id], interview-add,
//             interview-form, interview-start, interview-zone, interview-kind, interview-place,
//             interview-link, interview-people, interview-save, interview-edit, interview-remove,
//             interview-ics, apps-calendar
//   job detail: action-track, open-application
//   insights: insights-screen, insights-tab[data-tab], insights-asof, insights-teaser[data-postings-with-salary],
//             insights-upgrade, insights-error, too-few, figure-n, insight-chart[data-kind],
//             salary-panel, salary-filters, salary-q, salary-location, salary-apply, salary-currency[data-currency],
//             salary-band, salary-histogram, salary-by-board, salary-by-location, salary-by-month, salary-estimates,
//             trends-panel, trends-weekly, trends-remote, trends-rising, trends-falling, trends-visible,
//             companies-panel, company-search, company-row[data-key], companies-more,
//             resume-panel, resume-form, resume-name, resume-text, resume-save, resume-file, resume-row[data-id],
//             resume-choose, resume-delete, match-list, match-row[data-job-id], match-score, match-missing
//   company:  company-page, company-name, company-timeline, company-boards, company-locations, company-titles,
//             company-pay[data-currency], company-facts, company-visibility, company-applications,
//             company-application[data-app-id]
//   job detail (Pro): job-insights, job-company-link, pay-compare, job-match, job-match-score,
//             job-match-missing, job-insights-teaser
import { data } from "/data/index.js";
import { alertsState, onAlertsChange } from "/data/alerts.js";
import { initLanguage, t } from "/i18n/index.js";
import { parseHash } from "/lib/router.js";
import { mountNav, updateNav } from "./components/nav/nav.js";
import { mountOfflineBanner, updateOfflineBanner } from "./components/banners/offline-banner.js";
import { mountUpdatePrompt, updateUpdatePrompt } from "./components/banners/update-prompt.js";
import { mountToasts, toast } from "./components/shared/toast.js";
import welcome from "./components/welcome/welcome.js";
import jobs from "./components/jobs/jobs-screen.js";
import jobDetail from "./components/job-detail/job-detail-screen.js";
import search, { isRunning } from "./components/search/search-screen.js";
import settings from "./components/settings/settings-screen.js";
import { watchAlerts } from "./components/alerts/alert-notify.js";

// The first screens come with the app; the others load when first opened
// (the service worker has them all, so this works offline too).
const SCREENS = {
  welcome, jobs, job: jobDetail, search, settings,
  applications: () => import("./components/applications/applications-screen.js"),
  application: () => import("./components/applications/application-screen.js"),
  insights: () => import("./components/insights/insights-screen.js"),
  company: () => import("./components/insights/company-screen.js"),
  alerts: () => import("./components/alerts/alerts-screen.js"),
};

async function screenFor(name) {
  if (typeof SCREENS[name] === "function") SCREENS[name] = (await SCREENS[name]()).default;
  return SCREENS[name];
}
const main = document.getElementById("main");
const shell = {
  nav: mountNav(document.getElementById("topbar")),
  offline: mountOfflineBanner(document.getElementById("offline-slot")),
  update: mountUpdatePrompt(document.getElementById("update-slot")),
};
let current = null; // {name, screen}
let route = { name: "" };
let updateReady = false;
let signedIn = null;
let applyUpdate = null;

const ctx = {
  data,
  toast,
  navigate(hash) {
    location.hash = hash;
  },
  jobChanged(job) {
    jobs.jobChanged(job);
  },
  runningChanged() {
    drawShell();
  },
};

function drawShell() {
  updateNav(shell.nav, { route: route.name, running: isRunning(), unread: alertsState().unread });
  updateOfflineBanner(shell.offline, { online: data.online, signedIn });
  updateUpdatePrompt(shell.update, { ready: updateReady });
  document.getElementById("skip-link").textContent = t("app.skip");
}

async function firstScreen() {
  // With nothing stored yet, the welcome explains JobDeck; otherwise the jobs.
  try {
    const page = await data.firstJobs({ limit: 1, status: ["new", "seen", "saved", "applied", "hidden"] });
    return page.items.length ? "#/jobs" : "#/welcome";
  } catch {
    return "#/jobs";
  }
}

async function show({ remount = false } = {}) {
  route = parseHash(location.hash);
  if (!route.name) {
    const asked = location.hash;
    const target = await firstScreen();
    if (location.hash === asked) location.replace(target); // unless the user went somewhere meanwhile
    return;
  }
  const wanted = route;
  const screen = await screenFor(route.name);
  if (route !== wanted) return;  // the user moved on while it loaded
  const changed = !current || current.screen !== screen;
  if (changed || remount) {
    current?.screen.unmount();
    // A fresh host per screen: lit keeps its own bookkeeping on the element it renders into.
    const host = document.createElement("div");
    host.className = "screen";
    main.replaceChildren(host);
    current = { name: route.name, screen };
    screen.mount(host, ctx);
  }
  screen.update(route);
  document.title = ["job", "application", "company"].includes(route.name) ? document.title : `${t(`nav.${route.name === "welcome" ? "home" : route.name}`)} · ${t("app.name")}`;
  if (changed && !remount && route.name !== "jobs") window.scrollTo(0, 0);
  if (changed && !remount && document.activeElement !== document.body) main.focus({ preventScroll: true });
  drawShell();
}

async function watchUpdates() {
  try {
    const updates = await import("/data/updates.js");
    applyUpdate = updates.applyUpdate;
    updates.onUpdateReady(() => {
      updateReady = true;
      drawShell();
    });
  } catch {
    // No update channel: the service worker still updates on the next visit.
  }
}

function start() {
  initLanguage();
  mountToasts(document.getElementById("toasts"));
  search.init(ctx);
  data.on("status", (status) => {
    signedIn = status?.signedIn ?? signedIn;
    drawShell();
  });
  window.addEventListener("hashchange", () => show());
  window.addEventListener("jobdeck-language", () => show({ remount: true }));
  document.addEventListener("update-apply", () => applyUpdate?.());
  document.addEventListener("update-later", () => {
    updateReady = false;
    drawShell();
  });
  drawShell();
  show();
  data.start().catch((error) => toast(error.message, "error")).finally(drawShell);
  // Saved-search alerts: the nav's count, and notifications once the user allowed them.
  onAlertsChange(drawShell);
  watchAlerts(data);
  // Reminders as notifications while the app is open, once the user allowed them.
  import("./components/applications/notify.js").then((notify) => notify.watchReminders(data)).catch(() => {});
  watchUpdates();
}

start();
