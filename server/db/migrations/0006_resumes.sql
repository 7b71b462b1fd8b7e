-- Resumes for matching, and what the insights read fast.
--
-- A resume is the user's own text: pasted, or read out of an uploaded PDF or
-- DOCX (only the text is kept; the file is not stored).
CREATE TABLE resumes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    text        TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('text', 'pdf', 'docx')),
    filename    TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The full-text index's vocabulary: in how many postings each word occurs,
-- read by resume matching to weigh words by how distinctive they are.
CREATE VIRTUAL TABLE jobs_fts_terms USING fts5vocab (jobs_fts, 'row');

-- Market trends select by when JobDeck first saw a job or posting.
CREATE INDEX clusters_first_seen ON clusters (first_seen);
CREATE INDEX jobs_first_seen ON jobs (first_seen);
-- The company list groups every job by company from this index alone.
CREATE INDEX clusters_company_summary ON clusters (company_key, last_seen, postings, board_mask);
