// The people and the meetings of one application: contacts and interviews,
// each listed with an inline form to add or edit. Adding, editing and removing
// work offline and show as pending until sent. Interviews keep their own time
// zone (the browser's by default) and offer an .ics file each, built by the
// server (its RFC 5545 code), so that link waits for the server. Emits
// "contact-save" {contact}, "contact-remove" {id}, "interview-save"
// {interview}, "interview-remove" {id}.
import { html } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";
import { safeUrl } from "../job-detail/job-detail.js";
import { appIcon, pendingBadge } from "./app-common.js";

const URL_HINT = "https://";
export const KINDS = ["phone", "video", "onsite", "technical", "panel", "other"];

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

let zones = null;
function zoneList() {
  zones ??= typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [browserZone(), "UTC"];
  return zones;
}

function when(interview) {
  const lang = document.documentElement.lang || undefined;
  const opts = { dateStyle: "full", timeStyle: "short" };
  let there;
  try {
    there = new Intl.DateTimeFormat(lang, { ...opts, timeZone: interview.timeZone }).format(new Date(interview.startsAt));
  } catch {
    there = new Intl.DateTimeFormat(lang, opts).format(new Date(interview.startsAt));
  }
  const here = browserZone() === interview.timeZone ? null
    : new Intl.DateTimeFormat(lang, { timeStyle: "short", dateStyle: "medium" }).format(new Date(interview.startsAt));
  return { there, here };
}

const kindLabel = (kind) => (KINDS.includes(kind) ? t(`apps.kind.${kind}`) : kind);

function fieldsOf(form) {
  const data = new FormData(form);
  const text = (name) => {
    const value = String(data.get(name) ?? "").trim();
    return value || null;
  };
  return { data, text };
}

// -- contacts --------------------------------------------------------------------

