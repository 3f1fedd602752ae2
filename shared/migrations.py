"""Alembic for every service: each service's `migrations/env.py` calls `run_env(metadata)`.

Migrations run at service start (or by `koshqon migrate <service>`). On PostgreSQL an advisory lock
serializes replicas that start together.
"""

from __future__ import annotations

import asyncio
import threading
from importlib import resources
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATION_LOCK_ID = 4_150_001

# Alembic keeps its migration context in module globals: one migration at a time per process
# (the embedded default starts four services in one).
_ONE_AT_A_TIME = threading.Lock()


def alembic_config(package: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files(package) / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def upgrade(package: str, url: str, revision: str = "head") -> None:
    """Brings the database at `url` to `revision` (blocking: async code calls it in a thread)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    with _ONE_AT_A_TIME:
        command.upgrade(alembic_config(package, url), revision)


async def upgrade_async(package: str, url: str) -> None:
    await asyncio.to_thread(upgrade, package, url)


def run_env(metadata: MetaData) -> None:
    """The body of a service's `env.py`."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True,
                          render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(migrate)
        finally:
            await engine.dispose()

    asyncio.run(run())
