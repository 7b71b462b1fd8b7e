// The stages an application moves through: rename, reorder, add, remove,
// and say what reaching each one means (sent, the employer answered, over).
// Works on a draft; "Save stages" emits "stages-save" {stages}. A stage in
// any application's history cannot be removed (the server says so: 409).
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";
import { DEFAULT_LABELS, stageLabel } from "./app-common.js";

const FLAGS = ["submitted", "response", "terminal"];

export function mountStageEditor(el) {
  el.classList.add("stage-editor");
  el.setAttribute("data-testid", "stage-editor");
  return { el, open: false, draft: null, from: null };
}

// Shown in the user's language; a default label left as it was is saved as
// stored, so it keeps following the language.
function toDraft(stages) {
  return stages.map((s) => ({ ...s, shown: stageLabel(s, stages) }));
}

function fromDraft(draft) {
  return draft.map(({ shown, ...stage }) => {
    const unchanged = DEFAULT_LABELS[stage.key] && shown.trim() === t(`apps.stage.${stage.key}`);
    return { ...stage, label: unchanged ? stage.label : shown.trim() || stage.key };
  });
}

function newKey(label, draft) {
  const taken = new Set(draft.map((s) => s.key));
  const slug = label.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "_").replace(/^[^a-z]+|_+$/g, "").slice(0, 24);
  let key = slug || "stage";
  for (let n = 2; taken.has(key); n++) key = `${slug || "stage"}_${n}`;
  return key;
}

/** props: {stages, busy, error, offline}. */
export function updateStageEditor(view, props) {
  const { stages, busy, error, offline } = props;
  const redraw = () => updateStageEditor(view, props);
  if (!view.open) {
    render(html`<h2>${t("apps.stages.title")}</h2>
      <p class="muted small">${t("apps.stages.lead")}</p>
      <button class="button" type="button" data-testid="stages-edit" ?disabled=${offline || !stages.length}
        @click=${() => { view.open = true; view.draft = toDraft(stages); view.from = stages; redraw(); }}>
        ${t("apps.stages.edit")}</button>`, view.el);
    return;
  }
  if (view.from !== stages && !busy) {  // saved (or reloaded): start from what the server holds
    view.draft = toDraft(stages);
    view.from = stages;
  }
  const draft = view.draft;
  const move = (i, by) => {
    const [stage] = draft.splice(i, 1);
    draft.splice(i + by, 0, stage);
    redraw();
    view.el.querySelectorAll("[data-testid=stage-label]")[i + by]?.focus();
  };
  const add = (form) => {
    const input = form.elements.namedItem("label");
    const label = input.value.trim();
    if (!label) return;
    const closedAt = draft.findIndex((s) => s.terminal);
    const stage = { key: newKey(label, draft), label, shown: label, submitted: true, response: true, terminal: false };
    draft.splice(closedAt === -1 ? draft.length : closedAt, 0, stage);  // a new step goes before the closed ones
    input.value = "";
    redraw();
  };
  render(html`
    <h2>${t("apps.stages.title")}</h2>
    <p class="muted small">${t("apps.stages.help")}</p>
    <ol class="stage-rows">
      ${draft.map((stage, i) => html`<li class="stage-row" data-testid="stage-row" data-stage=${stage.key}>
        <label class="field grow"><span class="visually-hidden">${t("apps.stages.label")}</span>
          <input type="text" data-testid="stage-label" maxlength="60" .value=${stage.shown}
            @input=${(e) => { stage.shown = e.target.value; }}></label>
        <div class="stage-flags">
          ${FLAGS.map((flag) => html`<label class="check small" title=${t(`apps.stages.${flag}Help`)}>
            <input type="checkbox" data-testid=${`stage-${flag}`} .checked=${stage[flag]}
              @change=${(e) => { stage[flag] = e.target.checked; }}><span>${t(`apps.stages.${flag}`)}</span></label>`)}
        </div>
        <div class="row stage-order">
          <button class="icon-button" type="button" ?disabled=${i === 0} @click=${() => move(i, -1)}
            aria-label=${t("apps.stages.up", { stage: stage.shown })} title=${t("apps.stages.up", { stage: stage.shown })}>↑</button>
          <button class="icon-button" type="button" ?disabled=${i === draft.length - 1} @click=${() => move(i, 1)}
            aria-label=${t("apps.stages.down", { stage: stage.shown })} title=${t("apps.stages.down", { stage: stage.shown })}>↓</button>
          <button class="icon-button danger" type="button" data-testid="stage-remove" ?disabled=${draft.length <= 2}
            @click=${() => { draft.splice(i, 1); redraw(); }}
            aria-label=${t("apps.stages.remove", { stage: stage.shown })} title=${t("apps.stages.remove", { stage: stage.shown })}>×</button>
        </div>
      </li>`)}
    </ol>
    <form class="row stage-add" @submit=${(e) => { e.preventDefault(); add(e.target); }}>
      <label class="field grow"><span>${t("apps.stages.new")}</span>
        <input type="text" name="label" data-testid="stage-new" maxlength="60" placeholder=${t("apps.stages.newPlaceholder")}></label>
      <button class="button" type="submit" data-testid="stage-add">${t("apps.stages.add")}</button>
    </form>
    ${error ? html`<p class="field-error" role="alert" data-testid="stages-error">${error}</p>` : ""}
    <div class="row">
      <button class="button primary" type="button" data-testid="stages-save" ?disabled=${busy || offline}
        @click=${() => emit(view.el, "stages-save", { stages: fromDraft(draft) })}>${t("apps.stages.save")}</button>
      <button class="button ghost" type="button" @click=${() => { view.open = false; redraw(); }}>${t("common.cancel")}</button>
    </div>`, view.el);
}
