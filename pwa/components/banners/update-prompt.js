// "A new version is ready — reload": shown when a new service worker waits.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";

export function mountUpdatePrompt(el) {
  return el;
}

/** props: {ready}; emits "update-apply" and "update-later". */
export function updateUpdatePrompt(el, { ready }) {
  render(!ready ? html`` : html`
    <div class="update-prompt" data-testid="update-prompt" role="status">
      <span>${t("update.ready")}</span>
      <button class="button small primary" type="button" data-testid="update-reload"
        @click=${() => emit(el, "update-apply")}>${t("update.reload")}</button>
      <button class="button small ghost" type="button" @click=${() => emit(el, "update-later")}>
        ${t("update.later")}</button>
    </div>`, el);
}
