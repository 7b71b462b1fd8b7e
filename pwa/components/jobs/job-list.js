// The job list, virtualised: only the rows near the viewport exist in the
// DOM, between two spacers that stand for the rest, so 10,000+ jobs scroll
// as smoothly as fifty. The window scrolls (not an inner box), so the page
// keeps native scrolling, keyboard paging and pull-to-refresh.
// Emits "load-more" when the drawn rows near the end of what is loaded,
// and "job-status" {id, status} from a row's save / hide buttons.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { visibleRange, wantsMore } from "/lib/virtual.js";
import { emit } from "../shared/emit.js";
import { jobRow, skeletonRow } from "./job-row.js";

const FALLBACK_ROW = 88;

export function mountJobList(el) {
  const list = { el, items: [], hasMore: false, loading: false, rowHeight: 0, range: null, frame: 0 };
  el.classList.add("job-list");
  el.setAttribute("data-testid", "job-list");
  list.onScroll = () => {
    if (list.frame) return;
    list.frame = requestAnimationFrame(() => {
      list.frame = 0;
      draw(list);
    });
  };
  list.onResize = () => {
    list.rowHeight = 0;
    list.onScroll();
  };
  list.onClick = (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const item = list.items.find((job) => String(job.id) === button.dataset.id);
    if (!item) return;
    const status = button.dataset.action === "save"
      ? (item.status === "saved" ? "seen" : "saved")
      : (item.status === "hidden" ? "seen" : "hidden");
    emit(el, "job-status", { id: item.id, status });
  };
  window.addEventListener("scroll", list.onScroll, { passive: true });
  window.addEventListener("resize", list.onResize);
  el.addEventListener("click", list.onClick);
  return list;
}

export function unmountJobList(list) {
  window.removeEventListener("scroll", list.onScroll);
  window.removeEventListener("resize", list.onResize);
  cancelAnimationFrame(list.frame);
}

/** props: {items, hasMore, loading}: the jobs loaded so far, whether more pages exist. */
export function updateJobList(list, { items, hasMore, loading }) {
  list.items = items;
  list.hasMore = hasMore;
  list.loading = loading;
  list.range = null;
  draw(list);
}

function draw(list) {
  const { el, items } = list;
  if (!items.length) {
    render(list.loading ? html`${[0, 1, 2, 3, 4, 5].map(skeletonRow)}` : html``, el);
    return;
  }
  const rowHeight = list.rowHeight || FALLBACK_ROW;
  const range = visibleRange({ listTop: el.getBoundingClientRect().top, viewport: window.innerHeight,
    rowHeight, count: items.length });
  const same = list.range && list.range.start === range.start && list.range.end === range.end;
  if (!same) {
    list.range = range;
    // Rows are reused by position (not keyed): a fast scroll replaces every
    // row each frame, and updating their text is far cheaper than removing
    // and creating their nodes (measured with bench pwa_list).
    render(html`<div class="spacer"></div>${items.slice(range.start, range.end).map(jobRow)}<div
      class="spacer"></div>${list.loading ? html`<div class="list-more"><span class="spinner"></span></div>` : ""}`, el);
    const [top, bottom] = el.querySelectorAll(":scope > .spacer");
    // CSSOM, not a style attribute: allowed under the strict CSP.
    top.style.height = `${range.padTop}px`;
    bottom.style.height = `${range.padBottom}px`;
  }
  if (!list.rowHeight) {
    const row = el.querySelector(".job-row");
    if (row) {
      list.rowHeight = row.getBoundingClientRect().height || FALLBACK_ROW;
      if (list.rowHeight !== rowHeight) {
        list.range = null;
        draw(list);
        return;
      }
    }
  }
  if (!list.loading && wantsMore(range.end, items.length, list.hasMore)) {
    list.loading = true;
    emit(el, "load-more");
  }
}
