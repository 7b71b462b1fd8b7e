// A run's live progress, one row per board: waiting, searching (and which
// attempt), done with counts, or blocked / failed / timed out with the
// board's message and advice. Emits "run-cancel" {runId}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { adviceKey, isFinished, totals } from "/lib/progress.js";
import { boardName } from "../shared/badges.js";
import { emit } from "../shared/emit.js";
import { icon } from "../shared/icons.js";

function stateIcon(state) {
  if (state === "running") return html`<span class="spinner"></span>`;
  if (state === "done") return icon("check");
  if (state === "queued") return html`<span class="dot"></span>`;
  return icon("close");
}

function boardRow(b) {
  const advice = adviceKey(b);
  const tone = b.state === "done" ? "ok" : b.state === "blocked" || b.state === "timeout" ? "warn"
    : ["failed"].includes(b.state) ? "bad" : "idle";
  return html`<li class="board-progress tone-${tone}" data-testid="board-progress" data-board=${b.site}
    data-state=${b.state}>
    <span class="bp-icon">${stateIcon(b.state)}</span>
    <div class="bp-text">
      <div class="bp-line"><strong>${boardName(b.site)}</strong>
        <span class="bp-state">${t(`runState.board.${b.state}`)}${b.state === "running" && b.attempt > 1
          ? ` · ${t("run.attempt", { n: b.attempt })}` : ""}</span></div>
      ${b.state === "done" ? html`<p class="bp-counts">${t("run.boardCounts", { found: b.found, fresh: b.new, updated: b.updated })}</p>` : ""}
      ${advice ? html`<p class="bp-advice" data-testid="board-advice">${t(advice)}</p>` : ""}
      ${b.error && b.state !== "done" ? html`<details class="bp-error"><summary>${t("run.details")}</summary>
        <p>${b.error}</p></details>` : ""}
    </div>
  </li>`;
}

export function mountRunProgress(el) {
  el.classList.add("run-progress", "card");
  el.setAttribute("data-testid", "run-progress");
  return { el };
}

/** props: {run: progress state from lib/progress.js, term}. */
export function updateRunProgress(view, { run, term }) {
  const finished = isFinished(run);
  const sum = totals(run);
  render(html`
    <div class="run-head">
      <div>
        <h2>${finished ? t("run.finishedTitle") : t("run.runningTitle", { term })}</h2>
        <p class="muted small" data-testid="run-summary" data-state=${run.state} aria-live="polite">
          ${t(`runState.run.${run.state}`)} · ${t("run.progress", { done: sum.done, count: sum.count })}
          · ${t("run.totals", { found: sum.found, fresh: sum.new })}</p>
      </div>
      ${finished
        ? (sum.new || sum.found ? html`<a class="button primary" href="#/jobs?sort=newest" data-testid="run-see-jobs">
            ${t("run.seeJobs", { count: sum.new })}</a>` : "")
        : html`<button class="button danger" type="button" data-testid="run-cancel"
            @click=${() => emit(view.el, "run-cancel", { runId: run.id })}>${t("run.cancel")}</button>`}
    </div>
    ${run.error ? html`<p class="field-error">${run.error}</p>` : ""}
    <ul class="board-progress-list">${run.order.map((site) => boardRow(run.boards[site]))}</ul>`, view.el);
}
