"""Rule administration: every service lists its rule tables (`GET /api/v1/rules`) and an
administrator adds a version with an effective-from date, a value and a source (`POST
/api/v1/rules/{rule_id}/versions`). Versions added so are kept in the service's database, applied
to its rule book at start and every half minute in every replica, and audited. A version never
takes effect in the past, so no decision already made changes; decisions keep the `ref`s of the
versions they applied."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter
from pydantic import BaseModel, Field, JsonValue
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.audit import actor_of, record
from shared.auth.deps import require_scope
from shared.errors import FieldError, Problem
from shared.http import ServiceDep
from shared.i18n import register_messages
from shared.rules import RuleBook, RuleSource, RuleVersion, UnknownRule

register_messages(
    {
        "rule_not_found.title": {
            "kk": "Ереже табылмады", "ru": "Правило не найдено", "en": "Rule not found",
        },
        "rule_not_found.detail": {
            "kk": "Мұндай ереже жоқ.", "ru": "Такого правила нет.", "en": "There is no such rule.",
        },
        "rule_conflict.title": {
            "kk": "Ереже нұсқасы қосылмады",
            "ru": "Версия правила не добавлена",
            "en": "The rule version was not added",
        },
        "rule_conflict.detail": {
            "kk": "{reason}", "ru": "{reason}", "en": "{reason}",
        },
        "validation.rule_past": {
            "kk": "Жаңа нұсқа бүгіннен ерте күшіне ене алмайды",
            "ru": "Новая версия не может вступить в силу раньше сегодняшнего дня",
            "en": "A new version cannot take effect before today",
        },
    }
)


def rule_versions_table(metadata: MetaData) -> Table:
    return Table(
        "rule_versions",
        metadata,
        Column("rule_id", String(200), nullable=False),
        Column("version", Integer, nullable=False),
        Column("effective_from", Date, nullable=False),
        Column("value", JSON, nullable=False),
        Column("source", JSON, nullable=False),
        Column("marked", Boolean, nullable=False),
        Column("added_by", String(200), nullable=False),
        Column("added_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("rule_id", "version", name="pk_rule_versions"),
    )


async def apply_persisted(session: AsyncSession, table: Table, book: RuleBook) -> int:
    """Adds to the rule book the versions kept in the database that it does not have yet."""
    rows = (
        await session.execute(select(table).order_by(table.c.rule_id, table.c.version))
    ).all()
    added = 0
    for row in rows:
        if row.rule_id not in book:
            continue
        known = book.definition(row.rule_id).versions
        if any(v.version == row.version for v in known):
            continue
        book.add_version(
            row.rule_id, row.effective_from, row.value,
            RuleSource.model_validate(row.source), marked=row.marked,
        )
        added += 1
    return added


async def add_version(
    session: AsyncSession,
    table: Table,
    book: RuleBook,
    rule_id: str,
    *,
    effective_from: dt.date,
    value: JsonValue,
    source: RuleSource,
    marked: bool,
    added_by: str,
    today: dt.date,
) -> RuleVersion:
    if effective_from < today:
        raise Problem(422, "validation", params={"count": 1},
                      errors=[FieldError("effective_from", "rule_past")])
    await apply_persisted(session, table, book)  # another replica may have added one
    try:
        version = book.add_version(rule_id, effective_from, value, source, marked=marked)
    except UnknownRule:
        raise Problem(404, "rule_not_found") from None
    except ValueError as exc:
        raise Problem(409, "rule_conflict", params={"reason": str(exc)}) from exc
    await session.execute(
        insert(table).values(
            rule_id=rule_id, version=version.version, effective_from=effective_from,
            value=value, source=source.model_dump(exclude_none=True), marked=marked,
            added_by=added_by, added_at=clock.now(),
        )
    )
    return version


async def load_reviewed_file(
    session: AsyncSession, table: Table, book: RuleBook, path: str, *, added_by: str,
    today: dt.date,
) -> list[str]:
    """Adds the versions of a reviewed rules file (a service's rules.yaml layout) that come after
    the rule book's latest; returns their refs. Versions the book has are left as they are."""
    text = await asyncio.to_thread(Path(path).read_text, encoding="utf-8")
    data = yaml.safe_load(text) or {}
    await apply_persisted(session, table, book)
    added = []
    for rule in data.get("rules", []):
        latest = book.definition(rule["id"]).versions[-1].version
        for entry in rule.get("versions", []):
            if int(entry["version"]) <= latest:
                continue
            version = await add_version(
                session, table, book, rule["id"],
                effective_from=dt.date.fromisoformat(str(entry["effective_from"])),
                value=entry["value"], source=RuleSource.model_validate(entry["source"]),
                marked=bool(entry.get("marked", False)), added_by=added_by, today=today,
            )
            added.append(version.ref)
    return added


class NewVersion(BaseModel):
    effective_from: dt.date = Field(description="First day the version applies (today or later)")
    value: JsonValue = Field(description="The rule's value, in the shape of its earlier versions")
    source: RuleSource = Field(description="The document (and article) the version comes from")
    marked: bool = Field(default=False,
                         description="Taken from descriptions of current practice, to confirm")


def rules_router(service_name: str) -> APIRouter:
    router = APIRouter(tags=["rules"])
    admin = require_scope(f"{service_name}:rules:admin")

    def book_of(service: Any) -> RuleBook:
        return service.definition.rules()  # type: ignore[no-any-return]

    @router.get("/rules", summary="The rule tables of this service and their versions")
    async def list_rules(service: ServiceDep) -> list[dict[str, Any]]:
        """Every rule with all its versions, effective dates and sources (public law)."""
        return [d.model_dump(mode="json") for d in book_of(service).definitions()]

    @router.get("/rules/{rule_id}", summary="One rule and its versions")
    async def get_rule(rule_id: str, service: ServiceDep) -> dict[str, Any]:
        try:
            return book_of(service).definition(rule_id).model_dump(mode="json")
        except UnknownRule:
            raise Problem(404, "rule_not_found") from None

    @router.post("/rules/{rule_id}/versions", status_code=201,
                 summary="Add a version of a rule (administrators)")
    async def post_version(
        rule_id: str, body: NewVersion, service: ServiceDep, principal: Any = admin
    ) -> dict[str, Any]:
        """The version applies from its date on; decisions already made keep theirs."""
        tables = service.definition.plumbing
        assert tables.rules is not None
        async with service.unit_of_work() as uow:
            version = await add_version(
                uow.session, tables.rules, book_of(service), rule_id,
                effective_from=body.effective_from, value=body.value, source=body.source,
                marked=body.marked, added_by=actor_of(principal), today=clock.today(),
            )
            if tables.audit is not None:
                await record(
                    uow.session, tables.audit, actor=actor_of(principal),
                    action="rule.version-added", resource=f"rule/{version.ref}",
                    details={"effective_from": body.effective_from.isoformat(),
                             "value": body.value},
                )
        return version.model_dump(mode="json")

    return router
