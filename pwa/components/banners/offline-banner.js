// Says plainly when the server cannot be reached: what still works and what waits.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { icon } from "../shared/icons.js";

export function mountOfflineBanner(el) {
  return el;
}

export function updateOfflineBanner(el, { online, signedIn }) {
  if (online && signedIn === false) {
    render(html`<div class="offline-banner" data-testid="signin-banner" role="status">
      <div><strong>${t("signin.title")}</strong> <span>${t("signin.body")}</span></div></div>`, el);
    return;
  }
  render(online ? html`` : html`
    <div class="offline-banner" data-testid="offline-banner" role="status">
      ${icon("offline")}
      <div><strong>${t("offline.title")}</strong> <span>${t("offline.body")}</span></div>
    </div>`, el);
}