function contactForm(view, contact) {
  const submit = (e) => {
    e.preventDefault();
    const { text } = fieldsOf(e.target);
    const out = { name: text("name"), role: text("role"), email: text("email"), phone: text("phone"),
      link: text("link"), notes: text("notes") };
    if (contact?.id) out.id = contact.id;
    else for (const key of Object.keys(out)) if (out[key] === null) delete out[key];
    emit(view.el, "contact-save", { contact: out });
  };
  return html`<form class="inline-form" data-testid="contact-form" @submit=${submit}>
    <div class="form-grid">
      <label class="field"><span>${t("apps.contact.name")}</span>
        <input type="text" name="name" required maxlength="200" data-testid="contact-name" .value=${contact?.name ?? ""}></label>
      <label class="field"><span>${t("apps.contact.role")}</span>
        <input type="text" name="role" maxlength="500" .value=${contact?.role ?? ""}></label>
      <label class="field"><span>${t("apps.contact.email")}</span>
        <input type="email" name="email" maxlength="500" .value=${contact?.email ?? ""}></label>
      <label class="field"><span>${t("apps.contact.phone")}</span>
        <input type="tel" name="phone" maxlength="60" .value=${contact?.phone ?? ""}></label>
      <label class="field wide"><span>${t("apps.contact.link")}</span>
        <input type="url" name="link" maxlength="2000" placeholder=${URL_HINT} .value=${contact?.link ?? ""}></label>
      <label class="field wide"><span>${t("apps.contact.notes")}</span>
        <textarea name="notes" maxlength="100000" .value=${contact?.notes ?? ""}></textarea></label>
    </div>
    <div class="row">
      <button class="button primary small" type="submit" data-testid="contact-save">${t("apps.save")}</button>
      <button class="button ghost small" type="button" @click=${() => emit(view.el, "people-edit", { contact: null })}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

export function contactsCard(view, { app, editing, online }) {
  const list = app.contacts || [];
  return html`<section class="card people-card">
    <div class="card-head"><h2>${appIcon("person")}${t("apps.contacts")}</h2>
      ${editing.contact === "new" ? "" : html`<button class="button small" type="button" data-testid="contact-add"
        @click=${() => emit(view.el, "people-edit", { contact: "new" })}>${appIcon("plus")}${t("apps.contact.add")}</button>`}</div>
    ${!online ? html`<p class="small muted">${t("apps.peopleOffline")}</p>` : ""}
    ${editing.contact === "new" ? contactForm(view, null) : ""}
    ${list.length || editing.contact === "new" ? "" : html`<p class="muted small">${t("apps.contact.none")}</p>`}
    <ul class="people">${list.map((c) => editing.contact === c.id ? html`<li>${contactForm(view, c)}</li>` : html`
      <li class="person" data-testid="contact-row" data-id=${c.id} data-pending=${c.pending ? "true" : "false"}>
        <div class="person-main"><strong>${c.name}</strong>${c.role ? html` <span class="muted">· ${c.role}</span>` : ""}
          ${c.pending ? pendingBadge() : ""}
          <p class="person-links small">
            ${c.email ? html`<a href=${`mailto:${c.email}`}>${c.email}</a>` : ""}
            ${c.phone ? html`<a href=${`tel:${c.phone.replace(/[^\d+]/g, "")}`}>${c.phone}</a>` : ""}
            ${safeUrl(c.link) ? html`<a href=${safeUrl(c.link)} target="_blank" rel="noopener noreferrer">${t("apps.contact.profile")}</a>` : ""}
          </p>
          ${c.notes ? html`<p class="small muted person-notes">${c.notes}</p>` : ""}</div>
        <div class="person-actions">
          <button class="icon-button" type="button" data-testid="contact-edit" aria-label=${t("apps.contact.edit", { name: c.name })}
            @click=${() => emit(view.el, "people-edit", { contact: c.id })}>${appIcon("edit")}</button>
          <button class="icon-button" type="button" data-testid="contact-remove" aria-label=${t("apps.contact.remove", { name: c.name })}
            @click=${() => emit(view.el, "contact-remove", { id: c.id, name: c.name })}>${appIcon("trash")}</button>
        </div>
      </li>`)}</ul>
  </section>`;
}

// -- interviews ------------------------------------------------------------------

function interviewForm(view, interview) {
  const submit = (e) => {
    e.preventDefault();
    const { text } = fieldsOf(e.target);
    const start = text("start");
    const out = {
      startsAt: start && start.length === 16 ? `${start}:00` : start,
      timeZone: text("zone") || browserZone(),
      durationMinutes: Math.min(1440, Math.max(1, Number(text("duration")) || 60)),
      kind: text("kind"), location: text("place"), meetingUrl: text("link"),
      participants: (text("people") || "").split(",").map((p) => p.trim()).filter(Boolean).slice(0, 50),
      notes: text("notes"),
    };
    if (interview?.id) out.id = interview.id;
    else for (const key of Object.keys(out)) if (out[key] === null) delete out[key];
    emit(view.el, "interview-save", { interview: out });
  };
  return html`<form class="inline-form" data-testid="interview-form" @submit=${submit}>
    <div class="form-grid">
      <label class="field"><span>${t("apps.interviewForm.start")}</span>
        <input type="datetime-local" name="start" required data-testid="interview-start"
          .value=${interview?.localStart ? interview.localStart.slice(0, 16) : ""}></label>
      <label class="field"><span>${t("apps.interviewForm.zone")}</span>
        <input type="text" name="zone" list="zone-list" required data-testid="interview-zone" autocomplete="off"
          .value=${interview?.timeZone ?? browserZone()}></label>
      <label class="field"><span>${t("apps.interviewForm.duration")}</span>
        <input type="number" name="duration" min="1" max="1440" .value=${String(interview?.durationMinutes ?? 60)}></label>
      <label class="field"><span>${t("apps.interviewForm.kind")}</span>
        <select name="kind" data-testid="interview-kind">
          <option value="" ?selected=${!interview?.kind}>—</option>
          ${KINDS.map((k) => html`<option value=${k} ?selected=${interview?.kind === k}>${kindLabel(k)}</option>`)}
        </select></label>
      <label class="field"><span>${t("apps.interviewForm.place")}</span>
        <input type="text" name="place" maxlength="500" data-testid="interview-place" .value=${interview?.location ?? ""}></label>
      <label class="field"><span>${t("apps.interviewForm.link")}</span>
        <input type="url" name="link" maxlength="2000" placeholder=${URL_HINT} data-testid="interview-link" .value=${interview?.meetingUrl ?? ""}></label>
      <label class="field wide"><span>${t("apps.interviewForm.people")}</span>
        <input type="text" name="people" data-testid="interview-people" .value=${(interview?.participants ?? []).join(", ")}
          placeholder=${t("apps.interviewForm.peopleHint")}></label>
      <label class="field wide"><span>${t("apps.interviewForm.notes")}</span>
        <textarea name="notes" maxlength="100000" .value=${interview?.notes ?? ""}></textarea></label>
    </div>
    <datalist id="zone-list">${zoneList().map((z) => html`<option value=${z}></option>`)}</datalist>
    <div class="row">
      <button class="button primary small" type="submit" data-testid="interview-save">${t("apps.save")}</button>
      <button class="button ghost small" type="button" @click=${() => emit(view.el, "people-edit", { interview: null })}>${t("common.cancel")}</button>
    </div>
  </form>`;
}

export function interviewsCard(view, { app, editing, online, icsUrl, calendarUrl }) {
  const list = app.interviews || [];
  const now = Date.now();
  return html`<section class="card people-card">
    <div class="card-head"><h2>${appIcon("calendar")}${t("apps.interviews")}</h2>
      ${editing.interview === "new" ? "" : html`<button class="button small" type="button" data-testid="interview-add"
        @click=${() => emit(view.el, "people-edit", { interview: "new" })}>${appIcon("plus")}${t("apps.interviewForm.add")}</button>`}</div>
    ${!online ? html`<p class="small muted">${t("apps.peopleOffline")}</p>` : ""}
    ${editing.interview === "new" ? interviewForm(view, null) : ""}
    ${list.length || editing.interview === "new" ? "" : html`<p class="muted small">${t("apps.interviewForm.none")}</p>`}
    <ul class="people">${list.map((i) => {
      if (editing.interview === i.id) return html`<li>${interviewForm(view, i)}</li>`;
      const { there, here } = when(i);
      const past = Date.parse(i.endsAt) < now;
      const link = safeUrl(i.meetingUrl);
      return html`<li class="person interview ${past ? "past" : ""}" data-testid="interview-row" data-id=${i.id}
          data-pending=${i.pending ? "true" : "false"}>
        <div class="person-main">
          <strong>${there}</strong> ${i.kind ? html`<span class="badge">${kindLabel(i.kind)}</span>` : ""}
          ${i.pending ? pendingBadge() : ""}
          <p class="small muted">${i.timeZone}${here ? html` · ${t("apps.interviewForm.yourTime", { time: here })}` : ""}
            · ${t("apps.interviewForm.minutes", { count: i.durationMinutes })}</p>
          ${i.location ? html`<p class="small">${i.location}</p>` : ""}
          ${link ? html`<p class="small"><a href=${link} target="_blank" rel="noopener noreferrer">${t("apps.interviewForm.join")}</a></p>` : ""}
          ${i.participants?.length ? html`<p class="small muted">${t("apps.interviewForm.with", { people: i.participants.join(", ") })}</p>` : ""}
          ${i.notes ? html`<p class="small muted person-notes">${i.notes}</p>` : ""}
          ${i.pending || !online ? "" : html`<p class="small"><a href=${icsUrl(i.id)} download data-testid="interview-ics">${appIcon("download")}${t("apps.interviewForm.ics")}</a></p>`}
        </div>
        <div class="person-actions">
          <button class="icon-button" type="button" data-testid="interview-edit" aria-label=${t("apps.interviewForm.edit")}
            @click=${() => emit(view.el, "people-edit", { interview: i.id })}>${appIcon("edit")}</button>
          <button class="icon-button" type="button" data-testid="interview-remove" aria-label=${t("apps.interviewForm.remove")}
            @click=${() => emit(view.el, "interview-remove", { id: i.id })}>${appIcon("trash")}</button>
        </div>
      </li>`;
    })}</ul>
    <p class="small"><a href=${calendarUrl} download data-testid="apps-calendar">${appIcon("calendar")}${t("apps.transfer.calendar")}</a></p>
  </section>`;
}
