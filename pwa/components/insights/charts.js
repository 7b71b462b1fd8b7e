// Charts for the insights: uPlot (canvas) for bars and lines, a small SVG for
// a percentile band. Colours come from the CSS variables, so light and dark
// both read; every chart host carries an aria-label summary, and the panels
// keep a table beside it for the exact numbers.
// uPlot loads with the first chart, not with the app: most starts never draw one.
let uPlotModule = null;
const loadUPlot = () => (uPlotModule ??= import("/vendor/uplot/uPlot.esm.js").then((m) => m.default));
import { html, svg } from "/vendor/lit-html/lit-html.js";

const live = new Set(); // chart hosts drawn, redrawn when the colour scheme changes

function colour(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function palette() {
  return {
    accent: colour("--accent", "#2f55c8"),
    soft: colour("--accent-soft", "#e7ecfb"),
    text: colour("--muted", "#566073"),
    grid: colour("--border", "#dde1e8"),
    success: colour("--success", "#11703e"),
  };
}

/** Whole indexes only: the x scale counts bins, weeks or months. */
function indexLabels(labels) {
  return (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? labels[i] : ""));
}

/** The colour of series `i` of a multi-series chart (--series-1 … --series-6, then round again). */
export function seriesColour(i) {
  return colour(`--series-${(i % 6) + 1}`, ["#2f55c8", "#c2410c", "#11703e", "#9333ea", "#0e7490", "#a16207"][i % 6]);
}

function options(uPlot, spec, width) {
  const c = palette();
  const font = "12px system-ui, sans-serif";
  const axis = { stroke: c.text, font, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1, size: 4 } };
  const bars = spec.kind === "bars";
  const series = {
    label: spec.label || "",
    stroke: bars ? c.accent : (spec.kind === "share" ? c.success : c.accent),
    width: bars ? 0 : 2,
    fill: bars ? c.accent : undefined,
    points: { show: !bars, size: 6, fill: spec.kind === "share" ? c.success : c.accent },
    spanGaps: false,
  };
  if (bars) series.paths = uPlot.paths.bars({ size: [0.78, 56], align: 0 });
  const count = spec.labels.length;
  return {
    width, height: spec.height || 220,
    legend: { show: false },
    cursor: { show: false, drag: { x: false, y: false } },
    select: { show: false },
    padding: [12, 12, 0, 4],
    scales: {
      x: { time: false, range: () => (bars ? [-0.5, count - 0.5] : [-0.25, Math.max(count - 0.75, 0.25)]) },
      y: { range: (u, min, max) => [0, spec.max ?? (max > 0 ? max * 1.12 : 1)] },
    },
    axes: [
      { ...axis, grid: { show: false }, values: indexLabels(spec.labels), space: spec.xSpace || 44,
        incrs: [1, 2, 3, 4, 6, 8, 12, 26, 52] },
      { ...axis, values: (u, splits) => splits.map((v) => spec.format(v)), size: spec.ySize || 56, space: 30,
        ...(spec.kind === "share" ? {} : { incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000] }) },
    ],
    series: [{}, ...(spec.series ? spec.series.map((one, i) => ({ ...series, label: one.label, stroke: seriesColour(i),
      points: { ...series.points, fill: seriesColour(i) } })) : [series])],
  };
}

async function draw(host) {
  const spec = host.chartSpec;
  const uPlot = await loadUPlot();
  if (host.chartSpec !== spec || !host.isConnected) return;  // changed or gone while uPlot loaded
  host.chart?.destroy();
  const width = Math.max(200, Math.floor(host.clientWidth || host.parentElement?.clientWidth || 320));
  const xs = spec.labels.map((_, i) => i);
  const ys = spec.series ? spec.series.map((one) => one.values) : [spec.values];
  host.chart = new uPlot(options(uPlot, spec, width), [xs, ...ys], host);
  host.chartWidth = width;
}

const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const host = entry.target;
    const width = Math.max(200, Math.floor(entry.contentRect.width));
    if (host.chart && width !== host.chartWidth) {
      host.chart.setSize({ width, height: host.chartSpec.height || 220 });
      host.chartWidth = width;
    }
  }
});

/**
 * Draw (or redraw) a chart into `host`, an empty element the template owns.
 * spec: {kind: "bars"|"line"|"share", labels: [...], values: [...] (null = a gap),
 * format: value -> axis text, summary: the text alternative, height?, max?};
 * for several lines, `series: [{label, values}]` instead of `values` (colours: seriesColour).
 */
export function drawChart(host, spec) {
  if (!host) return;
  host.setAttribute("role", "img");
  host.setAttribute("aria-label", spec.summary);
  const key = (one) => JSON.stringify([one.labels, one.values, one.series, one.kind]);
  const same = host.chart && host.chartSpec && key(host.chartSpec) === key(spec) && host.contains(host.chart.root);
  host.chartSpec = spec;
  if (same) return;
  draw(host);
  if (!live.has(host)) {
    live.add(host);
    resizer.observe(host);
  }
}

/** Forget the charts under `root` (the screen is going away). */
export function releaseCharts(root) {
  for (const host of [...live]) {
    if (!root || root.contains(host) || !host.isConnected) {
      host.chart?.destroy();
      host.chart = null;
      resizer.unobserve(host);
      live.delete(host);
    }
  }
}

window.matchMedia?.("(prefers-color-scheme: dark)").addEventListener?.("change", () => {
  for (const host of [...live]) {
    if (host.isConnected) draw(host);
    else releaseCharts(host);
  }
});

/**
 * A percentile band as SVG: p10–p90 light, p25–p75 strong, the median a line;
 * `marks` ([{value, label}]) are extra ticks (e.g. this job's range).
 * values: {p10, p25, p50, p75, p90} (numbers, all present).
 */
export function band(values, { marks = [], label = "" } = {}) {
  const points = [values.p10, values.p90, ...marks.map((m) => m.value)].filter((v) => Number.isFinite(v));
  const low = Math.min(...points);
  const high = Math.max(...points);
  const pad = (high - low) * 0.06 || Math.abs(high) * 0.1 || 1;
  const lo = low - pad;
  const span = high + pad - lo;
  const x = (v) => `${(((v - lo) / span) * 100).toFixed(2)}%`;
  const w = (a, b) => `${(((b - a) / span) * 100).toFixed(2)}%`;
  return html`<svg class="band" data-testid="insight-chart" data-kind="band" role="img" aria-label=${label}
      width="100%" height="44" focusable="false">
    <rect class="band-track" x="0" y="14" width="100%" height="16" rx="8"></rect>
    <rect class="band-outer" x=${x(values.p10)} y="14" width=${w(values.p10, values.p90)} height="16" rx="8"></rect>
    <rect class="band-inner" x=${x(values.p25)} y="14" width=${w(values.p25, values.p75)} height="16"></rect>
    <rect class="band-median" x=${x(values.p50)} y="8" width="3" height="28" rx="1.5"></rect>
    ${marks.map((m) => svg`<g class="band-mark"><rect x=${x(m.value)} y="2" width="2" height="40"></rect></g>`)}
  </svg>`;
}
