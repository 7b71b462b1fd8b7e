-- The core schema: jobs and their clusters, searches and runs, applications
-- with their append-only history, and the credentials of the local server.
-- Times are epoch seconds (they sort and compare fast); the API turns them
-- into ISO 8601. Never edit this file once landed: add a new migration.

-- A cluster is one real-world posting seen on one or more boards. The user's
-- own status lives here, so marking a job saved marks it on every board.
-- It also carries a summary of its postings (kept by the ingest code), so the
-- job list filters and sorts one narrow table with indexes instead of
-- grouping every posting on every request.
CREATE TABLE clusters (
    id           INTEGER PRIMARY KEY,
    status       TEXT NOT NULL DEFAULT 'new'
                 CHECK (status IN ('new', 'seen', 'saved', 'hidden', 'applied')),
    note         TEXT,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    -- the summary: the most recently seen posting, plus what spans them all
    job_id       INTEGER,
    title        TEXT,
    company      TEXT,
    company_key  TEXT,               -- lower case, for company filters
    location     TEXT,
    is_remote    INTEGER NOT NULL DEFAULT 0,
    date_posted  TEXT NOT NULL DEFAULT '',
    job_types    TEXT,               -- JSON list
    type_mask    INTEGER NOT NULL DEFAULT 0,
    boards       TEXT,               -- comma-separated
    board_mask   INTEGER NOT NULL DEFAULT 0,
    postings     INTEGER NOT NULL DEFAULT 0,
    salary_interval TEXT,
    min_amount   REAL,
    max_amount   REAL,
    currency     TEXT,
    annual_min   REAL,
    annual_max   REAL,
    company_logo TEXT
);
CREATE INDEX clusters_newest ON clusters (date_posted DESC, id);
CREATE INDEX clusters_salary ON clusters (annual_max DESC, id);
CREATE INDEX clusters_status ON clusters (status);
CREATE INDEX clusters_company ON clusters (company_key);

-- One row per board posting: every jobspy column, normalised.
CREATE TABLE jobs (
    id                    INTEGER PRIMARY KEY,
    cluster_id            INTEGER NOT NULL REFERENCES clusters (id),
    site                  TEXT NOT NULL,
    board_id              TEXT NOT NULL,
    job_url               TEXT,
    job_url_direct        TEXT,
    title                 TEXT NOT NULL,
    company               TEXT,
    location              TEXT,
    city                  TEXT,
    state                 TEXT,
    country               TEXT,
    date_posted           TEXT,
    job_types             TEXT,          -- JSON list
    salary_source         TEXT,
    salary_interval       TEXT,
    min_amount            REAL,
    max_amount            REAL,
    currency              TEXT,
    annual_min            REAL,          -- annualised, same currency
    annual_max            REAL,
    is_remote             INTEGER,
    job_level             TEXT,
    job_function          TEXT,
    listing_type          TEXT,
    emails                TEXT,          -- JSON list
    description           TEXT,
    company_industry      TEXT,
    company_url           TEXT,
    company_logo          TEXT,
    company_url_direct    TEXT,
    company_addresses     TEXT,
    company_num_employees TEXT,
    company_revenue       TEXT,
    company_description   TEXT,
    skills                TEXT,          -- JSON list
    experience_range      TEXT,
    company_rating        REAL,
    company_reviews_count INTEGER,
    vacancy_count         INTEGER,
    work_from_home_type   TEXT,
    extra                 TEXT,          -- JSON object: columns a newer jobspy added
    dedup_url             TEXT,          -- normalised direct URL
    dedup_key             TEXT,          -- normalised title | company | city
    first_seen            INTEGER NOT NULL,
    last_seen             INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    UNIQUE (site, board_id)
);
CREATE INDEX jobs_cluster ON jobs (cluster_id);
CREATE INDEX jobs_dedup_url ON jobs (dedup_url) WHERE dedup_url IS NOT NULL;
CREATE INDEX jobs_dedup_key ON jobs (dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX jobs_last_seen ON jobs (last_seen DESC);
CREATE INDEX jobs_date_posted ON jobs (date_posted DESC);
CREATE INDEX jobs_annual_max ON jobs (currency, annual_max DESC);

-- Full text over what people search for. External content: the text is
-- stored once, in jobs. New postings are indexed in bulk by the ingest code
-- (one INSERT … SELECT per batch is four times faster than a trigger per
-- row); triggers keep the index in step on update and delete.
CREATE VIRTUAL TABLE jobs_fts USING fts5 (
    title, company, location, description, skills,
    content = 'jobs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description, skills)
    VALUES ('delete', old.id, old.title, old.company, old.location, old.description, old.skills);
END;
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF title, company, location, description, skills ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description, skills)
    VALUES ('delete', old.id, old.title, old.company, old.location, old.description, old.skills);
    INSERT INTO jobs_fts (rowid, title, company, location, description, skills)
    VALUES (new.id, new.title, new.company, new.location, new.description, new.skills);
END;

-- Saved searches: what the user asked for, kept to re-run.
CREATE TABLE searches (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    params      TEXT NOT NULL,          -- JSON: term, location, boards, ...
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- One execution of a search, saved or ad hoc.
CREATE TABLE search_runs (
    id           INTEGER PRIMARY KEY,
    search_id    INTEGER REFERENCES searches (id) ON DELETE SET NULL,
    params       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'partial', 'failed',
                                  'cancelled', 'interrupted')),
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER,
    error        TEXT
);
CREATE INDEX search_runs_search ON search_runs (search_id, created_at DESC);

-- Each board's outcome within a run.
CREATE TABLE run_boards (
    run_id       INTEGER NOT NULL REFERENCES search_runs (id) ON DELETE CASCADE,
    site         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'failed', 'blocked',
                                  'timeout', 'cancelled')),
    found        INTEGER NOT NULL DEFAULT 0,
    new          INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    warnings     TEXT,                  -- JSON list
    started_at   INTEGER,
    finished_at  INTEGER,
    PRIMARY KEY (run_id, site)
);

-- A job seen by a run: the raw material of market trends.
CREATE TABLE sightings (
    job_id   INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id   INTEGER NOT NULL REFERENCES search_runs (id) ON DELETE CASCADE,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (job_id, run_id)
) WITHOUT ROWID;
CREATE INDEX sightings_run ON sightings (run_id);

-- An application: a stored job the user pursues, or one entered by hand.
CREATE TABLE applications (
    id           INTEGER PRIMARY KEY,
    cluster_id   INTEGER REFERENCES clusters (id),
    title        TEXT NOT NULL,
    company      TEXT,
    url          TEXT,
    description  TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX applications_cluster ON applications (cluster_id);

-- Its history. Append-only: the current stage is derived from the events.
CREATE TABLE application_events (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    kind            TEXT NOT NULL,      -- 'stage', 'note', ...
    stage           TEXT,
    data            TEXT,               -- JSON
    at              INTEGER NOT NULL
);
CREATE INDEX application_events_app ON application_events (application_id, at);
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events BEGIN
    SELECT RAISE(ABORT, 'application history is append-only');
END;
CREATE TRIGGER application_events_no_delete BEFORE DELETE ON application_events BEGIN
    SELECT RAISE(ABORT, 'application history is append-only');
END;

-- API tokens for scripts: only a hash is stored; the token is shown once.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    scopes        TEXT NOT NULL DEFAULT '["read","write"]',
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);

-- One-time login tokens (written by the CLI, spent by the browser) and the
-- browser sessions they become. Hashes only.
CREATE TABLE login_tokens (
    token_hash  TEXT PRIMARY KEY,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
