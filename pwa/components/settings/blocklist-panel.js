// The company blocklist: companies whose postings are hidden everywhere.
// Adding or removing one saves at once. Emits "prefs-save"
// {section: "blocklist", changes: {companyBlocklist}}.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";
import { icon } from "../shared/icons.js";
import { fieldError, savedNote } from "./prefs-common.js";

export function mountBlocklistPanel(el) {
  const panel = { el, names: [] };
  el.classList.add("card", "blocklist-panel");
  el.setAttribute("data-testid", "blocklist-panel");
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = event.target.querySelector("[name=company]");
    const name = input.value.replace(/\s+/g, " ").trim();
    if (!name) return;
    const known = panel.names.some((n) => n.toLocaleLowerCase() === name.toLocaleLowerCase());
    input.value = "";
    if (!known) emit(el, "prefs-save", { section: "blocklist", changes: { companyBlocklist: [...panel.names, name] } });
  });
  return panel;
}

function remove(panel, name) {
  panel.el.querySelector("[name=company]")?.focus();
  emit(panel.el, "prefs-save", {
    section: "blocklist", changes: { companyBlocklist: panel.names.filter((n) => n !== name) },
  });
}

/** props: {prefs | null, errors: {field: message}, busy, saved, offline}. */
export function updateBlocklistPanel(panel, { prefs, errors, busy, saved, offline }) {
  panel.names = prefs?.companyBlocklist || [];
  const configured = prefs?.configBlocklist || [];
  const disabled = offline || !prefs;
  render(html`
    <h2 id="blocklist-title">${t("blocklist.title")}</h2>
    <p class="muted small">${t("blocklist.lead")}</p>
    <form class="blocklist-form" aria-labelledby="blocklist-title" novalidate>
      <label class="field grow"><span>${t("blocklist.label")}</span>
        <input type="text" name="company" maxlength="200" autocomplete="off" data-testid="blocklist-input"
          placeholder=${t("blocklist.placeholder")} ?disabled=${disabled} aria-describedby="blocklist-error"></label>
      <button class="button" type="submit" data-testid="blocklist-add" ?disabled=${disabled || busy}>
        ${t("blocklist.add")}</button>
    </form>
    ${fieldError(errors.companyBlocklist, "blocklist-error")}
    ${panel.names.length || configured.length ? html`
      <ul class="company-chips" aria-label=${t("blocklist.listLabel")}>
        ${panel.names.map((name) => html`<li class="company-chip" data-testid="blocklist-chip" data-name=${name} translate="no">
          <span>${name}</span>
          <button class="chip-remove" type="button" data-testid="blocklist-remove" ?disabled=${disabled || busy}
            aria-label=${t("blocklist.remove", { name })} @click=${() => remove(panel, name)}>${icon("close")}</button>
        </li>`)}
        ${configured.map((name) => html`<li class="company-chip fixed" data-testid="blocklist-config-chip" translate="no"
          title=${t("blocklist.fromConfig")}><span>${name}</span></li>`)}
      </ul>
      ${configured.length ? html`<p class="small muted">${t("blocklist.configNote")}</p>` : ""}`
    : html`<p class="small muted" data-testid="blocklist-empty">${t("blocklist.none")}</p>`}
    <div class="prefs-actions">${savedNote(saved, "blocklist-saved")}</div>`, panel.el);
}
