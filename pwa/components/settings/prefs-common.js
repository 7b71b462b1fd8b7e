// Small pieces the preference panels share: an error under a field, the
// "Saved" confirmation, and which field a server error is about.
import { html } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";

/** The message under a field (id ties it to the control's aria-describedby). */
export function fieldError(message, id) {
  return html`<span class="field-error" id=${id} role=${message ? "alert" : "none"} data-testid=${id}
    ?hidden=${!message}>${message || ""}</span>`;
}

export function savedNote(saved, testid) {
  return html`<span class="saved-note" role="status" data-testid=${testid}>${saved ? t("prefs.saved") : ""}</span>`;
}

/** The API field a server error names: {field} from our checks, or the first validation detail. */
export function errorField(error) {
  const details = error?.details;
  if (details && typeof details.field === "string") return details.field;
  if (Array.isArray(details) && typeof details[0]?.key === "string") return details[0].key;
  return null;
}
