-- Saved-search alerts (Pro): a schedule on a saved search, re-run by the
-- server while it is running, and an alert each time such a re-run finds
-- postings new to the store.
--
-- A lapsed license stops new alert runs only: schedules and alerts stay.
-- Deleting the saved search removes its schedule; its alerts stay, with the
-- name it had, so what was found is not lost.

-- One schedule per saved search. next_due_at moves forward from when a run
-- starts (never from when it was due), so a long sleep catches up once.
CREATE TABLE search_alerts (
    search_id        INTEGER PRIMARY KEY REFERENCES searches (id) ON DELETE CASCADE,
    every_hours      INTEGER NOT NULL CHECK (every_hours IN (6, 12, 24, 168)),
    enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    next_due_at      INTEGER NOT NULL,
    last_run_id      INTEGER REFERENCES search_runs (id) ON DELETE SET NULL,
    last_checked_at  INTEGER,            -- when a due check last ran or was skipped
    failures         INTEGER NOT NULL DEFAULT 0,  -- failed alert runs in a row
    last_error       TEXT,               -- why the last alert run failed
    skipped_reason   TEXT,               -- the license's reason code when a due run was skipped
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX search_alerts_due ON search_alerts (next_due_at) WHERE enabled = 1;

-- What an alert run found. new_postings is the run's count of postings new
-- to the store (as the saved search shows it); alert_jobs names the jobs
-- (clusters) first seen in that run.
CREATE TABLE alerts (
    id            INTEGER PRIMARY KEY,
    search_id     INTEGER REFERENCES searches (id) ON DELETE SET NULL,
    search_name   TEXT NOT NULL,
    run_id        INTEGER REFERENCES search_runs (id) ON DELETE SET NULL,
    new_postings  INTEGER NOT NULL CHECK (new_postings > 0),
    created_at    INTEGER NOT NULL,
    read_at       INTEGER
);
CREATE INDEX alerts_unread ON alerts (id) WHERE read_at IS NULL;

CREATE TABLE alert_jobs (
    alert_id    INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    cluster_id  INTEGER NOT NULL,
    PRIMARY KEY (alert_id, cluster_id)
) WITHOUT ROWID;
