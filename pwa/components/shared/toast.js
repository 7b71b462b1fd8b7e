// Short messages at the bottom of the screen; errors stay until dismissed.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { icon } from "./icons.js";

let host = null;
let items = [];
let next = 1;

export function mountToasts(el) {
  host = el;
  draw();
}

/** kind: "info" | "error"; errors stay until closed. */
export function toast(message, kind = "info") {
  const id = next++;
  items = [...items.slice(-2), { id, message, kind }];
  draw();
  if (kind !== "error") setTimeout(() => dismiss(id), 5000);
}

function dismiss(id) {
  items = items.filter((item) => item.id !== id);
  draw();
}

function draw() {
  if (!host) return;
  render(html`${items.map((item) => html`
    <div class="toast toast-${item.kind}" data-testid="toast" role=${item.kind === "error" ? "alert" : "status"}>
      <span>${item.message}</span>
      <button class="icon-button" type="button" aria-label=${t("common.dismiss")}
        @click=${() => dismiss(item.id)}>${icon("close")}</button>
    </div>`)}`, host);
}
