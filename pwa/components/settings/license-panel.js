// The license panel: state, plan, renewal and grace, the features on, and
// entering a key, checking now or letting this machine go. Emits
// "license-activate" {key}, "license-refresh", "license-deactivate".
// Errors come as the server's stable codes and are worded here.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatDate, formatDateTime, has, t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";

const KEY_SHAPE = "JDK-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"; // the format, the same in every language
const TONE = { ACTIVE: "ok", PAST_DUE: "warn", GRACE: "warn", UNLICENSED: "plain" };
// The Pro features JobDeck has today (never list what does not exist).
const PRO_FEATURES = ["insights.salary", "insights.company", "insights.trends", "resume.match",
  "tracking.unlimited", "tracking.reminders", "alerts", "filters.advanced"];

export function mountLicensePanel(el) {
  el.classList.add("card", "license-panel");
  el.setAttribute("data-testid", "license-panel");
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = String(new FormData(event.target).get("key") || "").trim();
    if (key) emit(el, "license-activate", { key });
  });
  return { el, confirming: false };
}

function errorText(error) {
  if (!error) return "";
  const key = `license.error.${error.code}`;
  return has(key) ? t(key) : error.message;
}

function days(seconds) {
  return Math.max(0, Math.ceil(seconds / 86400));
}

/** props: {view (GET /api/v1/license) | null, busy, error: {code, message} | null, offline}. */
export function updateLicensePanel(panel, { view, busy, error, offline }) {
  const { el } = panel;
  const redraw = () => updateLicensePanel(panel, { view, busy, error, offline });
  if (!view) {
    render(html`<h2>${t("license.title")}</h2>
      <p class="muted">${offline ? t("license.offlineUnknown") : t("license.loading")}</p>`, el);
    return;
  }
  const paid = view.paid;
  const stateKey = `license.state.${view.state}`;
  const on = PRO_FEATURES.filter((name) => view.features?.[name]?.on);
  const canAct = !offline && !busy && view.checksAllowed !== false;
  render(html`
    <div class="license-head">
      <h2>${t("license.title")}</h2>
      <span class="badge license-state tone-${TONE[view.state] || "bad"}" data-testid="license-state">
        ${has(stateKey) ? t(stateKey) : view.state}</span>
    </div>
    <p data-testid="license-plan"><strong>${t(`license.plan.${view.plan}`)}</strong>
      ${view.keyPrefix ? html` · <code class="small">${view.keyPrefix}…</code>` : ""}</p>
    ${view.state !== "ACTIVE" && view.state !== "UNLICENSED" && has(`license.why.${view.state}`)
      ? html`<p class="license-why" role="status">${t(`license.why.${view.state}`)}</p>` : ""}
    <dl class="license-facts">
      ${view.expiresAt ? html`<dt>${t("license.renews")}</dt><dd>${formatDate(view.expiresAt)}</dd>` : ""}
      ${view.subscriptionEnd ? html`<dt>${t("license.subscriptionEnd")}</dt><dd>${formatDate(view.subscriptionEnd)}</dd>` : ""}
      ${view.graceSecondsLeft != null
        ? html`<dt>${t("license.graceLeft")}</dt><dd>${t("license.days", { count: days(view.graceSecondsLeft) })}</dd>` : ""}
      ${view.seats ? html`<dt>${t("license.seats")}</dt><dd>${view.seats}</dd>` : ""}
      ${view.checkedAt ? html`<dt>${t("license.checked")}</dt><dd>${formatDateTime(view.checkedAt)}</dd>` : ""}
    </dl>
    ${paid
      ? html`<p class="small">${t("license.featuresOn")}
          ${on.map((name) => html`<span class="badge status-applied">${t(`license.feature.${name}`)}</span> `)}</p>`
      : html`<p class="muted small">${t("license.freeLead")}</p>
          <ul class="license-pro small">${PRO_FEATURES.map((name) => html`<li>${t(`license.feature.${name}`)}</li>`)}</ul>`}
    ${view.fingerprintNote ? html`<p class="muted small">${t("license.fallbackId")}</p>` : ""}
    ${paid ? "" : html`<form class="license-form">
      <label class="field grow"><span>${t("license.keyLabel")}</span>
        <input type="text" name="key" data-testid="license-key" translate="no" autocomplete="off" autocapitalize="characters"
          spellcheck="false" maxlength="200" required placeholder=${KEY_SHAPE}></label>
      <button class="button primary" type="submit" data-testid="license-activate" ?disabled=${!canAct}>
        ${busy ? t("license.working") : t("license.activate")}</button>
    </form>`}
    ${error ? html`<p class="field-error" role="alert" data-testid="license-error">${errorText(error)}</p>` : ""}
    ${offline ? html`<p class="muted small">${t("license.offlineNote")}</p>` : ""}
    ${view.checksAllowed === false ? html`<p class="muted small">${t("license.checksOff")}</p>` : ""}
    <div class="row license-actions">
      ${view.keyPrefix ? html`<button class="button small" type="button" data-testid="license-refresh"
        ?disabled=${!canAct} @click=${() => emit(el, "license-refresh")}>${t("license.checkNow")}</button>` : ""}
      ${view.keyPrefix ? (panel.confirming
        ? html`<button class="button small danger" type="button" data-testid="license-deactivate-confirm" ?disabled=${!canAct}
            @click=${() => { panel.confirming = false; emit(el, "license-deactivate"); }}>${t("license.confirmDeactivate")}</button>
          <button class="button small ghost" type="button" @click=${() => { panel.confirming = false; redraw(); }}>${t("common.cancel")}</button>`
        : html`<button class="button small danger" type="button" data-testid="license-deactivate" ?disabled=${!canAct}
            @click=${() => { panel.confirming = true; redraw(); }}>${t("license.deactivate")}</button>`) : ""}
      <a class="button small ${paid ? "ghost" : "primary"}" href=${view.buyUrl} target="_blank" rel="noopener noreferrer"
        data-testid="license-buy">${paid ? t("license.manage") : t("license.buy")}</a>
    </div>`, el);
}
