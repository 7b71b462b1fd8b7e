// One application: what the job is (title, company, place, link, description:
// editable, for a typo or a link found later) and the board it came from, its
// stage (move, back-dated if need be), the fields the user keeps (excitement,
// salary, resume, source, tags, follow-up), notes in markdown (shown
// sanitised), the whole history with a dated note form, and the contacts and
// interviews. Emits "app-update" {fields}, "app-event" {stage?, note?, at?},
// "people-edit" and the people events (app-people.js).
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatDate, formatDateTime, t } from "/i18n/index.js";
import { renderDescription } from "/lib/markdown.js";
import { boardBadge } from "../shared/badges.js";
import { emit } from "../shared/emit.js";
import { icon } from "../shared/icons.js";
import { safeUrl } from "../job-detail/job-detail.js";
import { appIcon, dateInput, dateTimeInput, fromDateInput, fromDateTimeInput, pendingBadge, stageBadge, stageLabel } from "./app-common.js";
import { contactsCard, interviewsCard } from "./app-people.js";

const INTERVALS = ["yearly", "monthly", "weekly", "daily", "hourly"];
const CURRENCIES = ["USD", "EUR", "GBP", "TWD", "JPY", "CNY", "HKD", "SGD", "AUD", "CAD", "CHF", "INR", "KRW", "NZD", "SEK"];

export function mountApplicationDetail(el) {
  el.classList.add("app-detail");
  el.setAttribute("data-testid", "application-detail");
  return { el, editingNotes: false, editingJob: false };
}

