// Alerts as they arrive: the count and list follow the event stream, and a
// browser notification shows while the app is open once the user allowed
// notifications (the Notification pattern of the tracking reminders,
// applications/notify.js: permission asked only from a click, no push).
import { t } from "/i18n/index.js";
import { alertArrived, refreshAlerts } from "/data/alerts.js";
import { keep, kept } from "/lib/kept.js";
import { alertHash } from "/lib/router.js";
import { permission } from "../applications/notify.js";

const SHOWN_KEY = "jobdeck.alertsNotified";
let watching = false;

/** What a notification says about one alert. */
export function alertMessage(alert) {
  return { title: t("alerts.notify.title", { name: alert.searchName }),
    body: t("alerts.notify.body", { count: alert.newPostings }) };
}

function shown() {
  return new Set(kept(SHOWN_KEY, []));
}

/** Notify once per alert (other open tabs share the list and the tag). Returns whether it showed. */
export function notifyAlert(alert) {
  if (permission() !== "granted" || !alert?.id) return false;
  const seen = shown();
  if (seen.has(alert.id)) return false;
  seen.add(alert.id);
  keep(SHOWN_KEY, [...seen].slice(-200)); // in private mode the tag still keeps one notification per alert
  const { title, body } = alertMessage(alert);
  try {
    const note = new Notification(title, { body, tag: `alert:${alert.id}`, icon: "/icons/icon-192.png" });
    note.onclick = () => {
      window.focus();
      location.hash = alertHash(alert.id);
      note.close();
    };
    return true;
  } catch {
    return false;  // some browsers allow notifications only from a service worker: the nav count still shows
  }
}

/** Once, from app.js: load the count, then follow "alert.created" and reconnections. */
export function watchAlerts(data) {
  if (watching) return;
  watching = true;
  refreshAlerts().catch(() => {});
  data.on("server", (message) => {
    if (message?.type !== "alert.created") return;
    alertArrived(message.data);
    notifyAlert(message.data);
  });
  // Back online (or signed in): alerts may have arrived meanwhile.
  data.on("status", (status) => {
    if (status?.online) refreshAlerts().catch(() => {});
  });
}
