// API tokens for scripts and the browser extension: create (the secret is
// shown once), list, revoke. Emits "token-create" {name, scopes},
// "token-revoke" {id}, "token-dismiss".
import { html, render } from "/vendor/lit-html/lit-html.js";
import { formatAgo, formatDate, t } from "/i18n/index.js";
import { emit } from "../shared/emit.js";

export function mountTokensPanel(el) {
  el.classList.add("card", "tokens-panel");
  el.setAttribute("data-testid", "tokens-panel");
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const name = String(form.get("name") || "").trim();
    if (name) emit(el, "token-create", { name, scopes: form.getAll("scopes").map(String) });
  });
  return { el, confirming: null };
}

/** props: {tokens, created: {token, secret} | null, error, offline}. */
export function updateTokensPanel(panel, { tokens, created, error, offline }) {
  const { el } = panel;
  const active = tokens.filter((tk) => !tk.revokedAt);
  render(html`
    <h2>${t("tokens.title")}</h2>
    <p class="muted small">${t("tokens.lead")}</p>
    ${created ? html`<div class="secret-box" role="status" data-testid="token-secret-box">
      <p><strong>${t("tokens.createdTitle", { name: created.token.name })}</strong></p>
      <p class="small">${t("tokens.showOnce")}</p>
      <code class="secret" data-testid="token-secret">${created.secret}</code>
      <div class="row"><button class="button small" type="button"
        @click=${() => navigator.clipboard?.writeText(created.secret)}>${t("tokens.copy")}</button>
      <button class="button small ghost" type="button" @click=${() => emit(el, "token-dismiss")}>${t("tokens.done")}</button></div>
    </div>` : ""}
    <form class="token-form">
      <label class="field grow"><span>${t("tokens.name")}</span>
        <input type="text" name="name" data-testid="token-name" maxlength="80" required
          placeholder=${t("tokens.namePlaceholder")}></label>
      <fieldset class="token-scopes"><legend class="legend">${t("tokens.scopes")}</legend>
        <label class="check"><input type="checkbox" name="scopes" value="read" checked><span>${t("tokens.read")}</span></label>
        <label class="check"><input type="checkbox" name="scopes" value="write" checked><span>${t("tokens.write")}</span></label>
      </fieldset>
      <button class="button primary" type="submit" data-testid="token-create" ?disabled=${offline}>${t("tokens.create")}</button>
    </form>
    ${error ? html`<p class="field-error" role="alert">${error}</p>` : ""}
    ${active.length ? html`<ul class="token-list">${active.map((tk) => html`
      <li class="token-row" data-testid="token-row" data-id=${tk.id}>
        <div><strong>${tk.name}</strong> <code class="small muted">${tk.prefix}…</code>
          <p class="small muted">${tk.scopes.map((s) => t(`tokens.${s}`)).join(" · ")} ·
            ${t("tokens.created", { date: formatDate(tk.createdAt) })} ·
            ${tk.lastUsedAt ? t("tokens.used", { when: formatAgo(tk.lastUsedAt) }) : t("tokens.neverUsed")}</p></div>
        ${panel.confirming === tk.id
          ? html`<div class="row"><button class="button small danger" type="button" data-testid="token-revoke-confirm"
              @click=${() => { panel.confirming = null; emit(el, "token-revoke", { id: tk.id }); }}>${t("tokens.confirmRevoke")}</button>
              <button class="button small ghost" type="button" @click=${() => { panel.confirming = null; updateTokensPanel(panel, { tokens, created, error, offline }); }}>
              ${t("common.cancel")}</button></div>`
          : html`<button class="button small danger" type="button" data-testid="token-revoke"
              @click=${() => { panel.confirming = tk.id; updateTokensPanel(panel, { tokens, created, error, offline }); }}>
              ${t("tokens.revoke")}</button>`}
      </li>`)}</ul>` : html`<p class="muted small">${t("tokens.none")}</p>`}`, el);
}
