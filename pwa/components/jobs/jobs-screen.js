// The Jobs screen: reads the query from the URL, loads cursor pages through
// the data module, and hands them to the toolbar, the filters and the list.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { DEFAULT_QUERY, parseQuery, serializeQuery, statusesFor, toListParams } from "/lib/query.js";
import { jobsHash } from "/lib/router.js";
import { icon } from "../shared/icons.js";
import { mountJobFilters, updateJobFilters } from "./job-filters.js";
import { mountJobList, unmountJobList, updateJobList } from "./job-list.js";
import { mountJobsToolbar, updateJobsToolbar } from "./jobs-toolbar.js";

const FIRST_PAGE = 100;
const NEXT_PAGE = 200;

let ctx = null;
let parts = null;
let state = null;
let cache = null; // the last list, kept so Back from a job returns to the same place
let options = null; // GET /api/v1/jobs/filter-options: what the advanced filters offer, and if they are on
let generation = 0;
const ownChanges = new Set(); // ids this screen just changed: their "changed" echo needs no reload
// Refusals the replica makes offline (no server words to show), by code.
const OFFLINE_REFUSALS = { feature_not_in_plan_offline: "filters.advanced.offlineNotInPlan" };

function fresh(query) {
  return { query, items: [], facets: null, total: null, nextCursor: null, loading: true, error: null, partial: 0,
    offline: false, unapplied: false, filtersOpen: state?.filtersOpen || false };
}

function totalOf(facets) {
  if (!facets?.remote) return null;
  return Object.values(facets.remote).reduce((a, b) => a + b, 0);
}

async function load(more = false) {
  const mine = ++generation;
  if (!more) performance.mark("jobs:load");
  state.loading = true;
  state.error = null;
  draw();
  try {
    const ask = { ...toListParams(state.query), cursor: more ? state.nextCursor : undefined,
      limit: more ? NEXT_PAGE : FIRST_PAGE, facets: !more };
    const page = await (more ? ctx.data.listJobs(ask) : ctx.data.firstJobs(ask));
    if (mine !== generation) return;
    state.items = more ? state.items.concat(page.items) : page.items;
    state.nextCursor = page.nextCursor || null;
    state.offline = Boolean(page.offline);
    state.unapplied = Boolean(page.unapplied);
    if (!more) {
      state.stale = false;
      state.facets = page.facets || null;
      state.total = totalOf(page.facets);
      state.partial = page.partial ? mine : 0;
      // Rows first; the counts once they are painted (a frame, then a task after its paint).
      if (page.partial) requestAnimationFrame(() => setTimeout(() => complete(ask, state, mine)));
    }
  } catch (error) {
    if (mine !== generation) return;
    state.error = OFFLINE_REFUSALS[error.code] ? t(OFFLINE_REFUSALS[error.code]) : error.message;
    if (!more) state.items = [];
  }
  state.loading = false;
  draw();
  // User timing for the list benchmark: costs a timeline entry, nothing else.
  if (!more) performance.mark("jobs:drawn");
}

/** A first page drawn without its facets: the whole answer brings them, and the total. */
async function complete(ask, owner, mine) {
  try {
    const page = await ctx.data.listJobs(ask);
    if (state !== owner || state.partial !== mine) return;  // another list since
    state.partial = 0;
    state.facets = page.facets || null;
    state.total = totalOf(page.facets);
    draw();
  } catch {
    // The rows are shown; their counts stay out until the next load.
  }
}

function setQuery(patch) {
  const query = { ...state.query, ...patch };
  history.replaceState(null, "", jobsHash(serializeQuery(query)));
  state = fresh(query);
  window.scrollTo(0, 0);
  load();
}

async function setStatus({ id, status }) {
  const index = state.items.findIndex((job) => job.id === id);
  const before = state.items[index];
  if (!before) return;
  const visible = statusesFor(state.query.status).includes(status);
  state.items = visible
    ? state.items.map((job) => (job.id === id ? { ...job, status } : job))
    : state.items.filter((job) => job.id !== id);
  if (!visible && state.total) state.total -= 1;
  draw();
  ownChanges.add(id);
  try {
    await ctx.data.updateJob(id, { status });
    ctx.toast(t(`jobs.statusDone.${status}`, { title: before.title }));
  } catch (error) {
    ctx.toast(error.message, "error");
    load();
  }
  setTimeout(() => ownChanges.delete(id), 2000);
}

/** New or changed jobs arrived (a search, a sync): refresh at once near the top, else offer it. */
function onChanged(change) {
  if (!state) return;
  if (change?.ids?.length && change.ids.every((id) => ownChanges.has(id))) return;
  if (window.scrollY < 300 && state.items.length <= FIRST_PAGE) load();
  else {
    state.stale = true;
    draw();
  }
}

function loadOptions() {
  ctx.data.filterOptions().then((answer) => {
    if (!answer) return; // offline, a replica without the filters' facts: the panel says they wait
    options = answer;
    draw();
  }).catch(() => {});
}

