// First run: JobDeck in a sentence, then sample data or a first search.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { t } from "/i18n/index.js";
import { icon } from "../shared/icons.js";

let ctx = null;
let host = null;
let busy = false;

async function loadDemo() {
  busy = true;
  draw();
  try {
    const result = await ctx.data.loadDemo();
    ctx.toast(t("welcome.loaded", { count: result?.found ?? 0 }));
    ctx.navigate("#/jobs");
  } catch (error) {
    ctx.toast(error.message, "error");
  } finally {
    busy = false;
    if (host) draw();
  }
}

function draw() {
  const points = ["search", "local", "track"];
  render(html`
    <section class="welcome" data-testid="welcome">
      <div class="welcome-hero">
        <img class="welcome-logo" src="/icons/icon.svg" alt="" width="64" height="64">
        <h1>${t("welcome.title")}</h1>
        <p class="welcome-lead">${t("welcome.lead")}</p>
        <div class="welcome-actions">
          <button class="button primary" type="button" data-testid="load-demo" ?disabled=${busy}
            @click=${loadDemo}>${busy ? html`<span class="spinner"></span>` : icon("sparkle")}
            ${t("welcome.loadDemo")}</button>
          <a class="button" href="#/search" data-testid="start-search">${icon("search")}${t("welcome.startSearch")}</a>
        </div>
        <p class="muted small">${t("welcome.demoHint")}</p>
      </div>
      <ul class="welcome-points">
        ${points.map((p) => html`<li class="card">
          <h2>${t(`welcome.point.${p}.title`)}</h2><p class="muted">${t(`welcome.point.${p}.body`)}</p></li>`)}
      </ul>
    </section>`, host);
}

export default {
  mount(el, context) {
    host = el;
    ctx = context;
  },
  update() {
    draw();
  },
  unmount() {
    host = null;
  },
};
