// Board badges and status chips, shared by the list, the detail and the search screen.
import { html } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";

export const BOARDS = ["linkedin", "indeed", "zip_recruiter", "glassdoor", "google", "bayt", "naukri",
  "bdjobs", "hellowork"];

export function boardName(site) {
  return BOARDS.includes(site) ? t(`board.${site}`) : site;
}

export function boardBadge(site) {
  return html`<span class="badge board board-${BOARDS.includes(site) ? site : "other"}" data-testid="board-badge"
    data-board=${site}>${boardName(site)}</span>`;
}

export function statusBadge(status) {
  if (!status || status === "seen") return "";
  return html`<span class="badge status status-${status}" data-testid="job-status">${t(`status.${status}`)}</span>`;
}
