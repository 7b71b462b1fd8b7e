"""Resume match: an explainable, deterministic, offline score of a resume against a job.

What a job asks for: the vocabulary skills found in any of its postings'
title, description and listed skills, plus the content words of its title
(skipping a word the vocabulary already names). Each term weighs its
inverse document frequency over the store's postings,
``idf = ln((N + 1) / (df + 1)) + 1`` (N postings, df of them with the term;
the smoothed form, always above zero), so rare, telling terms count more
than words every posting has. A term is matched when the resume has it
(the same extractor reads both). The score is
``100 × Σ weight(matched) / Σ weight(asked)``; a job asking for fewer than
``MIN_TERMS`` terms gets no score (too few to judge).
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

import msgspec

from .cache import cached
from .query import InsightFilter, run, where
from .skills import extract, names_a_skill, words
from .stats import Figure
from .terms import labels, posting_skills, skill_df, store_version, word_df

__all__ = ["Match", "MatchPage", "match_job", "match_jobs", "MIN_TERMS", "MAX_SCORED", "idf"]

MIN_TERMS = 3
MAX_SCORED = 10_000
TOP_MISSING = 5


class Term(msgspec.Struct, rename="camel"):
    term: str
    kind: str          # "skill" (vocabulary) or "title" (a word of the job's title)
    df: int            # postings in the store with it
    weight: float      # its idf


class Match(msgspec.Struct, rename="camel"):
    job_id: int
    resume_id: int
    title: str | None
    company: str | None
    score: Figure      # 0..100; n: terms the job asks for
    postings: int      # N: postings in the store, the base of every weight
    matched: list[Term]
    missing: list[Term]  # heaviest first: what the resume should address


class MatchSummary(msgspec.Struct, rename="camel"):
    job_id: int
    title: str | None
    company: str | None
    location: str | None
    score: Figure
    matched: int
    missing: int
    top_missing: list[str]


class MatchPage(msgspec.Struct, rename="camel"):
    resume_id: int
    scored: int        # jobs scored (the most recently seen, at most MAX_SCORED)
    capped: bool       # more jobs matched the filter than were scored
    items: list[MatchSummary]
    next_offset: int | None


def idf(n: int, df: int) -> float:
    return math.log((n + 1) / (df + 1)) + 1


def _title_words(title: str | None) -> list[str]:
    return [w for w in dict.fromkeys(words(title or "")) if not names_a_skill(w) and w.isalpha()]


class _Scorer:
    """Weights over one store version, and a resume's terms."""

    def __init__(self, conn: sqlite3.Connection, resume_text: str) -> None:
        self.version = store_version(conn)
        self.n = self.version[2]
        self.skill_df = skill_df(conn, self.version)
        self.resume = extract(resume_text)
        self.word_df: dict[str, int] = {}
        # Many jobs share a title and skills: each title's words and each term are worked out once.
        self._titles: dict[str | None, list[str]] = {}
        self._terms: dict[tuple[str, str], tuple[Term, bool]] = {}

    def title_words(self, title: str | None) -> list[str]:
        found = self._titles.get(title)
        if found is None:
            found = self._titles[title] = _title_words(title)
        return found

    def load_words(self, conn: sqlite3.Connection, titles: list[str | None]) -> None:
        wanted = {w for t in titles for w in self.title_words(t)} - self.word_df.keys()
        self.word_df.update(word_df(conn, wanted))

    def _term(self, term: str, kind: str) -> tuple[Term, bool]:
        found = self._terms.get((kind, term))
        if found is None:
            if kind == "skill":
                df, has = self.skill_df.get(term, 0), term in self.resume.skills
            else:
                df, has = self.word_df.get(term, 0), term in self.resume.words
            found = self._terms[(kind, term)] = (Term(term=term, kind=kind, df=df,
                                                      weight=round(idf(self.n, df), 4)), has)
        return found

    def terms(self, mask: int, title: str | None) -> tuple[list[Term], list[Term]]:
        matched, missing = [], []
        for label in labels(mask):
            term, has = self._term(label, "skill")
            (matched if has else missing).append(term)
        for word in self.title_words(title):
            term, has = self._term(word, "title")
            (matched if has else missing).append(term)
        order = lambda t: (-t.weight, t.term)  # noqa: E731
        return sorted(matched, key=order), sorted(missing, key=order)

    @staticmethod
    def score(matched: list[Term], missing: list[Term]) -> Figure:
        asked = len(matched) + len(missing)
        if asked < MIN_TERMS:
            return Figure(value=None, n=asked, too_few=True)
        total = sum(t.weight for t in matched) + sum(t.weight for t in missing)
        return Figure(value=round(100 * sum(t.weight for t in matched) / total, 1), n=asked)


