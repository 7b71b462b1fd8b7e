"""Fixtures for the license service: the real app on SQLite and on a real
PostgreSQL (``database_url`` is parametrised over both), counters in memory
and in a real Redis, and the app's own LicenseClient talking to it in-process.

PostgreSQL and Redis come from ``JOBDECK_TEST_POSTGRES_URL`` and
``JOBDECK_TEST_REDIS_URL`` (``.ci/run`` starts both). Without them the
variants are skipped locally and fail under CI: a check that did not run must
never pass CI silently.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from license.service.db import create_engine, migrate
from license.service.models import Base
from license.service.signing import KeyRing
from tests.license.fakes import Clock

from .harness import Harness, fresh_sqlite_url

POSTGRES_ENV, REDIS_ENV = "JOBDECK_TEST_POSTGRES_URL", "JOBDECK_TEST_REDIS_URL"


def _missing(variable: str, what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the {what} tests, but {variable} is unset (.ci/run starts {what})")
    pytest.skip(f"{variable} is unset: set it to a {what} reachable on loopback to run these tests")


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    await migrate(url)


def _run_aside(function, *args) -> None:
    """Run a coroutine to completion on its own loop, in a thread (a session
    fixture may be set up while a test's loop is running)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(function(*args))).result()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test database, emptied and migrated once per session."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        _missing(POSTGRES_ENV, "PostgreSQL")
    _run_aside(_reset_postgres, url)
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        _missing(REDIS_ENV, "Redis")
    return url


async def truncate_all(url: str) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A migrated, empty database: a fresh SQLite file, or the PostgreSQL
    test database with every table emptied."""
    if request.param == "sqlite":
        url = fresh_sqlite_url(tmp_path)
        await migrate(url)
        return url
    url = request.getfixturevalue("postgres_url")
    await truncate_all(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keyring() -> KeyRing:
    return KeyRing.generate()


@pytest.fixture
async def service(database_url: str, keyring: KeyRing, clock: Clock):
    """The service app, running (lifespan entered), with generous rate limits;
    the rate-limit tests build their own."""
    harness = Harness(database_url, keyring, clock)
    async with harness.running():
        yield harness
