// Proxies for the job boards, one per line. Emits "prefs-save"
// {section: "proxies", changes: {proxies}}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";
import { fieldError, savedNote } from "./prefs-common.js";

const SCHEMES = "http://  https://  socks5://";

export function mountProxiesPanel(el) {
  el.classList.add("card", "proxies-panel");
  el.setAttribute("data-testid", "proxies-panel");
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    // Every line, blank ones too, so the server's "line N" matches what the user sees.
    const lines = String(new FormData(event.target).get("proxies") || "").split("\n");
    const proxies = lines.some((line) => line.trim()) ? lines : [];
    emit(el, "prefs-save", { section: "proxies", changes: { proxies } });
  });
  return { el };
}

/** props: {prefs | null, errors: {field: message}, busy, saved, offline}. */
export function updateProxiesPanel(panel, { prefs, errors, busy, saved, offline }) {
  const disabled = offline || !prefs;
  const fromConfig = prefs?.configProxies || 0;
  render(html`
    <h2 id="proxies-title">${t("proxies.title")}</h2>
    <p class="muted small">${t("proxies.lead")}</p>
    <form class="prefs-form" aria-labelledby="proxies-title" novalidate>
      <label class="field"><span>${t("proxies.label")}</span>
        <textarea name="proxies" rows="4" translate="no" spellcheck="false" autocapitalize="off" autocomplete="off"
          data-testid="proxies-input" placeholder=${t("proxies.placeholder")} ?disabled=${disabled}
          aria-describedby="proxies-hint proxies-error" .value=${(prefs?.proxies || []).join("\n")}></textarea>
        <span class="hint" id="proxies-hint">${t("proxies.schemes")} <code translate="no">${SCHEMES}</code><br>
          ${t("proxies.hint")}</span>
        ${fieldError(errors.proxies, "proxies-error")}</label>
      ${fromConfig && !prefs?.proxies.length
        ? html`<p class="small muted" data-testid="proxies-config">${t("proxies.fromConfig", { count: fromConfig })}</p>` : ""}
      <div class="prefs-actions">
        <button class="button primary" type="submit" data-testid="proxies-save" ?disabled=${disabled || busy}>
          ${busy ? html`<span class="spinner"></span>` : ""}${t("proxies.save")}</button>
        ${savedNote(saved, "proxies-saved")}
      </div>
    </form>`, panel.el);
}
