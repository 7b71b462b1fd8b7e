// Settings: search defaults, company blocklist, proxies, data location and
// backups, language, API tokens, import and export, the license panel, and
// which version is running.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { language, languages, setLanguage, t } from "/i18n/index.js";
import {
  activateLicense, backupUrl, createBackup, deactivateLicense, getLicense, getPreferences, getStorage, listBackups,
  refreshLicense, savePreferences,
} from "/data/api.js";
import { mountLicensePanel, updateLicensePanel } from "./license-panel.js";
import { mountTokensPanel, updateTokensPanel } from "./tokens-panel.js";
import { mountTransferPanel, updateTransferPanel } from "./transfer-panel.js";
import { mountSearchDefaultsPanel, updateSearchDefaultsPanel } from "./search-defaults-panel.js";
import { mountProxiesPanel, updateProxiesPanel } from "./proxies-panel.js";
import { mountBlocklistPanel, updateBlocklistPanel } from "./blocklist-panel.js";
import { mountDataPanel, updateDataPanel } from "./data-panel.js";
import { errorField } from "./prefs-common.js";

// The fields each preference section saves; a server error goes under its field.
const SECTION_FIELDS = {
  defaults: ["defaultBoards", "defaultCountry", "defaultResults"],
  proxies: ["proxies"],
  blocklist: ["companyBlocklist"],
};

let ctx = null;
let parts = null;
let tokens = [];
let created = null;
let tokenError = null;
let importing = false;
let imported = null;
let version = null;
let prefs = null;
let errors = {};
let busy = null; // the preference section being saved
let saved = null; // the section saved last
let storage = null;
let backups = [];
let backingUp = false;
let backupError = null;
let license = null; // GET /api/v1/license
let licenseBusy = false;
let licenseError = null; // {code, message}

function draw() {
  if (!parts) return;
  const offline = !ctx.data.online;
  render(html`<div><h1>${t("settings.title")}</h1><p>${t("settings.intro")}</p></div>`, parts.head);
  const section = (name) => ({ prefs, errors, busy: busy === name, saved: saved === name, offline });
  updateSearchDefaultsPanel(parts.defaults, section("defaults"));
  updateBlocklistPanel(parts.blocklist, section("blocklist"));
  updateProxiesPanel(parts.proxies, section("proxies"));
  updateDataPanel(parts.data, { storage, backups, busy: backingUp, error: backupError, offline, backupUrl });
  render(html`
    <h2>${t("settings.language")}</h2>
    <label class="field lang-field"><span>${t("settings.languageLabel")}</span>
      <select data-testid="language-switch" @change=${(e) => chooseLanguage(e.target.value)}>
        ${languages().map((l) => html`<option value=${l} ?selected=${language() === l}>${t(`language.${l}`)}</option>`)}
      </select></label>`, parts.language);
  updateTokensPanel(parts.tokens, { tokens, created, error: tokenError, offline });
  updateTransferPanel(parts.transfer, { exportUrl: ctx.data.exportUrl, busy: importing, result: imported, offline });
  updateLicensePanel(parts.license, { view: license, busy: licenseBusy, error: licenseError, offline });
  render(html`<p class="muted small" data-testid="app-version">
    ${version ? t("settings.version", { version }) : t("settings.versionUnknown")}</p>`, parts.about);
}

function chooseLanguage(lang) {
  setLanguage(lang);
  // Kept with the other preferences too; this device's choice applies at once either way.
  savePreferences({ language: lang }).catch(() => {});
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

async function loadPreferences() {
  try {
    prefs = await getPreferences();
  } catch {
    prefs = null; // offline: the panels wait for the server
  }
  draw();
}

async function loadStorage() {
  try {
    [storage, backups] = await Promise.all([getStorage(), listBackups()]);
  } catch (e) {
    if (ctx.data.online) backupError = e.message;
  }
  draw();
}

async function savePrefs({ section, changes }) {
  const fields = SECTION_FIELDS[section] || [];
  busy = section;
  saved = null;
  errors = Object.fromEntries(Object.entries(errors).filter(([field]) => !fields.includes(field)));
  draw();
  try {
    prefs = await savePreferences(changes);
    saved = section;
  } catch (e) {
    const field = errorField(e);
    errors = { ...errors, [fields.includes(field) ? field : fields[0]]: e.message };
  }
  busy = null;
  draw();
}

async function loadLicense() {
  try {
    license = await getLicense();
  } catch {
    // Offline: the panel says the state shows once the server is back.
  }
  draw();
}

// One license action: the answer is the new view; a refusal keeps the old one
// (a signed refusal carries the view the server now holds).
async function licenseAction(action, done) {
  licenseBusy = true;
  licenseError = null;
  draw();
  try {
    license = await action();
    ctx.toast(t(done));
  } catch (e) {
    licenseError = { code: e.code, message: e.message };
    if (e.details?.license) license = e.details.license;
  }
  licenseBusy = false;
  draw();
}

async function backUp() {
  backingUp = true;
  backupError = null;
  draw();
  try {
    const made = await createBackup();
    ctx.toast(t("data.backedUp", { name: made.name }));
    await loadStorage();
  } catch (e) {
    backupError = e.message;
  }
  backingUp = false;
  draw();
}

export default {
  mount(el, context) {
    ctx = context;
    render(html`<section class="settings-screen" data-testid="settings-screen">
      <div class="page-head"></div>
      <div class="settings-grid">
        <div class="settings-col">
          <section class="defaults-host"></section>
          <section class="proxies-host"></section>
          <section class="card lang-panel"></section>
        </div>
        <div class="settings-col">
          <section class="blocklist-host"></section>
          <section class="data-host"></section>
          <section class="license-host"></section>
        </div>
        <section class="tokens-host"></section>
        <section class="transfer-host"></section>
        <footer class="about"></footer>
      </div></section>`, el);
    parts = {
      head: el.querySelector(".page-head"),
      defaults: mountSearchDefaultsPanel(el.querySelector(".defaults-host")),
      proxies: mountProxiesPanel(el.querySelector(".proxies-host")),
      blocklist: mountBlocklistPanel(el.querySelector(".blocklist-host")),
      data: mountDataPanel(el.querySelector(".data-host")),
      language: el.querySelector(".lang-panel"),
      license: mountLicensePanel(el.querySelector(".license-host")),
      tokens: mountTokensPanel(el.querySelector(".tokens-host")),
      transfer: mountTransferPanel(el.querySelector(".transfer-host")),
      about: el.querySelector(".about"),
    };
    el.addEventListener("prefs-save", (e) => savePrefs(e.detail));
    el.addEventListener("backup-create", () => backUp());
    el.addEventListener("license-activate", (e) => licenseAction(() => activateLicense(e.detail.key), "license.activated"));
    el.addEventListener("license-refresh", () => licenseAction(refreshLicense, "license.refreshed"));
    el.addEventListener("license-deactivate", () => licenseAction(deactivateLicense, "license.deactivated"));
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
    loadPreferences();
    loadStorage();
    loadLicense();
    ctx.data.health().then((h) => { version = h?.version || null; draw(); }).catch(() => {});
  },
  update() {
    draw();
  },
  unmount() {
    parts = null;
    created = null;
    imported = null;
    errors = {};
    saved = null;
    backupError = null;
  },
};
