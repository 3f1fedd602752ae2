"""Rule administration through HTTP: a version added by an administrator changes the next
decision and none made before; it survives a restart and reaches other replicas."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from sqlalchemy import JSON, Column, MetaData, String, Table, insert, select

from shared import clock
from shared.audit import verify_chain
from shared.auth import issue_dev_token
from shared.http import ServiceDep
from shared.plumbing import plumbing_tables
from shared.rules import RuleBook
from shared.service import Service, ServiceDefinition
from shared.settings import ServiceSettings
from tests.support.platform import running

RULES = """
rules:
  - id: decision.deadline_working_days
    title: Decision deadline
    unit: working_days
    description: Days an officer has to decide.
    versions:
      - version: 1
        effective_from: 2020-01-01
        value: 5
        source: {document: "Order No 1 of 2020"}
"""

metadata = MetaData()
plumbing = plumbing_tables(metadata, audit=True, rules=True)
decisions = Table("decisions", metadata, Column("id", String(36), primary_key=True),
                  Column("deadline_days", JSON), Column("rules_applied", JSON))


def make_definition(book: RuleBook) -> ServiceDefinition:
    router = APIRouter()

    @router.post("/decisions")
    async def decide(service: ServiceDep) -> dict[str, Any]:
        version = book.at("decision.deadline_working_days", clock.today())
        decision = {"id": str(uuid.uuid4()), "deadline_days": version.value,
                    "rules_applied": [version.ref]}
        async with service.unit_of_work() as uow:
            await uow.session.execute(insert(decisions).values(**decision))
        return decision

    return ServiceDefinition(
        name="things", title="things", description="test", port=0, package="shared",
        metadata=metadata, plumbing=plumbing, routers=[router], topics=[],
        rules=lambda: book,
    )


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    return path


@pytest.fixture
async def service(database_url: str, rules_file: Path) -> AsyncIterator[Service]:
    settings = ServiceSettings(database_url=database_url, bus="memory", run_migrations=False)
    service = Service(make_definition(RuleBook.from_yaml(rules_file)), settings)
    async with service.db.engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
        await connection.run_sync(metadata.create_all)
    yield service


def admin(service: Service, scope: str = "things:rules:admin") -> dict[str, str]:
    secret = service.settings.dev_token_secret.get_secret_value()
    return {"Authorization": f"Bearer {issue_dev_token(secret, scopes=[scope], subject='adm')}"}


async def test_a_new_version_changes_the_next_decision_only(
    service: Service, rules_file: Path, database_url: str
) -> None:
    async with running(service) as client:
        first = (await client.post("/api/v1/decisions")).json()
        assert first["rules_applied"] == ["decision.deadline_working_days@v1"]

        body = {"effective_from": clock.today().isoformat(), "value": 3,
                "source": {"document": "Order No 7 of 2026", "article": "2"}}
        added = await client.post("/api/v1/rules/decision.deadline_working_days/versions",
                                  json=body, headers=admin(service))
        assert added.status_code == 201, added.text
        assert added.json()["version"] == 2

        second = (await client.post("/api/v1/decisions")).json()
        assert second["deadline_days"] == 3
        assert second["rules_applied"] == ["decision.deadline_working_days@v2"]
        async with service.db.transaction() as session:
            stored = (await session.execute(
                select(decisions).where(decisions.c.id == first["id"]))).one()
            assert plumbing.audit is not None
            assert (await verify_chain(session, plumbing.audit)).entries == 1
        assert (stored.deadline_days, stored.rules_applied) == (
            5, ["decision.deadline_working_days@v1"])

        listed = (await client.get("/api/v1/rules")).json()
        [rule] = [r for r in listed if r["rule_id"] == "decision.deadline_working_days"]
        assert [v["version"] for v in rule["versions"]] == [1, 2]

    # A replica (or a restart) built from the file alone learns the version from the database.
    replica = Service(make_definition(RuleBook.from_yaml(rules_file)),
                      ServiceSettings(database_url=database_url, bus="memory",
                                      run_migrations=False))
    async with running(replica) as client:
        assert (await client.post("/api/v1/decisions")).json()["deadline_days"] == 3


async def test_versions_in_the_past_unknown_rules_and_missing_scope_are_refused(
    service: Service,
) -> None:
    async with running(service) as client:
        yesterday = (date.today() - timedelta(days=2)).isoformat()
        body = {"effective_from": yesterday, "value": 1, "source": {"document": "X"}}
        past = await client.post("/api/v1/rules/decision.deadline_working_days/versions",
                                 json=body, headers=admin(service))
        assert past.status_code == 422
        assert past.json()["errors"][0]["code"] == "rule_past"
        body["effective_from"] = clock.today().isoformat()
        unknown = await client.post("/api/v1/rules/no.such.rule/versions", json=body,
                                    headers=admin(service))
        assert unknown.status_code == 404
        reader = await client.post("/api/v1/rules/decision.deadline_working_days/versions",
                                   json=body, headers=admin(service, "things:rules:read"))
        assert reader.status_code == 403
        decision = (await client.post("/api/v1/decisions")).json()
        assert decision["rules_applied"] == ["decision.deadline_working_days@v1"]
