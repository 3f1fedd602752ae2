"""Arrival events as registration publishes them, and feeding them to the projection in tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from shared.bus import OutgoingRecord
from shared.events import Envelope
from shared.service import Service
from statistics_service.base import plumbing
from statistics_service.facts.projections import ARRIVAL_NOTIFIED
from tests.support.platform import eventually

ARRIVALS_TOPIC = "koshqon.registration.arrivals"


def arrival_envelope(
    *,
    notified_on: date,
    region: str = "750000000",
    citizenship: str = "UZB",
    purpose: str = "tourism",
    late: bool = False,
    at: datetime | None = None,
) -> Envelope:
    notification = str(uuid.uuid4())
    data: dict[str, Any] = {
        "notification_id": notification,
        "person_id": uuid.uuid4().hex,
        "citizenship": citizenship,
        "region": region,
        "host_kind": "hotel",
        "purpose": purpose,
        "entry_date": (notified_on - timedelta(days=1)).isoformat(),
        "notified_on": notified_on.isoformat(),
        "deadline": (notified_on + timedelta(days=2)).isoformat(),
        "late": late,
        "registration_required": False,
        "allowed_stay_until": (notified_on + timedelta(days=28)).isoformat(),
    }
    return Envelope(
        id=str(uuid.uuid4()), type=ARRIVAL_NOTIFIED, source="/koshqon/registration",
        subject=notification, time=at or datetime.now(UTC), data=data,
    )


def arrival_records(
    count: int, *, prefix: str = "", **fields: Any
) -> list[OutgoingRecord]:
    return [arrival_envelope(**fields).to_record(prefix + ARRIVALS_TOPIC) for _ in range(count)]


async def inbox_count(service: Service) -> int:
    async with service.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(plumbing.inbox)) or 0)


async def feed(service: Service, records: list[OutgoingRecord]) -> None:
    """Publishes the events and waits until the projection has applied all of them."""
    before = await inbox_count(service)
    await service.bus.publish(records)
    await eventually(lambda: inbox_count(service), lambda n: n >= before + len(records),
                     timeout=30)
