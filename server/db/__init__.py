"""Local storage: the Database object, migrations, and one module per table."""

from .database import Database, DatabaseCorrupt, DatabaseError, DatabaseLocked, DatabaseTooNew

__all__ = ["Database", "DatabaseError", "DatabaseCorrupt", "DatabaseTooNew", "DatabaseLocked"]
