-- Application tracking: the fields of an application, configurable stages,
-- contacts and interviews, idempotent client ids for the PWA's outbox, and
-- change numbers so an offline replica can catch up incrementally.

-- The stages an application moves through, in board order. Keys are stable
-- (the history refers to them); labels and order can change.
--   submitted: reaching it means the application was sent
--   response:  reaching it means the employer answered
--   terminal:  the application is over (it no longer counts as active)
CREATE TABLE tracking_stages (
    key        TEXT PRIMARY KEY CHECK (key GLOB '[a-z]*' AND length(key) <= 32),
    label      TEXT NOT NULL,
    position   INTEGER NOT NULL,
    submitted  INTEGER NOT NULL CHECK (submitted IN (0, 1)),
    response   INTEGER NOT NULL CHECK (response IN (0, 1)),
    terminal   INTEGER NOT NULL CHECK (terminal IN (0, 1))
) WITHOUT ROWID;
INSERT INTO tracking_stages (key, label, position, submitted, response, terminal) VALUES
    ('saved',        'Saved',        1, 0, 0, 0),
    ('applied',      'Applied',      2, 1, 0, 0),
    ('screening',    'Screening',    3, 1, 1, 0),
    ('interviewing', 'Interviewing', 4, 1, 1, 0),
    ('offer',        'Offer',        5, 1, 1, 0),
    ('accepted',     'Accepted',     6, 1, 1, 1),
    ('rejected',     'Rejected',     7, 1, 1, 1),
    ('withdrawn',    'Withdrawn',    8, 0, 0, 1),
    ('ghosted',      'Ghosted',      9, 1, 0, 1);

