"""The database: an async engine for SQLite or PostgreSQL, and migrations.

SQLite (development) runs every transaction as ``BEGIN IMMEDIATE``: the
write lock is taken up front, which is what serialises activations there
(LICENSING.md "Seats and machines") and leaves no read-then-upgrade
deadlock to retry. PostgreSQL serialises activations with ``SELECT … FOR
UPDATE`` on the license row (:func:`license.service.machines.lock_license`).

Validation reads on a connection of the same pool at driver level, with
no transaction of its own (:class:`license.service.validation.Lookups`):
the one SELECT is one round trip with no BEGIN/COMMIT, and on SQLite (WAL)
it takes no write lock.

Migrations are Alembic revisions in ``migrations/versions``, run through the
same engine (:func:`migrate`); on PostgreSQL an advisory lock keeps two
replicas starting at once from migrating together.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

__all__ = ["create_engine", "make_sessions", "migrate", "current_revision",
           "alembic_config", "is_sqlite"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 0x4A4F4244  # "JOBD": the advisory lock id guarding migrations


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    if is_sqlite(url):
        # The timeout is SQLite's busy wait for the write lock.
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No pre-ping: it is a round trip on every checkout. A connection that
    # died with the server fails its request once, and the pool then
    # replaces every connection it holds (SQLAlchemy's disconnect handling).
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
    command.upgrade(alembic_config(connection), revision)


def _downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)


async def migrate(url: str, revision: str = "head", *, down: bool = False) -> None:
    """Bring the database at ``url`` to ``revision`` (all in one transaction)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_downgrade if down else _upgrade, revision)
    finally:
        await engine.dispose()


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)
