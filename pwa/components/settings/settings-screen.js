// Settings: language, API tokens, import and export, the license panel, and
// which version is running.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { language, languages, setLanguage, t } from "/i18n/index.js";
import { mountTokensPanel, updateTokensPanel } from "./tokens-panel.js";
import { mountTransferPanel, updateTransferPanel } from "./transfer-panel.js";

let ctx = null;
let parts = null;
let tokens = [];
let created = null;
let tokenError = null;
let importing = false;
let imported = null;
let version = null;

function draw() {
  if (!parts) return;
  const offline = !ctx.data.online;
  render(html`<div><h1>${t("settings.title")}</h1><p>${t("settings.lead")}</p></div>`, parts.head);
  render(html`
    <h2>${t("settings.language")}</h2>
    <label class="field lang-field"><span>${t("settings.languageLabel")}</span>
      <select data-testid="language-switch" @change=${(e) => setLanguage(e.target.value)}>
        ${languages().map((l) => html`<option value=${l} ?selected=${language() === l}>${t(`language.${l}`)}</option>`)}
      </select></label>`, parts.language);
  updateTokensPanel(parts.tokens, { tokens, created, error: tokenError, offline });
  updateTransferPanel(parts.transfer, { exportUrl: ctx.data.exportUrl, busy: importing, result: imported, offline });
  render(html`
    <h2>${t("license.title")}</h2>
    <p>${t("license.free")}</p>
    <p class="muted small">${t("license.pro")}</p>`, parts.license);
  render(html`<p class="muted small" data-testid="app-version">
    ${version ? t("settings.version", { version }) : t("settings.versionUnknown")}</p>`, parts.about);
}

async function loadTokens() {
  try {
    tokens = await ctx.data.listTokens();
    tokenError = null;
  } catch (e) {
    tokenError = e.message;
  }
  draw();
}

export default {
  mount(el, context) {
    ctx = context;
    render(html`<section class="settings-screen" data-testid="settings-screen">
      <div class="page-head"></div>
      <div class="settings-grid">
        <section class="card lang-panel"></section>
        <section class="card license-panel" data-testid="license-panel"></section>
        <section class="tokens-host"></section>
        <section class="transfer-host"></section>
        <footer class="about"></footer>
      </div></section>`, el);
    parts = {
      head: el.querySelector(".page-head"),
      language: el.querySelector(".lang-panel"),
      license: el.querySelector(".license-panel"),
      tokens: mountTokensPanel(el.querySelector(".tokens-host")),
      transfer: mountTransferPanel(el.querySelector(".transfer-host")),
      about: el.querySelector(".about"),
    };
    el.addEventListener("token-create", async (e) => {
      try {
        created = await ctx.data.createToken(e.detail.name, e.detail.scopes);
        tokenError = null;
        el.querySelector(".token-form")?.reset();
        await loadTokens();
      } catch (err) {
        tokenError = err.message;
        draw();
      }
    });
    el.addEventListener("token-dismiss", () => { created = null; draw(); });
    el.addEventListener("token-revoke", async (e) => {
      try {
        await ctx.data.revokeToken(e.detail.id);
        ctx.toast(t("tokens.revoked"));
      } catch (err) {
        ctx.toast(err.message, "error");
      }
      await loadTokens();
    });
    el.addEventListener("import-file", async (e) => {
      importing = true;
      imported = null;
      draw();
      try {
        imported = await ctx.data.importFile(e.detail.file, e.detail.format);
      } catch (err) {
        ctx.toast(err.message, "error");
      }
      importing = false;
      draw();
    });
    loadTokens();
    ctx.data.health().then((h) => { version = h?.version || null; draw(); }).catch(() => {});
  },
  update() {
    draw();
  },
  unmount() {
    parts = null;
    created = null;
    imported = null;
  },
};
