"""The database: one async engine per service (PostgreSQL on asyncpg, or SQLite on aiosqlite)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, event, exc, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# A pooled connection that sat idle this long is pinged before it is handed out (the database
# may have restarted, or a network device dropped the connection, meanwhile). One in steady use
# is not: were the database to go away under load, the first statement that fails invalidates
# every connection of the pool, and the next checkouts open new ones.
PING_AFTER_IDLE_SECONDS = 1.0


class Database:
    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        options: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            options["connect_args"] = {"timeout": 30}
        else:
            options.update(pool_size=pool_size, max_overflow=pool_size)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.sync_engine, "checkin", _idle_since)
            event.listen(self.engine.sync_engine, "checkout", self._ping_if_idle)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session, one transaction: committed on success, rolled back on error."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()

    def _ping_if_idle(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return  # just opened, or in steady use
        dialect = self.engine.dialect
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error  # the pool opens a new one
            raise


def _idle_since(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def dialect_insert(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with ON CONFLICT support for the session's dialect."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for dialect {name}")



Finish = Callable[[Any], Any]


async def insert_rows(
    session: AsyncSession, table: Any, rows: Sequence[Mapping[str, Any]], finish: Finish
) -> CursorResult[Any] | None:
    """Inserts many rows at once (None when there are none); `finish` completes the dialect's
    INSERT (ON CONFLICT, RETURNING). On PostgreSQL this is one
    `INSERT ... SELECT` over `unnest`, one array parameter per column whatever the number of
    rows (a column with one value for every row is bound once); elsewhere an executemany."""
    if not rows:
        return None
    if session.get_bind().dialect.name == "postgresql":
        values = {name: [row[name] for row in rows] for name in rows[0]}
        same = {name for name, column in values.items() if all(v == column[0] for v in column)}
        if len(same) == len(values):  # at least one array, or the SELECT gives a single row
            same = set()
        columns = list(values)
        arrays = select(*(
            bindparam(f"{name}_value", values[name][0], type_=table.c[name].type).label(name)
            if name in same else
            func.unnest(bindparam(f"{name}_values", values[name],
                                  type_=postgresql.ARRAY(table.c[name].type))).label(name)
            for name in columns
        ))
        statement = finish(postgresql.insert(table).from_select(columns, arrays))
        result = await session.execute(statement)
    else:
        result = await session.execute(finish(dialect_insert(session, table)), list(rows))
    return cast(CursorResult[Any], result)

