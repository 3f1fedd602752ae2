"""The hash-chained audit log: intact when untouched, and the first broken link named when an
entry is changed or removed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import MetaData, delete, update

from shared import context
from shared.audit import reads_of_person, record, verify_chain
from shared.db import Database
from shared.plumbing import plumbing_tables

metadata = MetaData()
_audit = plumbing_tables(metadata, audit=True).audit
assert _audit is not None
audit = _audit


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield database
    await database.dispose()


async def write_entries(db: Database, count: int) -> None:
    for n in range(count):
        async with db.transaction() as session:
            await record(
                session, audit, actor=f"officer-{n % 3}", action="arrival.read",
                resource=f"arrival/{n}", person_id=f"p-{n % 2}",
                details={"n": n, "fields": ["surname", "passport_number"]},
            )


async def test_an_untouched_chain_verifies(db: Database) -> None:
    token = context.purpose.set("visa review")
    try:
        await write_entries(db, 6)
    finally:
        context.purpose.reset(token)
    async with db.transaction() as session:
        report = await verify_chain(session, audit)
        reads = await reads_of_person(session, audit, "p-1")
    assert report.intact
    assert report.entries == 6
    assert [r["resource"] for r in reads] == ["arrival/1", "arrival/3", "arrival/5"]
    assert {r["purpose"] for r in reads} == {"visa review"}


async def test_a_changed_entry_is_named(db: Database) -> None:
    await write_entries(db, 5)
    async with db.transaction() as session:
        await session.execute(update(audit).where(audit.c.id == 3).values(actor="someone-else"))
    async with db.transaction() as session:
        report = await verify_chain(session, audit)
    assert (report.first_broken_id, report.reason) == (3, "its content was changed")


async def test_a_removed_entry_breaks_the_chain_at_the_next(db: Database) -> None:
    await write_entries(db, 5)
    async with db.transaction() as session:
        await session.execute(delete(audit).where(audit.c.id == 2))
    async with db.transaction() as session:
        report = await verify_chain(session, audit)
    assert (report.first_broken_id, report.reason) == (3, "does not follow the previous entry")
