"""Every event statistics projects is one the owning service really publishes (its committed
contract), and each moves its indicators: samples built from the contracts alone go through the
statistics consumer and show up in the public series."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import REPO
from shared.bus import IncomingRecord
from shared.events import Envelope
from shared.settings import ServiceSettings
from statistics_service.app import create_service
from statistics_service.facts.projections import PROJECTIONS, EventProjection
from tests.support.platform import running

SAMPLES = 5


def contract(event_type: str) -> dict[str, Any]:
    service = event_type.split(".")[2]
    path = REPO / "contracts" / service / f"{event_type}.json"
    assert path.exists(), f"statistics projects {event_type}, which no contract defines"
    return dict(json.loads(path.read_text()))


def sample_value(name: str, schema: dict[str, Any]) -> Any:
    if "anyOf" in schema:
        branch = next(s for s in schema["anyOf"] if s.get("type") != "null")
        return sample_value(name, branch)
    kind, fmt = schema.get("type"), schema.get("format")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "boolean":
        return name != "intra_corporate_transfer"
    if kind == "integer":
        return 2020 if name.endswith("year") or name == "year" else 2
    if kind == "number":
        return 1.5
    if kind == "array":
        return []
    if fmt == "date" or name.endswith(("_on", "_date", "_until", "_from", "_due")):
        return "2026-11-02"
    if fmt == "date-time":
        return "2026-11-02T10:00:00Z"
    if name in ("region",):
        return "750000000"
    if name in ("citizenship", "country", "country_of_origin"):
        return "UZB"
    return f"{name}-sample"


def sample(event_type: str) -> dict[str, Any]:
    schema = contract(event_type)
    data = {
        name: sample_value(name, prop) for name, prop in schema.get("properties", {}).items()
    }
    jsonschema.validate(data, schema)
    return data


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.event_type)
async def test_a_projected_event_moves_its_indicators(
    projection: EventProjection, tmp_path: Path
) -> None:
    data = sample(projection.event_type)
    service = create_service(ServiceSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 's.db'}", bus="memory",
        run_consumers=False,
    ))
    async with running(service) as client:
        [consumer] = [c for c in service.consumers if c.spec.name == "statistics-projection"]
        records = []
        for n in range(SAMPLES):
            envelope = Envelope(
                id=str(uuid.uuid4()), type=projection.event_type, source="/koshqon/test",
                subject=f"aggregate-{n}", time=datetime.now(UTC), data=data,
            )
            record = envelope.to_record(projection.topic)
            records.append(IncomingRecord(record.topic, 0, n, record.key, record.value,
                                          record.headers, 0))
        await consumer.apply(records)
        assert consumer.stats.dead_lettered == 0

        for rule in projection.facts:
            applies = rule.when is None or rule.when(data)
            response = await client.get(
                f"/api/v1/indicators/{rule.indicator}/series", params={"period": "year"}
            )
            assert response.status_code == 200, response.text
            total = sum(p["value"] or 0 for p in response.json()["points"])
            if not applies:
                continue
            amount = 1 if rule.amount is None else int(str(
                rule.amount(data) if callable(rule.amount) else data[rule.amount]))
            expected = amount if rule.replace else amount * SAMPLES
            assert total == expected, f"{rule.indicator} did not move for {projection.event_type}"
