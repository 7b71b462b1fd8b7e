"""The cloud license service: sells and checks Pro/Team/Enterprise licenses.

A Litestar app built by :func:`license.service.app.create_service`, on
SQLAlchemy (SQLite for development, PostgreSQL in production) with Alembic
migrations, optional Redis for rate-limit counters, Stripe webhooks, and the
``jobdeck-license`` command line. The local app never imports this package:
it speaks to the service only over HTTP (``license.client``).

See ``license/README.md`` ("The license service") for the design choices.
"""
