"""The factory, its lifespan, the schema and its migrations, the settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from license.service.app import SchemaMismatch, create_service
from license.service.config import SETTINGS, ServiceConfig, load_config
from license.service.db import create_engine, current_revision, migrate
from license.service.models import Base

from .harness import fresh_sqlite_url

REPO = Path(__file__).resolve().parents[2]


async def test_the_migrations_make_exactly_the_models(database_url):
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
        assert diff == []
        assert await current_revision(engine) == "0001"
    finally:
        await engine.dispose()


async def test_migrations_go_down_and_up_again(database_url):
    await migrate(database_url, "base", down=True)
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
    finally:
        await engine.dispose()
    await migrate(database_url)
    await migrate(database_url)  # a second run is a no-op


async def test_the_lifespan_refuses_an_unmigrated_database(tmp_path, keyring):
    app = create_service(ServiceConfig(database_url=fresh_sqlite_url(tmp_path)), keys=keyring)
    with pytest.raises(BaseExceptionGroup) as caught:  # the lifespan's task group wraps it
        async with app.lifespan():
            pass
    assert caught.group_contains(SchemaMismatch, match="jobdeck-license migrate")


async def test_the_lifespan_serves_and_cleans_up(tmp_path, keyring):
    url = fresh_sqlite_url(tmp_path)
    await migrate(url)
    app = create_service(ServiceConfig(database_url=url), keys=keyring)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            assert (await http.get("/health")).json() == {"status": "ok"}
            keys = (await http.get("/v1/keys")).json()
            assert keys["current"] == keyring.current and keys["next"] == keyring.next
            assert (await http.post("/v1/validate", content=b"{not json")).status_code == 400
            assert (await http.post("/v1/validate", content=b"x" * 100_000)).status_code == 413
    assert app.state.ctx.engine.pool.checkedout() == 0


async def test_a_missing_stripe_secret_disables_the_webhook(tmp_path, keyring):
    url = fresh_sqlite_url(tmp_path)
    await migrate(url)
    app = create_service(ServiceConfig(database_url=url), keys=keyring)
    async with app.lifespan():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            assert (await http.post("/v1/stripe/webhook", content=b"{}")).status_code == 404


def test_settings_are_data_and_documented():
    readme = (REPO / "license" / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert setting.description and setting.env.startswith("JOBDECK_LICENSE_")
        assert setting.env in readme, f"{setting.env} is not in license/README.md"
    config = load_config({"port": "9000"}, environ={"JOBDECK_LICENSE_TRUST_FORWARDED_FOR": "yes",
                                                     "JOBDECK_LICENSE_PORT": "8000"})
    assert (config.port, config.trust_forwarded_for) == (9000, True)
    with pytest.raises(ValueError):
        load_config(environ={"JOBDECK_LICENSE_PORT": "eighty"})


def test_the_local_app_never_imports_the_service():
    code = ("import sys, server.app, server.cli, license.client\n"
            "loaded = [m for m in sys.modules if m.startswith(('license.service', 'sqlalchemy', "
            "'alembic', 'stripe', 'redis', 'asyncpg'))]\n"
            "assert not loaded, loaded")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=env)