-- The user's own fields. Money stays as the user typed it: amounts in one
-- currency with an interval, never converted.
ALTER TABLE applications ADD COLUMN client_id TEXT;
ALTER TABLE applications ADD COLUMN location TEXT;
ALTER TABLE applications ADD COLUMN excitement INTEGER CHECK (excitement BETWEEN 1 AND 5);
ALTER TABLE applications ADD COLUMN salary_expectation REAL;
ALTER TABLE applications ADD COLUMN salary_offer REAL;
ALTER TABLE applications ADD COLUMN salary_currency TEXT;
ALTER TABLE applications ADD COLUMN salary_interval TEXT;
ALTER TABLE applications ADD COLUMN resume_version TEXT;
ALTER TABLE applications ADD COLUMN source TEXT;
ALTER TABLE applications ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';  -- JSON list
ALTER TABLE applications ADD COLUMN notes TEXT;                       -- markdown
ALTER TABLE applications ADD COLUMN follow_up_at INTEGER;
-- A cache of what the history says, written only by the trigger below: the
-- stage of the latest stage event (by its time, then its id) and that time.
ALTER TABLE applications ADD COLUMN stage TEXT;
ALTER TABLE applications ADD COLUMN stage_at INTEGER;
ALTER TABLE applications ADD COLUMN last_event_at INTEGER;
ALTER TABLE applications ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX applications_client_id ON applications (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX applications_stage ON applications (stage);
CREATE INDEX applications_follow_up ON applications (follow_up_at) WHERE follow_up_at IS NOT NULL;
CREATE INDEX applications_change_seq ON applications (change_seq);

-- Events made offline carry the client's id, so a replay is recognised.
ALTER TABLE application_events ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX application_events_client_id ON application_events (client_id)
    WHERE client_id IS NOT NULL;

UPDATE applications SET
    stage = (SELECT e.stage FROM application_events e WHERE e.application_id = applications.id
             AND e.kind = 'stage' ORDER BY e.at DESC, e.id DESC LIMIT 1),
    stage_at = (SELECT max(e.at) FROM application_events e WHERE e.application_id = applications.id
                AND e.kind = 'stage'),
    last_event_at = (SELECT max(e.at) FROM application_events e WHERE e.application_id = applications.id);

CREATE TRIGGER application_events_current AFTER INSERT ON application_events BEGIN
    UPDATE applications SET
        stage = coalesce((SELECT e.stage FROM application_events e
                          WHERE e.application_id = new.application_id AND e.kind = 'stage'
                          ORDER BY e.at DESC, e.id DESC LIMIT 1), stage),
        stage_at = coalesce((SELECT max(e.at) FROM application_events e
                             WHERE e.application_id = new.application_id AND e.kind = 'stage'), stage_at),
        last_event_at = max(coalesce(last_event_at, new.at), new.at)
    WHERE id = new.application_id;
END;

CREATE TABLE application_contacts (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    client_id       TEXT UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT,
    email           TEXT,
    phone           TEXT,
    link            TEXT,
    notes           TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX application_contacts_app ON application_contacts (application_id);

-- starts_at is UTC; time_zone is the IANA zone the user meant it in, so the
-- PWA can show the local time it was agreed in.
CREATE TABLE application_interviews (
    id                INTEGER PRIMARY KEY,
    application_id    INTEGER NOT NULL REFERENCES applications (id),
    client_id         TEXT UNIQUE,
    starts_at         INTEGER NOT NULL,
    duration_minutes  INTEGER NOT NULL DEFAULT 60,
    time_zone         TEXT NOT NULL DEFAULT 'UTC',
    kind              TEXT,
    location          TEXT,
    meeting_url       TEXT,
    participants      TEXT NOT NULL DEFAULT '[]',  -- JSON list of names
    notes             TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX application_interviews_app ON application_interviews (application_id);
CREATE INDEX application_interviews_start ON application_interviews (starts_at);

-- When each editable field was last written (epoch ms): an offline edit
-- replayed after a newer one does not overwrite it.
CREATE TABLE application_field_times (
    application_id  INTEGER NOT NULL,
    field           TEXT NOT NULL,
    at_ms           INTEGER NOT NULL,
    PRIMARY KEY (application_id, field)
) WITHOUT ROWID;

-- Change numbers from the one sync counter (0002): any change to an
-- application, its history, contacts or interviews renumbers the application,
-- and GET /api/v1/applications/changes?since=<cursor> returns it whole.
-- Rows that exist already get distinct numbers past the counter first.
UPDATE applications SET change_seq = (SELECT seq FROM sync_state WHERE id = 1) + id;
UPDATE sync_state SET seq = seq + (SELECT coalesce(max(id), 0) FROM applications) WHERE id = 1;

CREATE TRIGGER applications_sync_insert AFTER INSERT ON applications BEGIN
    UPDATE sync_state SET seq = seq + 1 WHERE id = 1;
    UPDATE applications SET change_seq = (SELECT seq FROM sync_state WHERE id = 1) WHERE id = new.id;
END;
-- The WHEN clause skips the trigger's own write, so it never loops.
CREATE TRIGGER applications_sync_update AFTER UPDATE ON applications
WHEN new.change_seq IS old.change_seq BEGIN
    UPDATE sync_state SET seq = seq + 1 WHERE id = 1;
    UPDATE applications SET change_seq = (SELECT seq FROM sync_state WHERE id = 1) WHERE id = new.id;
END;
CREATE TRIGGER application_contacts_sync_insert AFTER INSERT ON application_contacts BEGIN
    UPDATE applications SET updated_at = max(updated_at, new.updated_at) WHERE id = new.application_id;
END;
CREATE TRIGGER application_contacts_sync_update AFTER UPDATE ON application_contacts BEGIN
    UPDATE applications SET updated_at = max(updated_at, new.updated_at) WHERE id = new.application_id;
END;
CREATE TRIGGER application_contacts_sync_delete AFTER DELETE ON application_contacts BEGIN
    UPDATE sync_state SET seq = seq + 1 WHERE id = 1;
    UPDATE applications SET change_seq = (SELECT seq FROM sync_state WHERE id = 1) WHERE id = old.application_id;
END;
CREATE TRIGGER application_interviews_sync_insert AFTER INSERT ON application_interviews BEGIN
    UPDATE applications SET updated_at = max(updated_at, new.updated_at) WHERE id = new.application_id;
END;
CREATE TRIGGER application_interviews_sync_update AFTER UPDATE ON application_interviews BEGIN
    UPDATE applications SET updated_at = max(updated_at, new.updated_at) WHERE id = new.application_id;
END;
CREATE TRIGGER application_interviews_sync_delete AFTER DELETE ON application_interviews BEGIN
    UPDATE sync_state SET seq = seq + 1 WHERE id = 1;
    UPDATE applications SET change_seq = (SELECT seq FROM sync_state WHERE id = 1) WHERE id = old.application_id;
END;
