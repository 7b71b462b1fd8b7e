"""Chinese, Japanese and Korean text in the full-text index.

CJK is written without spaces between words, so SQLite's unicode61
tokenizer would index "資深軟體工程師" as one word that "工程師" never
matches. The index holds each run of CJK letters as overlapping pairs
instead, and one more token for its last letter: 資深軟體 -> "資深 深軟 軟體
體". Every letter of the run then starts one token, so a CJK word matches
anywhere inside a run, as a phrase of its own pairs. Latin words are left
as they were. pwa/data/cjk.js does the same for the offline replica.
"""

from __future__ import annotations

import re
import sqlite3

__all__ = ["CJK_LETTERS", "cjk_grams", "fts_phrase", "has_cjk", "register"]

# Han, kana and Hangul letters (each a token character to unicode61); the
# same ranges as pwa/data/cjk.js.
CJK_LETTERS = ("\u3005-\u3007\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF"
               "\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7A3")
_RUN = re.compile(f"[{CJK_LETTERS}]+")
_ONE = re.compile(f"[{CJK_LETTERS}]")  # finding one is twice as quick as finding a run
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit: what unicode61 keeps in a word


def _pairs(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _as_indexed(run: str) -> str:
    return " " + " ".join([*_pairs(run), run[-1]]) + " "


def cjk_grams(text: str | None) -> str | None:
    """``text`` as the index holds it, or None when it has no CJK (then it is indexed as it is)."""
    if not text or not has_cjk(text):
        return None
    return _RUN.sub(lambda match: _as_indexed(match.group()), text)


def fts_phrase(text: str) -> str:
    """An FTS5 phrase for ``text``: its words in order, and each CJK run in it
    found inside a longer run (a run the phrase goes on past must end the
    run it is found in, as words must follow it)."""
    text = text.replace('"', "")
    parts, prefix, last = [], False, 0
    for match in _RUN.finditer(text):
        parts.append(text[last:match.start()])
        run, last = match.group(), match.end()
        if _WORD_CHAR.search(text, last):  # more words follow: the run as indexed, up to its last letter
            parts.append(_as_indexed(run))
        elif len(run) > 1:  # the phrase ends here: the run's pairs, wherever they start
            parts.append(" " + " ".join(_pairs(run)) + " ")
        else:  # one letter ending the phrase: any token it starts
            parts.append(" " + run)
            prefix = True
    parts.append(text[last:])
    return '"' + "".join(parts).strip() + '"' + (" *" if prefix else "")


def has_cjk(text: str) -> bool:
    # Most text is ASCII, and telling so is 30 times quicker than looking for CJK.
    return not text.isascii() and _ONE.search(text) is not None


def register(conn: sqlite3.Connection) -> None:
    """Make ``cjk_grams`` callable from SQL on ``conn`` (migration 0013 back-fills with it)."""
    conn.create_function("cjk_grams", 1, cjk_grams, deterministic=True)
