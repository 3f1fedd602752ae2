from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.bus import IncomingRecord
from shared.events import DomainEvent, Envelope, MalformedEvent, _read_plain, _read_with_library


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


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    data=st.dictionaries(_text, _json, max_size=5),
    subject=_text,
    at=st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1),
                    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5)),
                                               timezone(timedelta(hours=-3, minutes=-30))])),
    case_id=st.none() | _text,
    correlation_id=st.none() | _text,
)
def test_the_direct_reader_agrees_with_the_cloudevents_library(
    data: dict[str, Any], subject: str, at: datetime, case_id: str | None,
    correlation_id: str | None,
) -> None:
    envelope = Envelope(id=str(uuid.uuid4()), type="kz.koshqon.x.y.v1", source="/koshqon/x",
                        subject=subject, time=at, data=data, caseid=case_id,
                        correlationid=correlation_id)
    record = envelope.to_record("t")
    read = incoming(record.value, record.headers, record.key)

    direct = _read_plain(read)

    assert direct is not None
    assert direct == _read_with_library(read)
    assert direct.time == at


@pytest.mark.parametrize(
    "change",
    [
        {"ce_time": b"2026-01-01"},  # not an RFC 3339 time
        {"ce_specversion": b"0.3"},
        {"content-type": b"application/cloudevents+json"},
        {"ce_dataschema": b"https://example.org/schema"},  # an attribute it does not read
        {"ce_caseid": b""},
    ],
)
def test_records_of_any_other_shape_are_left_to_the_library(change: dict[str, bytes]) -> None:
    record = Envelope.wrap(SomethingHappened(thing_id="T-1", count=3)).to_record("t")
    headers = {**record.headers, **change}

    assert _read_plain(incoming(record.value, headers, record.key)) is None
