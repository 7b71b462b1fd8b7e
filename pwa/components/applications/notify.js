// Browser notifications for reminders while the app is open (the
// Notification API from the page, no push). Permission is asked only from a
// click; each reminder notifies at most once a day.
import { formatDateTime, t } from "/i18n/index.js";
import { keep, kept } from "/lib/kept.js";
import { applicationHash } from "/lib/router.js";

const SEEN_KEY = "jobdeck.remindersNotified";
const EVERY_MS = 15 * 60 * 1000;
let timer = null;

export const supported = () => typeof Notification !== "undefined";
export const permission = () => (supported() ? Notification.permission : "unsupported");

/** Call from a click only: browsers refuse (and users dislike) a prompt out of nowhere. */
export async function askPermission() {
  if (!supported()) return "unsupported";
  return Notification.requestPermission();
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function seen() {
  const held = kept(SEEN_KEY, {});
  return held.day === today() ? held : { day: today(), keys: [] };
}

function remember(state) {
  // In private mode a reminder may show again this day.
  keep(SEEN_KEY, { day: state.day, keys: state.keys.slice(-500) });
}

/** What to say for this set of reminders: follow-ups due, interviews in the next day. */
export function messages(reminders, titles = new Map(), now = Date.now()) {
  const out = [];
  for (const f of reminders?.due ?? []) {
    out.push({ key: `due:${f.applicationId}`, appId: f.applicationId,
      title: t("apps.notify.followUpTitle"), body: t("apps.notify.followUpBody", { title: f.title, company: f.company || "" }) });
  }
  for (const i of reminders?.interviews ?? []) {
    const starts = Date.parse(i.startsAt);
    if (starts - now > 24 * 3600 * 1000 || starts < now) continue;
    out.push({ key: `interview:${i.id}`, appId: i.applicationId, title: t("apps.notify.interviewTitle"),
      body: t("apps.notify.interviewBody", { title: titles.get(i.applicationId) || "", when: formatDateTime(i.startsAt) }) });
  }
  return out;
}

/** Show each message not yet shown today. Returns how many were shown. */
export function notifyOnce(list) {
  if (permission() !== "granted") return 0;
  const state = seen();
  let shown = 0;
  for (const m of list) {
    if (state.keys.includes(m.key)) continue;
    state.keys.push(m.key);
    try {
      const note = new Notification(m.title, { body: m.body, tag: `${m.key}:${state.day}`, icon: "/icons/icon-192.png" });
      note.onclick = () => {
        window.focus();
        location.hash = applicationHash(m.appId);
        note.close();
      };
      shown += 1;
    } catch {
      // Some browsers allow notifications only from a service worker: the Due strip still shows them.
    }
  }
  remember(state);
  return shown;
}

/** While the app is open, look for reminders now and then (Pro; quietly nothing on Free or offline). */
export function watchReminders(data) {
  if (timer || !supported()) return;
  const check = async () => {
    if (permission() !== "granted" || !data.online) return;
    try {
      const reminders = await data.tracking.reminders();
      const { items } = await data.tracking.list();
      notifyOnce(messages(reminders, new Map(items.map((a) => [a.id, a.title]))));
    } catch {
      // 402 on Free, or the server went away: nothing to say.
    }
  };
  timer = setInterval(check, EVERY_MS);
  setTimeout(check, 5000);
}
