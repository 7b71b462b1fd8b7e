// Job descriptions are hostile third-party text: markdown (or HTML) is
// rendered, then sanitised with DOMPurify. Only plain formatting survives;
// links must be http(s) or mailto and open in a new tab with no opener and
// no referrer. No images, styles, forms or frames.

import { marked } from "/vendor/marked/marked.esm.js";
import DOMPurify from "/vendor/dompurify/purify.es.mjs";

const SAFE_HREF = /^(https?:|mailto:)/i;

const CONFIG = {
  ALLOWED_TAGS: ["a", "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "span",
    "div", "sup", "sub", "dl", "dt", "dd"],
  ALLOWED_ATTR: ["href", "title", "colspan", "rowspan"],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  KEEP_CONTENT: true,
};

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.nodeName !== "A") return;
  const href = (node.getAttribute("href") || "").trim();
  if (!SAFE_HREF.test(href)) {
    node.removeAttribute("href");
    return;
  }
  node.setAttribute("target", "_blank");
  node.setAttribute("rel", "noopener noreferrer");
});

/** Safe HTML for a description, ready for innerHTML. */
export function renderDescription(text) {
  if (!text) return "";
  const html = marked.parse(String(text), { async: false, gfm: true, breaks: false });
  // Headings inside a description are demoted so they never outrank the page's own.
  return DOMPurify.sanitize(html, CONFIG).replace(/<(\/?)h[12]>/g, "<$1h3>");
}
