from __future__ import annotations

from typing import ClassVar

import pytest

from shared.bus import IncomingRecord
from shared.events import DomainEvent, Envelope, MalformedEvent


class SomethingHappened(DomainEvent):
    service: ClassVar[str] = "registration"
    name: ClassVar[str] = "something.happened"
    topic: ClassVar[str] = "koshqon.registration.things"

    thing_id: str
    count: int

    def aggregate_id(self) -> str:
        return self.thing_id


def incoming(record_value: bytes, headers: dict[str, bytes], key: str | None) -> IncomingRecord:
    return IncomingRecord("t", 0, 0, key, record_value, headers, 0)


def test_envelope_round_trips_through_the_kafka_binding() -> None:
    envelope = Envelope.wrap(
        SomethingHappened(thing_id="T-1", count=3), case_id="CASE-9", correlation_id="corr-1"
    )
    record = envelope.to_record("koshqon.registration.things")

    assert record.key == "T-1"
    assert record.headers["ce_type"] == b"kz.koshqon.registration.something.happened.v1"
    assert record.headers["ce_source"] == b"/koshqon/registration"
    assert record.headers["ce_caseid"] == b"CASE-9"
    assert record.headers["content-type"] == b"application/json"

    back = Envelope.from_record(incoming(record.value, record.headers, record.key))
    assert back.id == envelope.id
    assert back.subject == "T-1"
    assert back.caseid == "CASE-9"
    assert back.correlationid == "corr-1"
    assert SomethingHappened.from_envelope(back) == SomethingHappened(thing_id="T-1", count=3)


@pytest.mark.parametrize(
    ("value", "headers"),
    [
        (b"not json at all", {}),
        (b'{"a": 1}', {"ce_specversion": b"1.0", "ce_id": b"x"}),
        (b"[1, 2]", {"ce_specversion": b"1.0", "ce_id": b"x", "ce_type": b"t",
                     "ce_source": b"/s", "ce_time": b"2026-01-01T00:00:00Z",
                     "content-type": b"application/json"}),
        (b"{", {"ce_specversion": b"1.0", "ce_id": b"x", "ce_type": b"t",
                "ce_source": b"/s", "ce_time": b"2026-01-01T00:00:00Z",
                "content-type": b"application/json"}),
    ],
)
def test_unreadable_records_are_malformed(value: bytes, headers: dict[str, bytes]) -> None:
    with pytest.raises(MalformedEvent):
        Envelope.from_record(incoming(value, headers, None))


def test_event_type_names_service_event_and_version() -> None:
    assert SomethingHappened.event_type() == "kz.koshqon.registration.something.happened.v1"
