// The placeholder shell: shows whether the local server is up and whether
// this browser is signed in. The full app replaces this module.
const state = document.getElementById("server-state");

async function check() {
  try {
    const health = await fetch("/api/v1/health").then((r) => r.json());
    state.textContent = `v${health.version}`;
    state.classList.add("ok");
    const me = await fetch("/api/v1/tokens");
    document.getElementById("signin").hidden = me.status !== 401;
  } catch {
    state.textContent = "offline";
  }
}

check();
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js");
