"""The audit log: an append-only, hash-chained record of every decision and every read of
personal data (who, when, what, why). Each entry's hash covers the previous entry's hash, so an
entry changed or removed afterwards breaks the chain at that point; `koshqon audit <service>`
verifies it and names the first broken link."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    desc,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from shared import context
from shared.plumbing import BigId

GENESIS = "0" * 64
AUDIT_LOCK_ID = 4_150_002


def audit_table(metadata: MetaData) -> Table:
    return Table(
        "audit_log",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor", String(200), nullable=False),
        Column("action", String(100), nullable=False),
        Column("resource", String(300), nullable=False),
        Column("person_id", String(36), nullable=True, index=True),
        Column("purpose", String(300), nullable=True),
        Column("correlation_id", String(100), nullable=True),
        Column("details", JSON, nullable=False),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
    )


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    canonical = json.dumps(
        {k: entry[k] for k in sorted(entry) if k not in ("id", "hash", "prev_hash")},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _normal_time(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def actor_of(principal: object | None) -> str:
    """Who acts: the token's subject, or `anonymous` where the endpoint allows that."""
    return str(getattr(principal, "subject", None) or "anonymous")


async def record(
    session: AsyncSession,
    table: Table,
    *,
    actor: str,
    action: str,
    resource: str,
    person_id: str | None = None,
    purpose: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> str:
    """Appends an entry in the caller's transaction; returns its hash. The purpose defaults to
    the request's `X-Purpose` header."""
    if session.get_bind().dialect.name == "postgresql":
        # One writer at a time extends the chain; the lock ends with the transaction.
        await session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK_ID})"))
    last = await session.scalar(select(table.c.hash).order_by(desc(table.c.id)).limit(1))
    prev_hash = last or GENESIS
    now = datetime.now(UTC)
    entry = {
        "at": _normal_time(now),
        "actor": actor,
        "action": action,
        "resource": resource,
        "person_id": person_id,
        "purpose": purpose or context.purpose.get(),
        "correlation_id": context.correlation_id.get(),
        "details": dict(details or {}),
    }
    digest = entry_hash(prev_hash, entry)
    await session.execute(
        insert(table).values(**{**entry, "at": now}, prev_hash=prev_hash, hash=digest)
    )
    return digest


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None
    reason: str | None

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


async def verify_chain(session: AsyncSession, table: Table) -> ChainReport:
    prev_hash = GENESIS
    count = 0
    rows = await session.stream(select(table).order_by(table.c.id))
    async for row in rows:
        count += 1
        entry = dict(row._mapping)
        if entry["prev_hash"] != prev_hash:
            return ChainReport(count, entry["id"], "does not follow the previous entry")
        entry["at"] = _normal_time(entry["at"])
        if entry_hash(prev_hash, entry) != entry["hash"]:
            return ChainReport(count, entry["id"], "its content was changed")
        prev_hash = entry["hash"]
    return ChainReport(count, None, None)


async def reads_of_person(session: AsyncSession, table: Table, person_id: str) -> list[dict]:
    """Who read or decided on a person's data: for the person's own access log."""
    rows = (
        await session.execute(
            select(table.c.at, table.c.actor, table.c.action, table.c.resource, table.c.purpose)
            .where(table.c.person_id == person_id)
            .order_by(table.c.id)
        )
    ).all()
    return [
        {"at": _normal_time(r.at), "actor": r.actor, "action": r.action,
         "resource": r.resource, "purpose": r.purpose}
        for r in rows
    ]
