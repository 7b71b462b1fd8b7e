"""Chinese (and Japanese, Korean) words in search and in the words to hide:
found inside a longer run of CJK text, as a person reads it, while Latin
words still match whole words only; the index stays right through updates
and deletes, from JobDeck or from any SQLite program; a store from before
migration 0013 finds them once upgraded."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from server.db.cjk import CJK_LETTERS
from server.db.database import _configure
from server.db.job_search import JobQuery, fts_expression, search_jobs
from server.db.jobs import ingest
from server.db.migrations import MIGRATIONS, migrate
from server.insights.terms import word_df
from server.scrape.normalize import normalise
from tests.plans import pro
from tests.test_jobs_advanced_filters import titles
from tests.test_jobs_api import load

COLUMNS = ["id", "site", "title", "company", "location", "date_posted", "description"]
ROWS = [
    ["in-1", "indeed", "資深軟體工程師", "台灣積體電路", "新竹", "2026-11-20",
     "負責後端服務與資料庫設計"],
    ["in-2", "indeed", "行銷專員", "好日子", "台北", "2026-11-19", "經營社群與品牌活動"],
    ["in-3", "indeed", "Java工程師", "Acme", "Taipei", "2026-11-18", "Spring Boot services"],
    ["in-4", "indeed", "Senior Engineer", "Beta", "Taipei", "2026-11-17", "Engineering on call"],
    ["in-5", "indeed", "Engineers wanted", "Gamma", "Taipei", "2026-11-16", "ソフトウェアエンジニア募集"],
]


@pytest.fixture
def stored(client):
    load(client, ROWS, COLUMNS)
    return client


def test_a_chinese_search_word_is_found_inside_a_longer_run(stored):
    search = lambda q: titles(stored.get("/api/v1/jobs", params={"q": q}))  # noqa: E731
    assert search("工程師") == ["Java工程師", "資深軟體工程師"]
    assert search("軟體工程師") == ["資深軟體工程師"]
    assert search("社群") == ["行銷專員"]  # in the description
    assert search("積體") == ["資深軟體工程師"]  # in the company's name
    assert search("師") == ["Java工程師", "資深軟體工程師"]  # one letter: wherever it is in a run
    assert search("エンジニア") == ["Engineers wanted"]
    # Letters in another order, or with others between, are not the word.
    assert search("師程工") == [] and search("資深工程師") == []
    # With Latin words and the search syntax.
    assert search("java 工程師") == ["Java工程師"]
    assert search("工程師 NOT java") == ["資深軟體工程師"]
    assert search("工程師 OR 專員") == ["Java工程師", "行銷專員", "資深軟體工程師"]
    assert search('"Java工程師"') == ["Java工程師"]
    assert search("工程*") == ["Java工程師", "資深軟體工程師"]


def test_a_chinese_word_to_hide_hides_a_job_that_has_it_inside_a_longer_run(stored, app):
    pro(app)
    hidden = lambda words, **more: titles(stored.get("/api/v1/jobs", params={"exclude": words, **more}))  # noqa: E731
    assert hidden("工程師") == ["Engineers wanted", "Senior Engineer", "行銷專員"]
    assert hidden("社群, 軟體") == ["Engineers wanted", "Java工程師", "Senior Engineer"]
    assert hidden("師") == ["Engineers wanted", "Senior Engineer", "行銷專員"]
    assert hidden("工程師", q="java OR 專員") == ["行銷專員"]
    # Title only: the word is looked for in the title, a hidden job stays hidden.
    assert titles(stored.get("/api/v1/jobs", params={"q": "工程", "title_only": "true"})) == [
        "Java工程師", "資深軟體工程師"]


def test_latin_words_still_match_whole_words_only(stored, app):
    pro(app)
    search = lambda q: titles(stored.get("/api/v1/jobs", params={"q": q}))  # noqa: E731
    assert search("engineer") == ["Senior Engineer"]  # not "Engineers", nor "Engineering"
    assert search("engin") == []
    assert search("engin*") == ["Engineers wanted", "Senior Engineer"]
    assert search("java") == ["Java工程師"]  # a Latin word written against Chinese is a word of its own
    assert titles(stored.get("/api/v1/jobs", params={"exclude": "engineer"})) == [
        "Engineers wanted", "Java工程師", "行銷專員", "資深軟體工程師"]
    assert fts_expression("senior engineer") == '"senior" "engineer"'  # as it always was


def test_cjk_queries_that_cannot_run_are_a_400(stored):
    response = stored.get("/api/v1/jobs", params={"q": '"工程師'})
    assert response.status_code == 400, response.text


# -- the index itself ---------------------------------------------------------

def _open(path: Path, migrations=MIGRATIONS) -> sqlite3.Connection:
    conn = sqlite3.connect(path / "store.sqlite3", isolation_level=None)
    _configure(conn, readonly=False)
    migrate(conn, migrations, path)
    return conn


def job(board_id: str, title: str, description: str = ""):
    return normalise({"id": board_id, "site": "indeed", "title": title, "company": "Acme",
                      "location": "Taipei, Taiwan", "description": description})


def found(conn: sqlite3.Connection, q: str) -> list[str]:
    """The board ids of the postings of the jobs a search finds."""
    clusters = [r["id"] for r in search_jobs(conn, JobQuery(q=q, sort="newest"))[0]]
    marks = ", ".join("?" * len(clusters))
    return sorted(r[0] for r in conn.execute(f"SELECT board_id FROM jobs WHERE cluster_id IN ({marks})", clusters))


def index_is_sound(conn: sqlite3.Connection) -> bool:
    conn.execute("INSERT INTO jobs_fts (jobs_fts, rank) VALUES ('integrity-check', 0)")  # raises if not
    return True


def store(conn, records, now):
    conn.execute("BEGIN IMMEDIATE")
    ingest(conn, records, now)
    conn.execute("COMMIT")


def test_an_updated_posting_is_found_by_its_new_words_only(tmp_path):
    conn = _open(tmp_path)
    store(conn, [job("in-1", "資深軟體工程師"), job("in-2", "行銷專員")], 0)
    store(conn, [job("in-1", "資深硬體工程師"), job("in-2", "Marketing")], 100)
    assert found(conn, "硬體") == ["in-1"] and found(conn, "軟體") == []
    assert found(conn, "專員") == [] and found(conn, "marketing") == ["in-2"]
    assert conn.execute("SELECT count(*) FROM jobs_fts_cjk").fetchone()[0] == 1
    assert index_is_sound(conn)


def test_another_program_can_update_and_delete_postings(tmp_path):
    conn = _open(tmp_path)
    store(conn, [job("in-1", "資深軟體工程師"), job("in-2", "行銷專員"), job("in-3", "Chef")], 0)
    plain = sqlite3.connect(tmp_path / "store.sqlite3", isolation_level=None)  # no JobDeck functions
    plain.execute("UPDATE jobs SET title = 'Baker' WHERE board_id = 'in-2'")
    plain.execute("DELETE FROM jobs WHERE board_id = 'in-1'")
    plain.close()
    assert found(conn, "工程師") == [] and found(conn, "baker") == ["in-2"] and found(conn, "專員") == []
    assert conn.execute("SELECT count(*) FROM jobs_fts_cjk").fetchone()[0] == 0
    assert index_is_sound(conn)
    # The ingest indexes it as pairs again when it next sees it.
    store(conn, [job("in-2", "行銷專員")], 100)
    assert found(conn, "專員") == ["in-2"] and index_is_sound(conn)


def test_an_upgraded_store_finds_chinese_words(tmp_path):
    before = MIGRATIONS[:12]
    assert [m.version for m in before][-1] == 12 and MIGRATIONS[12].name == "cjk_search"
    conn = _open(tmp_path, before)
    # As the ingest wrote postings before 0013: the text indexed as it is.
    conn.execute("INSERT INTO clusters (id, first_seen, last_seen, updated_at) VALUES (1, 0, 0, 0), (2, 0, 0, 0)")
    conn.execute("INSERT INTO jobs (id, cluster_id, site, board_id, title, description, first_seen, last_seen, "
                 "updated_at) VALUES (1, 1, 'indeed', 'in-1', '資深軟體工程師', '負責後端服務', 0, 0, 0), "
                 "(2, 2, 'indeed', 'in-2', 'Senior Engineer', 'on call', 0, 0, 0)")
    conn.execute("INSERT INTO jobs_fts (rowid, title, company, location, description, skills) "
                 "SELECT id, title, company, location, description, skills FROM jobs")
    conn.execute("UPDATE clusters SET title = (SELECT title FROM jobs WHERE cluster_id = clusters.id)")
    assert found(conn, "工程師") == []  # the whole run was one word
    conn.close()

    conn = _open(tmp_path)
    assert found(conn, "工程師") == ["in-1"] and found(conn, "後端") == ["in-1"]
    assert found(conn, "engineer") == ["in-2"]
    assert index_is_sound(conn)
    conn.execute("DELETE FROM jobs WHERE id = 1")
    assert found(conn, "工程師") == [] and index_is_sound(conn)


def test_resume_matching_counts_the_postings_that_have_a_chinese_word(tmp_path):
    conn = _open(tmp_path)
    store(conn, [job("in-1", "資深軟體工程師"), job("in-2", "Java工程師"), job("in-3", "Chef", "工程師不用")], 0)
    # A CJK word is no longer one word of the index's vocabulary, so it is counted by a search.
    assert word_df(conn, ["工程師", "軟體工程師", "chef", "baker"]) == {
        "工程師": 3, "軟體工程師": 1, "chef": 1, "baker": 0}


def test_the_offline_replica_splits_the_same_letters():
    # pwa/data/cjk.js must treat the same letters as CJK, or offline answers drift from the server's.
    source = (Path(__file__).resolve().parents[1] / "pwa" / "data" / "cjk.js").read_text(encoding="utf-8")
    declared = re.search(r"const CJK_LETTERS = ((?:\s*\+?\s*\"[^\"]*\")+);", source)[1]
    letters = "".join(part.encode().decode("unicode_escape") for part in re.findall(r'"([^"]*)"', declared))
    assert letters == CJK_LETTERS
