"""The Alembic history builds exactly the schema the ORM models describe (SQLite, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from permits.app import definition
from shared.migrations import upgrade_async


async def test_the_migrations_match_the_models(database_url: str) -> None:
    await upgrade_async("permits", database_url)
    engine = create_async_engine(database_url)

    def differences(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, definition().metadata))

    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
