"""Pro insights from the user's own store: pure functions over SQL.

Each module takes a ``sqlite3.Connection`` (run on a reader through
``Database.run_read``) and returns msgspec structs the routes send as they
are. Nothing here writes, converts currencies or invents a figure: a number
computed from too few postings is returned as ``Figure(value=None,
too_few=True, n=...)`` (thresholds in :mod:`server.insights.stats`).
"""
