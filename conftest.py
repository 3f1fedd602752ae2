"""Fixtures every test folder shares: databases (SQLite, and the real PostgreSQL), Kafka topic
namespaces, and running services.

Tests marked `infra` need the PostgreSQL and Kafka that `deploy/local/up.sh` starts (addresses in
`KOSHQON_PG_ADMIN_URL` and `KOSHQON_KAFKA_BOOTSTRAP`). Without them they are skipped, except with
`CI=true`, where they fail: continuous integration never skips real infrastructure.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

REPO = Path(__file__).resolve().parent
PG_ADMIN_URL = os.environ.get(
    "KOSHQON_PG_ADMIN_URL", "postgresql://koshqon:koshqon@127.0.0.1:55432/postgres"
)
KAFKA_BOOTSTRAP = os.environ.get("KOSHQON_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
IN_CI = os.environ.get("CI") == "true"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@cache
def infra_problem() -> str | None:
    pg = urlsplit(PG_ADMIN_URL)
    if not _reachable(pg.hostname or "127.0.0.1", pg.port or 5432):
        return f"PostgreSQL is not reachable at {pg.hostname}:{pg.port}"
    host, _, port = KAFKA_BOOTSTRAP.split(",")[0].rpartition(":")
    if not _reachable(host, int(port)):
        return f"Kafka is not reachable at {KAFKA_BOOTSTRAP}"
    return None


def require_infra() -> None:
    problem = infra_problem()
    if problem is None:
        return
    message = f"{problem}; start it with deploy/local/up.sh"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "pg_url" in getattr(item, "fixturenames", ()) or "kafka_prefix" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.infra)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def create_pg_database() -> tuple[str, str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = _with_database(PG_ADMIN_URL, name).replace("postgresql://", "postgresql+asyncpg://", 1)
    return name, url


async def drop_pg_database(name: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture
async def pg_database_factory() -> AsyncIterator[Callable[[], asyncio.Future[str]]]:
    """Creates fresh PostgreSQL databases on demand; drops them after the test."""
    require_infra()
    names: list[str] = []

    async def make() -> str:
        name, url = await create_pg_database()
        names.append(name)
        return url

    yield make  # type: ignore[misc]
    for name in names:
        await drop_pg_database(name)


@pytest.fixture
async def pg_url(pg_database_factory: Callable[[], asyncio.Future[str]]) -> str:
    return await pg_database_factory()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def kafka_prefix() -> str:
    """A namespace of topics and consumer groups of this test's own."""
    require_infra()
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """The same test on SQLite (the embedded default) and on the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    require_infra()
    name, url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(name)