function isPristine(query) {
  return serializeQuery({ ...query, sort: DEFAULT_QUERY.sort }) === "";
}

function emptyState() {
  if (state.loading || state.items.length) return "";
  if (state.error) {
    return html`<div class="empty card" role="alert"><h2>${t("jobs.errorTitle")}</h2><p>${state.error}</p>
      <button class="button" type="button" @click=${() => load()}>${t("common.retry")}</button></div>`;
  }
  if (isPristine(state.query)) {
    return html`<div class="empty" data-testid="jobs-empty">
      <div class="art">${icon("jobs")}</div><h2>${t("jobs.emptyTitle")}</h2><p>${t("jobs.emptyBody")}</p>
      <div class="row"><a class="button primary" href="#/search">${t("welcome.startSearch")}</a>
      <a class="button" href="#/welcome">${t("jobs.emptySample")}</a></div></div>`;
  }
  return html`<div class="empty" data-testid="jobs-empty">
    <div class="art">${icon("filter")}</div><h2>${t("jobs.noMatchTitle")}</h2><p>${t("jobs.noMatchBody")}</p>
    <button class="button" type="button" @click=${() => setQuery({ ...DEFAULT_QUERY })}>${t("filters.clearAll")}</button>
  </div>`;
}

function draw() {
  if (!parts) return;
  updateJobsToolbar(parts.toolbar, { query: state.query, total: state.total, loaded: state.items.length,
    hasMore: !!state.nextCursor, filtersOpen: state.filtersOpen });
  updateJobFilters(parts.filters, { query: state.query, facets: state.facets, open: state.filtersOpen, options,
    offline: state.offline });
  updateJobList(parts.list, { items: state.items, hasMore: !!state.nextCursor && !state.error,
    loading: state.loading });
  render(emptyState(), parts.empty);
  // A replica synced before it held the filters' facts: offline, they wait for the server.
  render(html`${state.offline && state.unapplied ? html`<p class="notice small" role="status" data-testid="advanced-offline">
      ${t("filters.advanced.offline")}</p>` : ""}
    ${state.stale ? html`<button class="button small stale-button" type="button" data-testid="jobs-refresh"
    @click=${() => { state.stale = false; window.scrollTo(0, 0); load(); }}>${t("jobs.refresh")}</button>` : ""}`, parts.stale);
}

export default {
  mount(el, context) {
    ctx = context;
    render(html`<section class="jobs-screen" data-testid="jobs-screen">
      <h1 class="visually-hidden">${t("nav.jobs")}</h1>
      <aside class="jobs-side"></aside>
      <div class="jobs-body"><div class="jobs-top"></div><div class="jobs-stale"></div><div class="jobs-list"></div><div class="jobs-empty"></div></div>
    </section>`, el);
    parts = {
      toolbar: mountJobsToolbar(el.querySelector(".jobs-top")),
      filters: mountJobFilters(el.querySelector(".jobs-side")),
      list: mountJobList(el.querySelector(".jobs-list")),
      empty: el.querySelector(".jobs-empty"),
      stale: el.querySelector(".jobs-stale"),
    };
    el.addEventListener("query-change", (e) => setQuery(e.detail));
    el.addEventListener("filters-toggle", () => {
      state.filtersOpen = !state.filtersOpen;
      draw();
    });
    el.addEventListener("load-more", () => state.nextCursor && !state.loading && load(true));
    el.addEventListener("job-status", (e) => setStatus(e.detail));
    parts.offChanged = ctx.data.on("changed", onChanged);
    parts.offServer = ctx.data.on("server", (event) => event?.type === "license.changed" && loadOptions());
    loadOptions();
  },
  update(route) {
    const query = parseQuery(route.search);
    const key = serializeQuery(query);
    if (state && serializeQuery(state.query) === key) {
      draw(); // same list (a language switch, or a redraw)
      return;
    }
    if (cache && cache.key === key) {
      state = cache.state;
      draw();
      requestAnimationFrame(() => window.scrollTo(0, cache.scrollY));
      return;
    }
    state = fresh(query);
    load();
  },
  unmount() {
    // Only a finished list is worth coming back to; a half-loaded one is loaded again.
    cache = state.loading || state.partial || state.error || !state.items.length ? null
      : { key: serializeQuery(state.query), state: { ...state }, scrollY: window.scrollY };
    unmountJobList(parts.list);
    for (const off of [parts.offChanged, parts.offServer]) if (typeof off === "function") off();
    parts = null;
    state = null;
    generation++;
  },
  /** Another screen changed a job (the detail view): keep the cached list true. */
  jobChanged(job) {
    if (!cache) return;
    const visible = statusesFor(cache.state.query.status).includes(job.status);
    const items = cache.state.items;
    cache.state.items = visible ? items.map((j) => (j.id === job.id ? { ...j, status: job.status, note: job.note } : j))
      : items.filter((j) => j.id !== job.id);
  },
};
