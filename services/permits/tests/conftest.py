"""Fixtures of the permits tests: the service on SQLite and PostgreSQL, an HTTP client, request
bodies, tokens, the outbox, and the presence read model seeded through its event consumer."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

import httpx
import pytest
from sqlalchemy import select

from permits.app import create_service
from permits.base import plumbing
from permits.presence.handlers import ARRIVAL_NOTIFIED
from shared import clock
from shared.auth import issue_dev_token
from shared.bus import IncomingRecord
from shared.events import DomainEvent, Envelope
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.data import bin_number
from tests.support.platform import running

ALMATY = "750000000"
ALMATY_REGION = "190000000"
_numbers = itertools.count(1)


class ArrivalNotified(DomainEvent):
    """registration's `arrival.notified` as the contract has it (the fields permits reads)."""

    service: ClassVar[str] = "registration"
    name: ClassVar[str] = "arrival.notified"
    topic: ClassVar[str] = "koshqon.registration.arrivals"

    notification_id: str
    person_id: str
    citizenship: str
    region: str
    host_kind: str
    purpose: str
    entry_date: date
    notified_on: date
    deadline: date
    late: bool
    registration_required: bool
    allowed_stay_until: date

    def aggregate_id(self) -> str:
        return self.notification_id


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[Service]:
    # No relay: the outbox keeps every event for the assertions.
    settings = ServiceSettings(database_url=database_url, bus="memory", run_relay=False)
    yield create_service(settings)


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with running(service) as c:
        yield c


@pytest.fixture
def today() -> date:
    return clock.today()


@pytest.fixture
def set_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """Moves the service's calendar day (Kazakhstan's date) to a given day."""

    def move(day: date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    return move


@dataclass
class Outbox:
    service: Service

    async def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """The events written to the outbox, oldest first: type, topic, subject and data."""
        table = plumbing.outbox
        async with self.service.db.transaction() as session:
            rows = (await session.execute(select(table).order_by(table.c.id))).all()
        events = [
            {
                "type": r.headers["ce_type"].split(".", 3)[3].rsplit(".", 1)[0],
                "topic": r.topic,
                "subject": r.headers.get("ce_subject"),
                "data": json.loads(r.value),
                "raw": r.value.decode(),
            }
            for r in rows
        ]
        if event_type is not None:
            events = [e for e in events if e["type"] == event_type]
        return events


@pytest.fixture
def outbox(service: Service) -> Outbox:
    return Outbox(service)


@dataclass
class Presence:
    """Seeds permits' read model of present persons the way registration's events do."""

    service: Service

    async def arrive(
        self,
        *,
        citizenship: str = "UZB",
        region: str = ALMATY,
        entry: date | None = None,
        stay_days: int = 90,
        person_id: str | None = None,
    ) -> str:
        entry = entry or clock.today() - timedelta(days=2)
        person_id = person_id or str(uuid.uuid4())
        event = ArrivalNotified(
            notification_id=str(uuid.uuid4()),
            person_id=person_id,
            citizenship=citizenship,
            region=region,
            host_kind="person",
            purpose="work",
            entry_date=entry,
            notified_on=entry,
            deadline=entry + timedelta(days=5),
            late=False,
            registration_required=stay_days > 30,
            allowed_stay_until=entry + timedelta(days=stay_days - 1),
        )
        envelope = Envelope.wrap(event)
        assert envelope.type == ARRIVAL_NOTIFIED
        record = envelope.to_record(self.service.topic(event.topic))
        [consumer] = [c for c in self.service.consumers if c.spec.name == "permits-presence"]
        await consumer.apply(
            [
                IncomingRecord(
                    topic=record.topic, partition=0, offset=next(_numbers), key=record.key,
                    value=record.value, headers=record.headers,
                    timestamp_ms=int(time.time() * 1000),
                )
            ]
        )
        return person_id


@pytest.fixture
def presence(service: Service) -> Presence:
    return Presence(service)


@dataclass
class Tokens:
    service: Service

    def bearer(self, *scopes: str, region: str | None = None, subject: str = "tester") -> dict[
        str, str
    ]:
        secret = self.service.settings.dev_token_secret.get_secret_value()
        token = issue_dev_token(secret, scopes=list(scopes), region=region, subject=subject)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(service: Service) -> Tokens:
    return Tokens(service)


def work_permit_application(
    *,
    region: str = ALMATY,
    category: str = "3",
    occupation: str = "2142",
    sector: str = "F",
    citizenship: str = "TUR",
    birth_date: str = "1988-03-14",
    citizens: dict[str, int] | None = None,
    foreigners: dict[str, int] | None = None,
    validity_years: int = 1,
    intra_corporate_transfer: bool = False,
    person_id: str | None = None,
) -> dict[str, Any]:
    citizens = citizens if citizens is not None else {"1": 5, "2": 15, "3": 150, "4": 250}
    foreigners = foreigners if foreigners is not None else {"1": 1, "2": 1, "3": 5, "4": 5}
    return {
        "employer_bin": bin_number(next(_numbers) + 7000),
        "region": region,
        "category": category,
        "occupation": occupation,
        "sector": sector,
        "worker": {
            "person_id": person_id or str(uuid.uuid4()),
            "citizenship": citizenship,
            "birth_date": birth_date,
        },
        "staff": {"citizens": citizens, "foreigners": foreigners},
        "validity_years": validity_years,
        "intra_corporate_transfer": intra_corporate_transfer,
    }


def employer_iin() -> str:
    return bin_number(next(_numbers) + 90000)


@pytest.fixture
def application() -> Callable[..., dict[str, Any]]:
    return work_permit_application


@pytest.fixture
def new_iin() -> Callable[[], str]:
    return employer_iin


def reference() -> str:
    return f"PAY-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def payment_reference() -> Callable[[], str]:
    return reference
