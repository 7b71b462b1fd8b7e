"""Per-posting vocabulary skills, memoised, and document frequencies over the store.

Extracting skills reads a posting's whole description (about 60 µs each), so
results are kept in memory by (database id, posting id, updated_at): storing
a changed posting sets its updated_at, so changed text gets a new key. Document frequencies
come from the full-text index, cached per store version; the few symbol names the index
cannot see are found per posting and kept the same way, so a change re-reads only the
postings it touched.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Iterable, Mapping

from ..db.cjk import fts_phrase, has_cjk
from .skills import SKILLS, extract

__all__ = ["posting_skills", "skill_df", "word_df", "store_version", "SKILL_INDEX"]

SKILL_INDEX = {skill.label: i for i, skill in enumerate(SKILLS)}
_LABELS = [skill.label for skill in SKILLS]
_MEMO: dict[tuple, int] = {}
_MEMO_LIMIT = 250_000
_DF: dict[tuple, dict[str, int]] = {}
# Skills whose names the full-text index cannot see ("c++" is indexed as "c"): counted by a scan.
_SYMBOLS = {"C++": "c++", "C#": "c#", "F#": "f#", ".NET": ".net", "Node.js": "node.js", "Next.js": "next.js"}
_SYMBOL_BYTES = [symbol.encode() for symbol in _SYMBOLS.values()]
_SYMBOL_MEMO: dict[str, dict[int, tuple[int, int]]] = {}  # db id -> posting id -> (updated_at, symbol bits)


def _mask(labels: Iterable[str]) -> int:
    mask = 0
    for label in labels:
        mask |= 1 << SKILL_INDEX[label]
    return mask


_LABELS_OF: dict[int, tuple[str, ...]] = {}  # a mask's labels, kept: the same masks come back on every count


def labels(mask: int) -> tuple[str, ...]:
    found = _LABELS_OF.get(mask)
    if found is None:
        out = []
        bits = mask
        while bits:
            low = bits & -bits  # the lowest set bit
            out.append(_LABELS[low.bit_length() - 1])
            bits ^= low
        if len(_LABELS_OF) >= _MEMO_LIMIT:
            _LABELS_OF.clear()
        found = _LABELS_OF[mask] = tuple(out)
    return found


def store_version(conn: sqlite3.Connection) -> tuple:
    db_id, seq = conn.execute("SELECT db_id, seq FROM sync_state WHERE id = 1").fetchone()
    count, top, changed = conn.execute("SELECT count(*), max(id), max(updated_at) FROM jobs").fetchone()
    return db_id, seq, count, top, changed


def posting_skills(conn: sqlite3.Connection, db_id: str, postings: Mapping[int, int]) -> dict[int, int]:
    """Skill bitmasks (bit i: ``SKILLS[i]``) for postings (id -> its updated_at, as read
    with the posting), from title, description and listed skills."""
    out: dict[int, int] = {}
    missing: list[int] = []
    for job_id, updated in postings.items():
        mask = _MEMO.get((db_id, job_id, updated))
        if mask is None:
            missing.append(job_id)
        else:
            out[job_id] = mask
    if len(_MEMO) + len(missing) > _MEMO_LIMIT:
        _MEMO.clear()
    for start in range(0, len(missing), 900):
        chunk = missing[start:start + 900]
        marks = ", ".join("?" * len(chunk))
        for job_id, updated, title, description, listed in conn.execute(
                f"SELECT id, updated_at, title, description, skills FROM jobs WHERE id IN ({marks})", chunk):
            text = f"{title}\n{description or ''}\n{listed or ''}"
            mask = _mask(extract(text).skills)
            _MEMO[(db_id, job_id, updated)] = mask
            out[job_id] = mask
    return out


def _symbol_bits(title: str | None, description: str | None, listed: str | None) -> int:
    # bytes.lower() folds ASCII letters only, as SQLite's lower() does.
    text = f"{title or ''} {description or ''} {listed or ''}".encode().lower()
    return sum(1 << i for i, symbol in enumerate(_SYMBOL_BYTES) if symbol in text)


def _symbol_counts(conn: sqlite3.Connection, db_id: str) -> list[int]:
    """Postings whose title, description or listed skills contain each of ``_SYMBOLS`` (any case).

    Which symbols a posting has is kept by (posting id, updated_at), so after
    a change only new and changed postings are read again."""
    held = _SYMBOL_MEMO.get(db_id, {})
    current: dict[int, tuple[int, int]] = {}
    missing: list[int] = []
    for job_id, updated in conn.execute("SELECT id, updated_at FROM jobs"):
        entry = held.get(job_id)
        if entry is not None and entry[0] == updated:
            current[job_id] = entry
        else:
            missing.append(job_id)
    for start in range(0, len(missing), 900):
        chunk = missing[start:start + 900]
        marks = ", ".join("?" * len(chunk))
        for job_id, updated, title, description, listed in conn.execute(
                f"SELECT id, updated_at, title, description, skills FROM jobs WHERE id IN ({marks})", chunk):
            current[job_id] = (updated, _symbol_bits(title, description, listed))
    _SYMBOL_MEMO[db_id] = current  # a new dict: readers holding the old one are unaffected
    for other in [key for key in _SYMBOL_MEMO if key != db_id]:  # one store at a time
        _SYMBOL_MEMO.pop(other, None)
    counts = [0] * len(_SYMBOL_BYTES)
    for bits, n in Counter(entry[1] for entry in current.values() if entry[1]).items():
        for i in range(len(counts)):
            if bits >> i & 1:
                counts[i] += n
    return counts


def _fts_query(skill_index: int) -> str:
    skill = SKILLS[skill_index]
    return " OR ".join('"' + " ".join(alias) + '"' for alias in skill.aliases)


def skill_df(conn: sqlite3.Connection, version: tuple) -> dict[str, int]:
    """Postings whose indexed text has each skill (any alias): the full-text
    index for words, a scan for the few symbol names it cannot see."""
    cached = _DF.get(version)
    if cached is not None:
        return cached
    df: dict[str, int] = {}
    for i, skill in enumerate(SKILLS):
        if skill.label in _SYMBOLS:
            continue
        df[skill.label] = conn.execute("SELECT count(*) FROM jobs_fts WHERE jobs_fts MATCH ?",
                                       (_fts_query(i),)).fetchone()[0]
    for label, count in zip(_SYMBOLS, _symbol_counts(conn, version[0])):
        df[label] = count
    if len(_DF) > 8:
        _DF.clear()
    _DF[version] = df
    return df


def word_df(conn: sqlite3.Connection, words: Iterable[str]) -> dict[str, int]:
    """Postings whose indexed text has each word (the index's own vocabulary;
    a CJK word, indexed as pairs of letters, by a search for it)."""
    words = list(dict.fromkeys(words))
    out = dict.fromkeys(words, 0)
    for word in [w for w in words if has_cjk(w)]:
        out[word] = conn.execute("SELECT count(*) FROM jobs_fts WHERE jobs_fts MATCH ?",
                                 (fts_phrase(word),)).fetchone()[0]
    words = [w for w in words if not has_cjk(w)]
    for start in range(0, len(words), 900):
        chunk = words[start:start + 900]
        marks = ", ".join("?" * len(chunk))
        for term, doc in conn.execute(f"SELECT term, doc FROM jobs_fts_terms WHERE term IN ({marks})", chunk):
            out[term] = doc
    return out
