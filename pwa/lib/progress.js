// A search run's progress, folded from the API's run record and the SSE
// events (run.*, board.*). Pure: every function returns a new state.

export const FAILED_STATES = ["failed", "blocked", "timeout", "cancelled"];
export const FINAL_RUN_STATES = ["done", "partial", "failed", "cancelled", "interrupted"];

/** From a Run as the API returns it. */
export function fromRun(run) {
  const boards = {};
  for (const b of run.boards || []) {
    boards[b.site] = { site: b.site, state: b.state, found: b.found || 0, new: b.new || 0,
      updated: b.updated || 0, error: b.error || null, kind: kindOf(b.state), attempt: 1 };
  }
  for (const site of run.params?.boards || []) {
    boards[site] ||= { site, state: "queued", found: 0, new: 0, updated: 0, error: null, kind: null, attempt: 1 };
  }
  return { id: run.id, state: run.state, boards, order: run.params?.boards || Object.keys(boards),
    error: run.error || null };
}

function kindOf(state) {
  return state === "blocked" || state === "timeout" ? state : null;
}

/** One SSE event applied; events of other runs leave the state as it is. */
export function applyEvent(state, name, data) {
  if (!state || !data || data.runId !== state.id) return state;
  const boards = { ...state.boards };
  const board = (site) => boards[site] || { site, state: "queued", found: 0, new: 0, updated: 0,
    error: null, kind: null, attempt: 1 };
  switch (name) {
    case "run.started":
      return { ...state, state: "running" };
    case "run.finished":
      return { ...state, state: data.state, boards: settle(boards, data.state) };
    case "board.started":
      boards[data.site] = { ...board(data.site), state: "running", attempt: data.attempt || 1 };
      break;
    case "board.finished":
      boards[data.site] = { ...board(data.site), state: data.state, found: data.found || 0,
        new: data.new || 0, updated: data.updated || 0, error: data.error || null,
        kind: data.kind || kindOf(data.state) };
      break;
    default:
      return state;
  }
  const order = state.order.includes(data.site) ? state.order : [...state.order, data.site];
  return { ...state, boards, order };
}

// When a run ends, boards that never answered end with it.
function settle(boards, runState) {
  const out = {};
  for (const [site, b] of Object.entries(boards)) {
    out[site] = b.state === "queued" || b.state === "running"
      ? { ...b, state: runState === "cancelled" ? "cancelled" : "failed" } : b;
  }
  return out;
}

export function isFinished(state) {
  return !!state && FINAL_RUN_STATES.includes(state.state);
}

/** Totals over the boards that answered. */
export function totals(state) {
  let found = 0, fresh = 0, done = 0;
  for (const b of Object.values(state?.boards || {})) {
    found += b.found; fresh += b.new;
    if (b.state !== "queued" && b.state !== "running") done += 1;
  }
  return { found, new: fresh, done, count: state ? state.order.length : 0 };
}

/** The catalog key of the advice for a board that did not deliver, or null. */
export function adviceKey(board) {
  if (!board || !FAILED_STATES.includes(board.state)) return null;
  if (board.state === "cancelled") return null;
  const kind = board.kind || (board.state === "failed" ? "error" : board.state);
  const known = ["blocked", "network", "timeout", "invalid", "no_rows", "error"];
  return `advice.${known.includes(kind) ? kind : "error"}`;
}