def _masks(conn: sqlite3.Connection, db_id: str, cluster_ids: list[int]) -> dict[int, int]:
    """Each job's skills: the union over its postings."""
    postings: list[tuple[int, int, int]] = []
    for start in range(0, len(cluster_ids), 900):
        chunk = cluster_ids[start:start + 900]
        marks = ", ".join("?" * len(chunk))
        postings += conn.execute(f"SELECT id, cluster_id, updated_at FROM jobs WHERE cluster_id IN ({marks})",
                                 chunk).fetchall()
    per_posting = posting_skills(conn, db_id, {p[0]: p[2] for p in postings})
    out: dict[int, int] = dict.fromkeys(cluster_ids, 0)
    for job_id, cluster_id, _ in postings:
        out[cluster_id] |= per_posting.get(job_id, 0)
    return out


def match_job(conn: sqlite3.Connection, resume_text: str, resume_id: int, job_id: int) -> Match | None:
    job = conn.execute("SELECT id, title, company FROM clusters WHERE id = ?", (job_id,)).fetchone()
    if job is None:
        return None
    scorer = _Scorer(conn, resume_text)
    scorer.load_words(conn, [job["title"]])
    mask = _masks(conn, scorer.version[0], [job_id])[job_id]
    matched, missing = scorer.terms(mask, job["title"])
    return Match(job_id=job_id, resume_id=resume_id, title=job["title"], company=job["company"],
                 score=scorer.score(matched, missing), postings=scorer.n, matched=matched, missing=missing)


@cached
def match_jobs(conn: sqlite3.Connection, resume_text: str, resume_id: int, f: InsightFilter,
               sort: str, limit: int, offset: int) -> MatchPage:
    clauses, params = where(f)
    inner = ("c.id IN (SELECT j.cluster_id FROM jobs j WHERE " + " AND ".join(clauses) + ")") if clauses else "1"
    rows: list[Any] = run(conn, f"SELECT c.id, c.title, c.company, c.location FROM clusters c "
                                f"WHERE c.status != 'hidden' AND {inner} "
                                f"ORDER BY c.last_seen DESC, c.id LIMIT {MAX_SCORED + 1}", params)
    capped = len(rows) > MAX_SCORED
    rows = rows[:MAX_SCORED]
    scorer = _Scorer(conn, resume_text)
    scorer.load_words(conn, [r["title"] for r in rows])
    masks = _masks(conn, scorer.version[0], [r["id"] for r in rows])
    items = []
    for row in rows:
        matched, missing = scorer.terms(masks[row["id"]], row["title"])
        items.append(MatchSummary(job_id=row["id"], title=row["title"], company=row["company"],
                                  location=row["location"], score=scorer.score(matched, missing),
                                  matched=len(matched), missing=len(missing),
                                  top_missing=[t.term for t in missing[:TOP_MISSING]]))
    if sort == "match":  # best first; unscored jobs last; ties by job id
        items.sort(key=lambda m: (m.score.value is None, -(m.score.value or 0), m.job_id))
    page = items[offset:offset + limit]
    more = offset + len(page) < len(items)
    return MatchPage(resume_id=resume_id, scored=len(items), capped=capped, items=page,
                     next_offset=offset + len(page) if more else None)
