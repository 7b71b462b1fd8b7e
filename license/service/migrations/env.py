"""Alembic environment: always run with a connection handed over by
:func:`license.service.db.migrate` (the service owns its engines)."""

from __future__ import annotations

from alembic import context

from license.service.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `jobdeck-license migrate`, which passes the connection")

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
context.run_migrations()
