"""Application tracking: stages, applications and their append-only history,
contacts, interviews, reminders, the funnel, calendars, import and export.

The modules hold plain functions over an ``sqlite3`` connection (run through
``Database.run_read``/``run_write``, so each call is one transaction) and the
msgspec structs of the API; ``server/routes/applications.py`` wires them to
HTTP and to the feature gate.
"""
