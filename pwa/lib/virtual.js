// Which rows of a long list to draw: only those near the viewport. Pure.

/**
 * listTop: the list's top relative to the viewport (getBoundingClientRect().top);
 * viewport: the window's height; rowHeight: every row's height in pixels.
 * Returns the rows [start, end) to draw and the space to leave above and below.
 */
export function visibleRange({ listTop, viewport, rowHeight, count, overscan = 8 }) {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, -listTop) / rowHeight);
  const last = Math.ceil(Math.max(0, viewport - listTop) / rowHeight);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.max(start, Math.min(count, last + overscan));
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}

/** Whether to fetch the next page: the drawn rows come within `margin` of the loaded end. */
export function wantsMore(end, loaded, hasMore, margin = 40) {
  return hasMore && end >= loaded - margin;
}
