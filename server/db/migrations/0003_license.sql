-- The license client's state: one row (license/state.py Record, read and
-- written by license/storage.py). It holds the signed lease, the highest
-- lease revision accepted (older leases are ignored), and the high-water
-- time that detects a clock set back. Nothing here gates the user's data:
-- losing this row only means entering the license key again.
--
-- license_key is a bearer secret, kept so the app can renew its lease; it
-- is protected like the session secrets (database file 0600) and never logged.
CREATE TABLE license_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    license_key   TEXT,
    lease         TEXT,
    license_id    TEXT,
    revision      INTEGER NOT NULL DEFAULT 0,
    high_water    INTEGER NOT NULL DEFAULT 0,
    skew          INTEGER NOT NULL DEFAULT 0,  -- service time minus local time
    checked_at    INTEGER,                     -- last signed answer
    attempted_at  INTEGER,                     -- last refresh attempt
    outcome       TEXT,
    denial        TEXT,
    refusal       TEXT,
    updated_at    INTEGER NOT NULL
);
