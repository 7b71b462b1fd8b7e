// Chinese, Japanese and Korean words offline, found as the server finds them
// (server/db/cjk.py). CJK is written without spaces, so the server's index
// holds each run of CJK letters as overlapping pairs and one more token for
// its last letter (資深軟體 -> "資深 深軟 軟體 體"): every letter starts a
// token, and a CJK word is found anywhere inside a run as the phrase of its
// own pairs. The replica's texts and needles are made the same way, so a
// substring test of space-separated tokens is the server's phrase match.

// Han, kana and Hangul letters: the same ranges as server/db/cjk.py.
const CJK_LETTERS = "\u3005-\u3007\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF"
  + "\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7A3";
const RUN = new RegExp(`[${CJK_LETTERS}]+`, "gu");
const OTHER = new RegExp(`[^${CJK_LETTERS}]+`, "gu");
const ONE = new RegExp(`[${CJK_LETTERS}]`, "u");
const WORD_CHAR = /[\p{L}\p{N}]/u;

// Every letter here is one UTF-16 unit, so a run can be read by index.
const pairs = (run) => {
  let out = "";  // built as one string: a replica's texts go through here, thousands of letters each
  for (let i = 0; i < run.length - 1; i++) out += `${run[i]}${run[i + 1]} `;
  return out;
};
const asIndexed = (run) => ` ${pairs(run)}${run.at(-1)} `;

/** Apply `fn` to the text outside CJK runs (folding accents must not strip the marks of kana). */
export const outsideRuns = (text, fn) => text.replace(OTHER, fn);

/** Each CJK run as the index holds it, set apart from the letters around it. */
export const indexedRuns = (text) => text.replace(RUN, asIndexed);

/**
 * A phrase's CJK runs as they are searched for: {text, open}. A run that
 * ends the phrase is its pairs, found wherever they start (open: a single
 * letter is a token's first letter); a run that more words follow is as
 * indexed, so it must end the run it is found in.
 */
export function searchedRuns(text) {
  let open = false;
  const out = text.replace(RUN, (run, at) => {
    if (WORD_CHAR.test(text.slice(at + run.length))) return asIndexed(run);
    if (run.length > 1) return ` ${pairs(run)}`;
    open = true;
    return ` ${run}`;
  });
  return { text: out, open };
}

/**
 * A folded phrase as the replica searches its texts for it: {words, needle}.
 * `separators` are the characters its texts split words at; the needle is
 * the words with a space before, and after unless the last is open.
 */
export function searchedNeedle(text, separators) {
  const { text: runs, open } = searchedRuns(text);
  const words = runs.replace(separators, " ").trim();
  return { words, needle: ` ${words}${open ? "" : " "}` };
}

/** Does the text hold a CJK letter? */
export const hasCjk = (text) => ONE.test(text);
