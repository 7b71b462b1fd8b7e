-- Preferences the user sets in the app (the Settings screen, PATCH
-- /api/v1/preferences): default boards, country and result count for a new
-- search, proxies, the company blocklist, the interface language.
--
-- One row per preference, its value as JSON (server/db/preferences.py
-- validates and reads them). A missing row means "not set here": the
-- config file's value or the built-in default applies. Proxy URLs may carry
-- a password; the file is private (0600) like the session secrets.
CREATE TABLE preferences (
    key         TEXT PRIMARY KEY CHECK (length(key) <= 64),
    value       TEXT NOT NULL CHECK (json_valid(value)),
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
