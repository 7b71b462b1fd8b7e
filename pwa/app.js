// JobDeck's PWA: starts the data layer, picks the language, routes the hash
// to a screen, and wires the shell (nav, offline banner, update prompt,
// toasts). Screens are in components/<screen>/; each has mount / update /
// unmount and talks to the data module through the context given here.
//
// Stable data-testid values (the browser tests rely on them):
//   shell:    nav-jobs, nav-search, nav-settings, offline-banner, signin-banner, update-prompt, update-reload, toast
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
//             saved-search[data-id], saved-search-new, saved-search-run, saved-search-delete
//   settings: settings-screen, language-switch, tokens-panel, token-name, token-create, token-secret-box,
//             token-secret, token-row[data-id], token-revoke, token-revoke-confirm, import-file,
//             import-result, export-csv, export-json, license-panel, app-version
import { data } from "/data/index.js";
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

const SCREENS = { welcome, jobs, job: jobDetail, search, settings };
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
  updateNav(shell.nav, { route: route.name, running: isRunning() });
  updateOfflineBanner(shell.offline, { online: data.online, signedIn });
  updateUpdatePrompt(shell.update, { ready: updateReady });
  document.getElementById("skip-link").textContent = t("app.skip");
}

async function firstScreen() {
  // With nothing stored yet, the welcome explains JobDeck; otherwise the jobs.
  try {
    const page = await data.listJobs({ limit: 1, status: ["new", "seen", "saved", "applied", "hidden"] });
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
  const screen = SCREENS[route.name];
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
  document.title = route.name === "job" ? document.title : `${t(`nav.${route.name === "welcome" ? "home" : route.name}`)} · ${t("app.name")}`;
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
  watchUpdates();
}

start();
