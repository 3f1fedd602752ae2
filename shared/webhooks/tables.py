"""Subscriptions and their deliveries, in the database of the service that owns the topics."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.plumbing import BigId


@dataclass(frozen=True)
class WebhookTables:
    subscriptions: Table
    deliveries: Table


def webhook_tables(metadata: MetaData) -> WebhookTables:
    subscriptions = Table(
        "webhook_subscriptions",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("owner", String(200), nullable=False),
        Column("event_types", JSON, nullable=False),
        Column("url", String(2000), nullable=False),
        Column("secret", String(200), nullable=False),
        Column("active", Boolean, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    deliveries = Table(
        "webhook_deliveries",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("subscription_id", String(36), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("event_time", DateTime(timezone=True), nullable=False),
        Column("headers", JSON, nullable=False),
        Column("body", LargeBinary, nullable=False),
        Column("status", String(20), nullable=False),  # pending | delivered | dead
        Column("attempts", Integer, nullable=False),
        Column("next_attempt_at", DateTime(timezone=True), nullable=False),
        Column("lease_until", DateTime(timezone=True), nullable=True),
        Column("last_error", Text, nullable=True),
        Column("delivered_at", DateTime(timezone=True), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("subscription_id", "event_id", "created_at",
                         name="uq_webhook_deliveries_once"),
    )
    Index("ix_webhook_deliveries_due", deliveries.c.status, deliveries.c.next_attempt_at)
    return WebhookTables(subscriptions=subscriptions, deliveries=deliveries)
