// The board: a column per stage, in the server's order; cards move between
// columns by mouse (HTML5 drag and drop), by finger (the grip, with pointer
// events), or by keyboard (arrow keys on a focused card, or its "Move to…"
// menu). Terminal stages can be folded to a narrow strip. Emits "app-move"
// {id, stage, title} and "column-toggle" {stage}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { applicationHash } from "/lib/router.js";
import { emit } from "../shared/emit.js";
import { appIcon, excitementStars, nextSteps, pendingBadge, stageLabel, stepLine } from "./app-common.js";

export function mountBoard(el) {
  el.classList.add("kanban"); // not "board": the board badges (LinkedIn, Indeed) use that class
  el.setAttribute("data-testid", "apps-board");
  const view = { el, props: null, touch: null, focus: null };
  el.addEventListener("dragover", (e) => {
    const col = e.target.closest?.(".board-col");
    if (!col || !e.dataTransfer?.types.includes("text/x-jobdeck-app")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    highlight(view, col);
  });
  el.addEventListener("dragleave", (e) => {
    if (!el.contains(e.relatedTarget)) highlight(view, null);
  });
  el.addEventListener("drop", (e) => {
    const col = e.target.closest?.(".board-col");
    const id = Number(e.dataTransfer?.getData("text/x-jobdeck-app"));
    highlight(view, null);
    if (!col || !id) return;
    e.preventDefault();
    move(view, id, col.dataset.stage);
  });
  return view;
}

function highlight(view, col) {
  for (const c of view.el.querySelectorAll(".board-col.drop-target")) if (c !== col) c.classList.remove("drop-target");
  col?.classList.add("drop-target");
}

function move(view, id, stage) {
  const app = view.props.items.find((a) => a.id === id);
  if (!app || app.stage === stage) return;
  emit(view.el, "app-move", { id, stage, title: app.title });
}

function onKey(view, e, app) {
  if (e.target !== e.currentTarget) return;  // keys inside the card's own controls are theirs
  const stages = view.props.stages;
  const at = stages.findIndex((s) => s.key === app.stage);
  if (e.key === "Enter") {
    location.hash = applicationHash(app.id);
    return;
  }
  if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
  const next = stages[at + (e.key === "ArrowRight" ? 1 : -1)];
  if (!next) return;
  e.preventDefault();
  view.focus = { id: app.id, stage: next.key };
  move(view, app.id, next.key);
}

// Touch: the grip follows the finger; the column under it takes the card.
function touchStart(view, e, app) {
  if (e.pointerType === "mouse") return;
  const card = e.currentTarget.closest(".app-card");
  e.currentTarget.setPointerCapture(e.pointerId);
  view.touch = { id: app.id, card, x: e.clientX, y: e.clientY, target: null };
  card.classList.add("dragging");
}

function touchMove(view, e) {
  const touch = view.touch;
  if (!touch) return;
  e.preventDefault();
  touch.card.style.transform = `translate(${e.clientX - touch.x}px, ${e.clientY - touch.y}px) rotate(1.5deg)`;
  touch.card.style.pointerEvents = "none";
  const col = document.elementFromPoint(e.clientX, e.clientY)?.closest(".board-col") ?? null;
  touch.card.style.pointerEvents = "";
  touch.target = col;
  highlight(view, col);
  const box = view.el.getBoundingClientRect();
  if (e.clientX < box.left + 40) view.el.scrollLeft -= 14;
  else if (e.clientX > box.right - 40) view.el.scrollLeft += 14;
}

function touchEnd(view, e, cancelled = false) {
  const touch = view.touch;
  if (!touch) return;
  view.touch = null;
  touch.card.style.transform = "";
  touch.card.classList.remove("dragging");
  highlight(view, null);
  if (!cancelled && touch.target) move(view, touch.id, touch.target.dataset.stage);
}

function card(view, app, stages) {
  const steps = nextSteps(app);
  const others = stages.filter((s) => s.key !== app.stage);
  const closeMenu = (e) => {
    if (e.key === "Escape") {
      const details = e.currentTarget.closest("details");
      details.open = false;
      details.querySelector("summary").focus();
    }
  };
  return html`<article class="app-card ${app.pending ? "is-pending" : ""}" tabindex="0" draggable="true"
      data-testid="app-card" data-app-id=${app.id} data-stage=${app.stage} data-pending=${app.pending ? "true" : "false"}
      aria-label=${t("apps.cardLabel", { title: app.title, company: app.company || t("job.unknownCompany"), stage: stageLabel(app.stage, stages) })}
      aria-describedby="board-help"
      @keydown=${(e) => onKey(view, e, app)}
      @dragstart=${(e) => {
        e.dataTransfer.setData("text/x-jobdeck-app", String(app.id));
        e.dataTransfer.setData("text/plain", app.title);
        e.dataTransfer.effectAllowed = "move";
        e.currentTarget.classList.add("dragging");
      }}
      @dragend=${(e) => { e.currentTarget.classList.remove("dragging"); highlight(view, null); }}>
    <div class="card-top">
      <a class="card-title" href=${applicationHash(app.id)} draggable="false">${app.title}</a>
      <span class="grip" aria-hidden="true" @pointerdown=${(e) => touchStart(view, e, app)}
        @pointermove=${(e) => touchMove(view, e)} @pointerup=${(e) => touchEnd(view, e)}
        @pointercancel=${(e) => touchEnd(view, e, true)}>${appIcon("grip")}</span>
    </div>
    ${app.company ? html`<p class="card-company">${app.company}</p>` : ""}
    ${steps.length ? html`<p class="card-steps">${stepLine(steps[0])}</p>` : ""}
    <div class="card-foot">
      ${excitementStars(app.excitement)}
      ${app.pending ? pendingBadge() : ""}
      <details class="card-move" @keydown=${closeMenu}>
        <summary class="button ghost small" data-testid="card-move" aria-label=${t("apps.moveLabel", { title: app.title })}>
          ${appIcon("move")}<span>${t("apps.moveTo")}</span></summary>
        <div class="move-menu" role="group" aria-label=${t("apps.moveLabel", { title: app.title })}>
          ${others.map((s) => html`<button type="button" class="move-item" data-testid="card-move-to" data-stage=${s.key}
            @click=${(e) => { e.currentTarget.closest("details").open = false; view.focus = { id: app.id, stage: s.key }; move(view, app.id, s.key); }}>
            ${stageLabel(s, stages)}</button>`)}
        </div>
      </details>
    </div>
  </article>`;
}

/** props: {items, stages, collapsed: Set of stage keys} */
export function updateBoard(view, props) {
  view.props = props;
  const { items, stages, collapsed } = props;
  const byStage = new Map(stages.map((s) => [s.key, []]));
  for (const app of items) (byStage.get(app.stage) ?? byStage.set(app.stage, []).get(app.stage)).push(app);
  render(html`${stages.map((stage) => {
    const apps = byStage.get(stage.key) ?? [];
    const folded = collapsed.has(stage.key);
    const label = stageLabel(stage, stages);
    return html`<section class="board-col ${stage.terminal ? "terminal" : ""} ${folded ? "folded" : ""}"
        data-testid="board-column" data-stage=${stage.key} aria-label=${t("apps.columnLabel", { stage: label, count: apps.length })}>
      <header class="col-head">
        <h2 class="col-title"><span class="col-dot tone-${stage.terminal ? "closed" : stage.response ? "warm" : "open"}"></span>${label}</h2>
        <span class="col-count" data-testid="column-count">${apps.length}</span>
        ${stage.terminal ? html`<button class="icon-button col-toggle" type="button" data-testid="column-toggle"
          aria-expanded=${folded ? "false" : "true"} aria-label=${t(folded ? "apps.expandColumn" : "apps.collapseColumn", { stage: label })}
          @click=${() => emit(view.el, "column-toggle", { stage: stage.key })}>${appIcon("chevron", `icon ${folded ? "" : "turned"}`)}</button>` : ""}
      </header>
      ${folded ? "" : html`<div class="col-cards">
        ${apps.map((a) => card(view, a, stages))}
        ${apps.length ? "" : html`<p class="col-empty">${t("apps.columnEmpty")}</p>`}
      </div>`}
    </section>`;
  })}`, view.el);
  // After a keyboard move the card is drawn in its new column: the keyboard stays on it.
  if (view.focus) {
    const again = view.el.querySelector(`[data-testid=app-card][data-app-id="${view.focus.id}"][data-stage="${view.focus.stage}"]`);
    if (again) {
      view.focus = null;
      again.focus();
    }
  }
}