function number(value) {
  if (value === "" || value === null || value === undefined) return null;
  const n = Number(String(value).replace(/[,\s]/g, ""));
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The job itself, as a form: only the fields that changed are sent; a title cannot be emptied. */
function jobForm(view, app) {
  const close = () => { view.editingJob = false; emit(view.el, "redraw"); };
  const submit = (e) => {
    e.preventDefault();
    const form = e.target;
    const fields = {};
    for (const name of ["title", "company", "location", "url", "description"]) {
      const raw = form[name].value;
      const value = name === "description" ? (raw.trim() ? raw : null) : raw.trim() || null;
      if (value !== (app[name] ?? null)) fields[name] = value;
    }
    if (fields.title === null) return;  // the input is required: the browser says so
    view.editingJob = false;
    if (Object.keys(fields).length) emit(view.el, "app-update", { fields });
    else emit(view.el, "redraw");
  };
  return html`<form class="job-form form-grid" data-testid="app-job-form" @submit=${submit}>
    <label class="field wide"><span>${t("apps.add.jobTitle")}</span>
      <input type="text" name="title" required maxlength="500" data-testid="app-job-title" .value=${app.title}></label>
    <label class="field"><span>${t("apps.add.company")}</span>
      <input type="text" name="company" maxlength="500" data-testid="app-job-company" .value=${app.company ?? ""}></label>
    <label class="field"><span>${t("apps.detail.location")}</span>
      <input type="text" name="location" maxlength="500" data-testid="app-job-location" .value=${app.location ?? ""}></label>
    <label class="field wide"><span>${t("apps.add.url")}</span>
      <input type="url" name="url" maxlength="2000" data-testid="app-job-url" .value=${app.url ?? ""}></label>
    <label class="field wide"><span>${t("apps.add.description")}</span>
      <textarea name="description" maxlength="100000" rows="4" data-testid="app-job-description"
        .value=${app.description ?? ""}></textarea></label>
    <div class="row wide">
      <button class="button primary small" type="submit" data-testid="app-job-save">${t("apps.save")}</button>
      <button class="button ghost small" type="button" @click=${close}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

function stageMover(view, app, stages) {
  const submit = (e) => {
    e.preventDefault();
    const form = e.target;
    const stage = form.stage.value;
    const day = form.at.value;
    // Today means now; an earlier day is a back-dated step (noon of that day, where the user is).
    const at = !day || day === dateInput(new Date().toISOString()) ? undefined : new Date(`${day}T12:00:00`).toISOString();
    emit(view.el, "app-event", { stage, at });
  };
  return html`<form class="stage-mover" @submit=${submit}>
    <label class="field"><span>${t("apps.detail.moveTo")}</span>
      <select name="stage" data-testid="app-stage-select">${stages.map((s) => html`<option value=${s.key}
        ?selected=${s.key === app.stage}>${stageLabel(s, stages)}</option>`)}</select></label>
    <label class="field"><span>${t("apps.detail.when")}</span>
      <input type="date" name="at" data-testid="app-stage-at" .value=${dateInput(new Date().toISOString())}
        max=${dateInput(new Date().toISOString())}></label>
    <button class="button primary" type="submit" data-testid="app-stage-move">${appIcon("move")}${t("apps.detail.move")}</button>
  </form>`;
}

function excitement(view, app) {
  return html`<fieldset class="excitement">
    <legend class="legend">${t("apps.detail.excitement")}</legend>
    <div class="excite-row">${[1, 2, 3, 4, 5].map((n) => html`<label class="excite ${app.excitement >= n ? "on" : ""}"
        data-testid="app-excitement" data-value=${n}>
      <input type="radio" name="excitement" value=${n} .checked=${app.excitement === n}
        @change=${() => emit(view.el, "app-update", { fields: { excitement: n } })}>
      <span aria-hidden="true">★</span><span class="visually-hidden">${t("apps.excitementOf", { value: n })}</span></label>`)}
      ${app.excitement ? html`<button class="button ghost small" type="button"
        @click=${() => emit(view.el, "app-update", { fields: { excitement: null } })}>${t("apps.detail.clear")}</button>` : ""}
    </div>
  </fieldset>`;
}

function fieldsCard(view, app) {
  const save = (name, convert = (v) => (v.trim() ? v.trim() : null)) => (e) => {
    const value = convert(e.target.value);
    if (value === undefined) return;  // not a number: leave it for the user to correct
    emit(view.el, "app-update", { fields: { [name]: value } });
  };
  return html`<section class="card fields-card">
    <h2>${t("apps.detail.details")}</h2>
    ${excitement(view, app)}
    <div class="form-grid">
      <label class="field"><span>${t("apps.detail.salaryExpectation")}</span>
        <input type="text" inputmode="decimal" data-testid="app-salary-expectation" .value=${app.salaryExpectation ?? ""}
          @change=${save("salaryExpectation", number)}></label>
      <label class="field"><span>${t("apps.detail.salaryOffer")}</span>
        <input type="text" inputmode="decimal" data-testid="app-salary-offer" .value=${app.salaryOffer ?? ""}
          @change=${save("salaryOffer", number)}></label>
      <label class="field"><span>${t("apps.detail.currency")}</span>
        <input type="text" list="currency-list" maxlength="3" autocapitalize="characters" data-testid="app-salary-currency"
          .value=${app.salaryCurrency ?? ""} @change=${save("salaryCurrency", (v) => (/^[A-Za-z]{3}$/.test(v.trim()) ? v.trim().toUpperCase() : v.trim() ? undefined : null))}></label>
      <label class="field"><span>${t("apps.detail.interval")}</span>
        <select data-testid="app-salary-interval" @change=${save("salaryInterval")}>
          <option value="" ?selected=${!app.salaryInterval}>—</option>
          ${INTERVALS.map((i) => html`<option value=${i} ?selected=${app.salaryInterval === i}>${t(`apps.interval.${i}`)}</option>`)}
        </select></label>
      <label class="field"><span>${t("apps.detail.resume")}</span>
        <input type="text" maxlength="500" data-testid="app-resume" .value=${app.resumeVersion ?? ""} @change=${save("resumeVersion")}></label>
      <label class="field"><span>${t("apps.detail.source")}</span>
        <input type="text" maxlength="500" data-testid="app-source" .value=${app.source ?? ""} @change=${save("source")}></label>
      <label class="field wide"><span>${t("apps.detail.tags")} <span class="hint">${t("apps.detail.tagsHint")}</span></span>
        <input type="text" data-testid="app-tags" .value=${(app.tags || []).join(", ")}
          @change=${save("tags", (v) => [...new Set(v.split(",").map((s) => s.trim().slice(0, 60)).filter(Boolean))].slice(0, 50))}></label>
      <label class="field wide"><span>${t("apps.detail.followUp")}</span>
        <input type="date" data-testid="app-follow-up" .value=${dateInput(app.followUpAt)} @change=${save("followUpAt", (v) => fromDateInput(v))}></label>
    </div>
    <datalist id="currency-list">${CURRENCIES.map((c) => html`<option value=${c}></option>`)}</datalist>
  </section>`;
}

function notesCard(view, app) {
  const editing = view.editingNotes;
  return html`<section class="card notes-card">
    <div class="card-head"><h2>${t("apps.detail.notes")}</h2>
      ${editing ? "" : html`<button class="button small" type="button" data-testid="app-notes-edit"
        @click=${() => { view.editingNotes = true; emit(view.el, "redraw"); }}>${appIcon("edit")}${t("apps.detail.editNotes")}</button>`}</div>
    ${editing ? html`<label class="field"><span class="visually-hidden">${t("apps.detail.notes")}</span>
        <textarea class="notes-input" data-testid="app-notes" maxlength="100000" .value=${app.notes ?? ""}
          placeholder=${t("apps.detail.notesHint")}></textarea></label>
      <div class="row">
        <button class="button primary small" type="button" data-testid="app-notes-save"
          @click=${(e) => { const text = e.target.closest(".card").querySelector("textarea").value; view.editingNotes = false;
            emit(view.el, "app-update", { fields: { notes: text.trim() ? text : null } }); }}>${t("apps.save")}</button>
        <button class="button ghost small" type="button" @click=${() => { view.editingNotes = false; emit(view.el, "redraw"); }}>${t("common.cancel")}</button>
        <span class="small muted">${t("apps.detail.markdown")}</span></div>`
      : app.notes ? html`<div class="prose" data-testid="app-notes-view" .innerHTML=${renderDescription(app.notes)}></div>`
        : html`<p class="muted small" data-testid="app-notes-view">${t("apps.detail.noNotes")}</p>`}
  </section>`;
}

function timeline(view, app, stages) {
  const events = [...(app.events || [])].reverse();  // newest first
  const addNote = (e) => {
    e.preventDefault();
    const form = e.target;
    const note = form.note.value.trim();
    if (!note) return;
    emit(view.el, "app-event", { note, at: fromDateTimeInput(form.at.value) || undefined });
    form.note.value = "";
  };
  return html`<section class="card history-card">
    <h2>${icon("clock")}${t("apps.detail.history")}</h2>
    <form class="note-form" @submit=${addNote}>
      <label class="field"><span>${t("apps.detail.addNote")}</span>
        <textarea name="note" rows="2" maxlength="20000" data-testid="note-text" placeholder=${t("apps.detail.noteHint")}></textarea></label>
      <div class="row">
        <label class="field inline"><span>${t("apps.detail.noteWhen")}</span>
          <input type="datetime-local" name="at" data-testid="note-at" .value=${dateTimeInput(new Date().toISOString())}></label>
        <button class="button small" type="submit" data-testid="note-add">${appIcon("plus")}${t("apps.detail.addNoteButton")}</button>
      </div>
    </form>
    <ol class="timeline" data-testid="timeline">${events.map((e) => html`
      <li class="tl-item kind-${e.kind} ${e.pending ? "is-pending" : ""}" data-testid="timeline-event" data-kind=${e.kind}>
        <span class="tl-dot" aria-hidden="true"></span>
        <div class="tl-body">
          <p class="tl-head">${e.kind === "stage" ? html`${t("apps.detail.movedTo")} ${stageBadge(e.stage, stages)}`
            : html`<strong>${t("apps.detail.note")}</strong>`}
            ${e.pending ? pendingBadge() : ""}</p>
          ${e.note ? html`<p class="tl-note">${e.note}</p>` : ""}
          <p class="tl-date small muted"><time datetime=${e.at}>${formatDateTime(e.at)}</time></p>
        </div>
      </li>`)}</ol>
  </section>`;
}

/** props: {app, stages, online, editing, urls: {ics(id), calendar}} */
export function updateApplicationDetail(view, { app, stages, online, editing, urls }) {
  const link = safeUrl(app.url);
  render(html`
    <a class="back-link" href="#/applications">${icon("back")}${t("apps.detail.back")}</a>
    <header class="app-head card">
      <div class="app-head-main">
        <p class="app-stage-line">${stageBadge(app.stage, stages)} <span class="small muted">${t("apps.detail.since", { date: formatAgo(app.stageAt) })}</span>
          ${app.pending ? html`<span data-testid="app-pending">${pendingBadge()}</span>` : ""}</p>
        <h1 data-testid="app-title">${app.title}</h1>
        <p class="app-company">${icon("building")}<span data-testid="app-company">${app.company || t("job.unknownCompany")}</span>
          ${app.location ? html`<span class="muted">· ${app.location}</span>` : ""}
          ${app.board ? boardBadge(app.board) : ""}</p>
        ${view.editingJob ? jobForm(view, app) : html`<p class="row app-links">
          ${link ? html`<a class="button small" href=${link} target="_blank" rel="noopener noreferrer"
            data-testid="app-posting">${t("apps.detail.posting")}${icon("external")}</a>` : ""}
          ${app.jobId ? html`<a class="button small ghost" href=${`#/job/${app.jobId}`}>${t("apps.detail.storedJob")}</a>` : ""}
          <button class="button small ghost" type="button" data-testid="app-job-edit"
            @click=${() => { view.editingJob = true; emit(view.el, "redraw"); }}>${appIcon("edit")}${t("apps.detail.editJob")}</button>
          <span class="small muted">${t("apps.detail.created", { date: formatDate(app.createdAt) })}</span>
        </p>`}
      </div>
      ${stageMover(view, app, stages)}
    </header>
    <div class="app-grid">
      <div class="app-main">
        ${notesCard(view, app)}
        ${timeline(view, app, stages)}
        ${app.description ? html`<details class="card description-card"><summary><h2>${t("job.description")}</h2></summary>
          <div class="prose" .innerHTML=${renderDescription(app.description)}></div></details>` : ""}
      </div>
      <aside class="app-side">
        ${fieldsCard(view, app)}
        ${interviewsCard(view, { app, editing, online, icsUrl: urls.ics, calendarUrl: urls.calendar })}
        ${contactsCard(view, { app, editing, online })}
      </aside>
    </div>`, view.el);
}
