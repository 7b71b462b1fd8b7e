-- Chinese, Japanese and Korean words found inside longer runs of text.
--
-- CJK is written without spaces, and the unicode61 tokenizer took a whole
-- run ("資深軟體工程師") for one word that "工程師" never matched. The index
-- now holds each CJK run as overlapping pairs and its last letter ("資深 深軟
-- 軟體 體工 工程 程師 師"; see server/db/cjk.py), written by the ingest.
--
-- Deleting from an external-content index needs the values it indexed, so
-- the postings with CJK keep theirs here (a column is NULL where it has no
-- CJK and was indexed as it is). The triggers read them in plain SQL: any
-- SQLite program may still update or delete postings. A posting changed
-- outside JobDeck is indexed as written until the ingest sees it again.
CREATE TABLE jobs_fts_cjk (
    id          INTEGER PRIMARY KEY,    -- jobs.id
    title       TEXT,
    company     TEXT,
    location    TEXT,
    description TEXT,
    skills      TEXT
);

DROP TRIGGER jobs_fts_delete;
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description, skills)
    SELECT 'delete', old.id, coalesce(x.title, old.title), coalesce(x.company, old.company),
           coalesce(x.location, old.location), coalesce(x.description, old.description),
           coalesce(x.skills, old.skills)
    FROM (SELECT old.id AS id) AS o LEFT JOIN jobs_fts_cjk AS x ON x.id = o.id;
    DELETE FROM jobs_fts_cjk WHERE id = old.id;
END;

DROP TRIGGER jobs_fts_update;
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF title, company, location, description, skills ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description, skills)
    SELECT 'delete', old.id, coalesce(x.title, old.title), coalesce(x.company, old.company),
           coalesce(x.location, old.location), coalesce(x.description, old.description),
           coalesce(x.skills, old.skills)
    FROM (SELECT old.id AS id) AS o LEFT JOIN jobs_fts_cjk AS x ON x.id = o.id;
    DELETE FROM jobs_fts_cjk WHERE id = old.id;
    INSERT INTO jobs_fts (rowid, title, company, location, description, skills)
    VALUES (new.id, new.title, new.company, new.location, new.description, new.skills);
END;

-- The postings stored before: those with CJK are indexed again, as pairs.
WITH grams AS MATERIALIZED (
    SELECT id, cjk_grams(title) AS title, cjk_grams(company) AS company, cjk_grams(location) AS location,
           cjk_grams(description) AS description, cjk_grams(skills) AS skills
    FROM jobs
)
INSERT INTO jobs_fts_cjk (id, title, company, location, description, skills)
SELECT id, title, company, location, description, skills FROM grams
WHERE coalesce(title, company, location, description, skills) IS NOT NULL;

INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description, skills)
SELECT 'delete', j.id, j.title, j.company, j.location, j.description, j.skills
FROM jobs AS j JOIN jobs_fts_cjk AS x ON x.id = j.id;

INSERT INTO jobs_fts (rowid, title, company, location, description, skills)
SELECT j.id, coalesce(x.title, j.title), coalesce(x.company, j.company), coalesce(x.location, j.location),
       coalesce(x.description, j.description), coalesce(x.skills, j.skills)
FROM jobs AS j JOIN jobs_fts_cjk AS x ON x.id = j.id;
