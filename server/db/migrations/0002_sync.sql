-- Incremental sync for the PWA's IndexedDB replica (GET /api/v1/sync) and
-- its outbox of offline edits (POST /api/v1/sync/mutations).
--
-- Every insert and update of a cluster takes the next number from one
-- counter and stores it in clusters.change_seq; a client holding cursor N
-- asks for rows with change_seq > N. Deletions leave a tombstone numbered
-- from the same counter, so changes and deletions interleave in one order.

CREATE TABLE sync_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    seq    INTEGER NOT NULL,
    -- names this database in cursors: a cursor from another database (a
    -- restored backup, a new home) makes the client start over
    db_id  TEXT NOT NULL
);

ALTER TABLE clusters ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
-- Rows that exist already get distinct numbers before the triggers exist.
UPDATE clusters SET change_seq = id;
INSERT INTO sync_state (id, seq, db_id)
VALUES (1, (SELECT coalesce(max(id), 0) FROM clusters), lower(hex(randomblob(8))));
CREATE INDEX clusters_change_seq ON clusters (change_seq);

CREATE TRIGGER clusters_sync_insert AFTER INSERT ON clusters BEGIN
    UPDATE sync_state SET seq = seq + 1 WHERE id = 1;
    UPDATE clusters SET change_seq = (SELECT seq FROM sync_state WHERE id = 1) WHERE id = new.id;
END;
-- The WHEN clause skips the trigger's own write, so it never loops even with
-- recursive triggers on.
CREATE TRIGGER clusters_sync_update AFTER UPDATE ON clusters
WHEN new.change_seq IS old.change_seq BEGIN
    UPDATE sync_state SET seq = seq + 1 WHERE id = 1;
    UPDATE clusters SET change_seq = (SELECT seq FROM sync_state WHERE id = 1) WHERE id = new.id;
END;

CREATE TABLE tombstones (
    change_seq  INTEGER PRIMARY KEY,
    id          INTEGER NOT NULL,       -- the deleted row's id
    kind        TEXT NOT NULL           -- 'job' (a cluster); room for more kinds
);

-- When each user-editable field was last written, in epoch milliseconds
-- (two edits within one second must still order): last writer wins per
-- field. An outbox mutation writes its own time after its update; any other
-- write (PATCH /api/v1/jobs/{id}, an import) is stamped by these triggers
-- with the row's updated_at.
CREATE TABLE field_times (
    cluster_id  INTEGER NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('status', 'note')),
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, field)
) WITHOUT ROWID;
CREATE TRIGGER clusters_status_time AFTER UPDATE OF status ON clusters BEGIN
    INSERT OR REPLACE INTO field_times (cluster_id, field, at_ms) VALUES (new.id, 'status', new.updated_at * 1000);
END;
CREATE TRIGGER clusters_note_time AFTER UPDATE OF note ON clusters BEGIN
    INSERT OR REPLACE INTO field_times (cluster_id, field, at_ms) VALUES (new.id, 'note', new.updated_at * 1000);
END;

CREATE TRIGGER clusters_sync_delete AFTER DELETE ON clusters BEGIN
    UPDATE sync_state SET seq = seq + 1 WHERE id = 1;
    INSERT INTO tombstones (change_seq, id, kind) VALUES ((SELECT seq FROM sync_state WHERE id = 1), old.id, 'job');
    DELETE FROM field_times WHERE cluster_id = old.id;
END;

-- Outbox mutations already received, by their client-made id: a replay (the
-- answer was lost, the tab retried) is recognised and not applied twice.
CREATE TABLE mutations (
    id           TEXT PRIMARY KEY,
    cluster_id   INTEGER NOT NULL,
    field        TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('applied', 'stale', 'missing')),
    received_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX mutations_received ON mutations (received_at);
