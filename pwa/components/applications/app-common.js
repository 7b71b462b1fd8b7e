// Small pieces the Applications screens share: stage names, excitement,
// the dates a card or row shows, the Free-limit message, and a few icons
// only these screens use.
import { html, svg } from "/vendor/lit-html/lit-html.js";
import { formatDate, formatDateTime, t } from "/i18n/index.js";

// The server's default labels: a stage still called this is shown in the
// user's language; a stage the user renamed keeps the user's own name.
export const DEFAULT_LABELS = { saved: "Saved", applied: "Applied", screening: "Screening", interviewing: "Interviewing",
  offer: "Offer", accepted: "Accepted", rejected: "Rejected", withdrawn: "Withdrawn", ghosted: "Ghosted" };

export function stageLabel(stage, stages = []) {
  const key = typeof stage === "string" ? stage : stage?.key;
  const known = typeof stage === "string" ? stages.find((s) => s.key === key) : stage;
  if (!known) return DEFAULT_LABELS[key] ? t(`apps.stage.${key}`) : key || "";
  return DEFAULT_LABELS[key] === known.label ? t(`apps.stage.${key}`) : known.label;
}

export function stageBadge(key, stages, { pending = false } = {}) {
  const stage = stages.find((s) => s.key === key);
  const tone = !stage ? "open" : stage.terminal ? (key === "accepted" ? "good" : "closed") : stage.response ? "warm" : "open";
  return html`<span class="badge stage-badge tone-${tone}" data-testid="app-stage" data-stage=${key}>${stageLabel(key, stages)}</span>
    ${pending ? pendingBadge() : ""}`;
}

export function pendingBadge() {
  return html`<span class="badge pending-badge" data-testid="pending-badge" title=${t("apps.pendingHint")}>
    ${appIcon("sync")}${t("apps.pending")}</span>`;
}

/** "★★★☆☆" with a spoken label; nothing when unset. */
export function excitementStars(value) {
  if (!value) return "";
  return html`<span class="stars" role="img" aria-label=${t("apps.excitementOf", { value })}>${"★".repeat(value)}<span
    class="stars-off">${"★".repeat(5 - value)}</span></span>`;
}

/** The date the application was first sent: the earliest event at a "submitted" stage. */
export function appliedAt(app, stages) {
  const sent = new Set(stages.filter((s) => s.submitted).map((s) => s.key));
  const event = (app.events || []).find((e) => e.kind === "stage" && sent.has(e.stage));
  return event?.at ?? null;
}

export function nextInterview(app, now = Date.now()) {
  return (app.interviews || []).find((i) => Date.parse(i.endsAt || i.startsAt) >= now) ?? null;
}

/** The next thing that needs the user: a follow-up or an interview, soonest first. */
export function nextSteps(app, now = Date.now()) {
  const steps = [];
  const interview = nextInterview(app, now);
  if (interview) steps.push({ kind: "interview", at: interview.startsAt });
  if (app.followUpAt && app.active !== false) {
    steps.push({ kind: Date.parse(app.followUpAt) <= now ? "due" : "followUp", at: app.followUpAt });
  }
  return steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function stepLine(step) {
  if (step.kind === "interview") return html`<span class="step step-interview">${appIcon("calendar")}${t("apps.interviewOn", { date: formatDateTime(step.at) })}</span>`;
  if (step.kind === "due") return html`<span class="step step-due">${appIcon("bell")}${t("apps.followUpDue", { date: formatDate(step.at) })}</span>`;
  return html`<span class="step">${appIcon("bell")}${t("apps.followUpOn", { date: formatDate(step.at) })}</span>`;
}

/** Free's limit (a 402) as one sentence, for a toast or a field's error. */
export function limitText(error, usage) {
  return `${t("apps.limitTitle", { limit: error?.details?.limit ?? usage?.limit })} ${t("apps.limitBody")}`;
}

/** An offline edit dropped because another device removed its contact or interview. */
export function lostEditText(lost) {
  return t(lost === "contactEdit" ? "apps.contact.editLost" : "apps.interviewForm.editLost");
}

/** The words for a 402 from the Free plan's limit, with the way out. */
export function limitMessage(error, usage) {
  return html`<div class="limit-box" role="alert" data-testid="apps-limit">
    <p><strong>${t("apps.limitTitle", { limit: error?.details?.limit ?? usage?.limit })}</strong></p>
    <p>${t("apps.limitBody")}</p>
    <p class="row"><a class="button small primary" href="#/settings">${t("apps.limitLink")}</a>
      <span class="small muted">${error?.message || ""}</span></p>
  </div>`;
}

const PATHS = {
  plus: svg`<path d="M12 5v14M5 12h14"/>`,
  board: svg`<rect x="3" y="4" width="5" height="16" rx="1.5"/><rect x="10" y="4" width="5" height="11" rx="1.5"/><rect x="17" y="4" width="4" height="7" rx="1.5"/>`,
  table: svg`<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M3 10h18M3 15h18M9 4v16"/>`,
  calendar: svg`<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>`,
  bell: svg`<path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8M10 20a2 2 0 0 0 4 0"/>`,
  sync: svg`<path d="M20 12a8 8 0 0 1-14 5.3M4 12a8 8 0 0 1 14-5.3M18 3v4h-4M6 21v-4h4"/>`,
  grip: svg`<circle cx="9" cy="6" r="1"/><circle cx="15" cy="6" r="1"/><circle cx="9" cy="12" r="1"/><circle cx="15" cy="12" r="1"/><circle cx="9" cy="18" r="1"/><circle cx="15" cy="18" r="1"/>`,
  move: svg`<path d="M5 12h14M13 6l6 6-6 6"/>`,
  trash: svg`<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"/>`,
  edit: svg`<path d="M4 20h4L19 9l-4-4L4 16zM14 6l4 4"/>`,
  download: svg`<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>`,
  upload: svg`<path d="M12 20V9M7 14l5-5 5 5M5 4h14"/>`,
  chart: svg`<path d="M4 20V10M10 20V4M16 20v-7M22 20H2"/>`,
  ghost: svg`<path d="M6 20V10a6 6 0 0 1 12 0v10l-2-1.5-2 1.5-2-1.5-2 1.5-2-1.5z"/><circle cx="10" cy="10" r=".8"/><circle cx="14" cy="10" r=".8"/>`,
  person: svg`<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>`,
  chevron: svg`<path d="M9 6l6 6-6 6"/>`,
  lock: svg`<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>`,
};

export function appIcon(name, cls = "icon") {
  return html`<svg class=${cls} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}

/** Local "YYYY-MM-DD" of an ISO time, for date inputs. */
export function dateInput(value) {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local "YYYY-MM-DDTHH:MM" for datetime-local inputs. */
export function dateTimeInput(value) {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${dateInput(value)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A date input's day as an ISO time (9:00 where the user is); "" -> null. */
export function fromDateInput(text) {
  if (!text) return null;
  const d = new Date(`${text}T09:00:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function fromDateTimeInput(text) {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
