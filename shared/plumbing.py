"""The tables every service has beside its own: outbox, inbox and idempotency keys.

Each service attaches them to its own metadata, so its Alembic history creates them in its own
database; nothing is shared between services' databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

if TYPE_CHECKING:
    from shared.webhooks.tables import WebhookTables

BigId = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True)
class PlumbingTables:
    outbox: Table
    inbox: Table
    idempotency: Table
    webhooks: WebhookTables | None = None
    audit: Table | None = None
    rules: Table | None = None


def plumbing_tables(
    metadata: MetaData, *, webhooks: bool = False, audit: bool = False, rules: bool = False
) -> PlumbingTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(200), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=True),
        Column("headers", JSON, nullable=False),
        Column("value", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
    )
    Index(
        "ix_outbox_pending",
        outbox.c.id,
        postgresql_where=outbox.c.sent_at.is_(None),
        sqlite_where=outbox.c.sent_at.is_(None),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), nullable=False),
        Column("event_id", String(100), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
    )
    idempotency = Table(
        "idempotency_keys",
        metadata,
        Column("scope", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response_body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("scope", "key", name="pk_idempotency_keys"),
    )
    return PlumbingTables(
        outbox=outbox,
        inbox=inbox,
        idempotency=idempotency,
        webhooks=_webhook_tables(metadata) if webhooks else None,
        audit=_audit_table(metadata) if audit else None,
        rules=_rule_versions_table(metadata) if rules else None,
    )


def _webhook_tables(metadata: MetaData) -> WebhookTables:
    from shared.webhooks.tables import webhook_tables  # the webhook tables build on BigId

    return webhook_tables(metadata)


def _audit_table(metadata: MetaData) -> Table:
    from shared.audit import audit_table

    return audit_table(metadata)


def _rule_versions_table(metadata: MetaData) -> Table:
    from shared.rules_admin import rule_versions_table

    return rule_versions_table(metadata)
