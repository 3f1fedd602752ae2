"""Domain events and their CloudEvents 1.0 envelope on the Kafka protocol binding (binary mode).

`type` is `kz.koshqon.<service>.<event>.v<N>`, `source` is `/koshqon/<service>`, `subject` is the
aggregate id (also the Kafka key, so one aggregate's events stay in order), and the extensions
`caseid`, `correlationid` and `traceparent` carry the one-window case and the request's trace.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from cloudevents.core.bindings.kafka import KafkaMessage, from_binary, to_binary
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from pydantic import BaseModel, ConfigDict

from shared.bus.base import IncomingRecord, OutgoingRecord

_FORMAT = JSONFormat()
EXTENSIONS = ("caseid", "correlationid", "traceparent")


class DomainEvent(BaseModel):
    """A fact that happened, published to other services. Subclasses set the class variables."""

    # Consumers ignore fields they do not know: within a version, changes are additive only.
    model_config = ConfigDict(frozen=True, extra="ignore")

    service: ClassVar[str]
    name: ClassVar[str]  # past tense, e.g. "arrival.notified"
    version: ClassVar[int] = 1
    topic: ClassVar[str]  # e.g. "koshqon.registration.arrivals"

    @classmethod
    def event_type(cls) -> str:
        return f"kz.koshqon.{cls.service}.{cls.name}.v{cls.version}"

    def aggregate_id(self) -> str:
        raise NotImplementedError

    @classmethod
    def from_envelope(cls, envelope: Envelope) -> Self:
        return cls.model_validate(envelope.data)


class MalformedEvent(ValueError):
    """A record that is not a readable CloudEvent; it goes to the dead-letter topic."""


@dataclass(frozen=True, slots=True)
class Envelope:
    id: str
    type: str
    source: str
    subject: str
    time: datetime
    data: dict[str, Any]
    caseid: str | None = None
    correlationid: str | None = None
    traceparent: str | None = None

    @classmethod
    def wrap(
        cls,
        event: DomainEvent,
        *,
        case_id: str | None = None,
        correlation_id: str | None = None,
        traceparent: str | None = None,
        at: datetime | None = None,
    ) -> Envelope:
        return cls(
            id=str(uuid.uuid4()),
            type=event.event_type(),
            source=f"/koshqon/{event.service}",
            subject=event.aggregate_id(),
            time=at or datetime.now(UTC),
            data=event.model_dump(mode="json"),
            caseid=case_id,
            correlationid=correlation_id,
            traceparent=traceparent,
        )

    def to_record(self, topic: str) -> OutgoingRecord:
        attributes: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "subject": self.subject,
            "time": self.time,
            "datacontenttype": "application/json",
            "partitionkey": self.subject,
        }
        for name in EXTENSIONS:
            value = getattr(self, name)
            if value:
                attributes[name] = value
        message = to_binary(CloudEvent(attributes, self.data), _FORMAT)
        key = message.key.decode() if isinstance(message.key, bytes) else message.key
        headers = {k: v for k, v in message.headers.items() if k != "ce_partitionkey"}
        return OutgoingRecord(topic=topic, key=key, value=message.value, headers=headers)

    @classmethod
    def from_record(cls, record: IncomingRecord) -> Envelope:
        try:
            event = from_binary(
                KafkaMessage(headers=record.headers, key=record.key, value=record.value), _FORMAT
            )
            attributes = event.get_attributes()
            data = event.get_data()
            if isinstance(data, bytes | str):
                data = json.loads(data)
            if not isinstance(data, dict):
                raise MalformedEvent("event data is not a JSON object")
            time = attributes.get("time")
            if not isinstance(time, datetime):
                raise MalformedEvent("event has no time")
            return cls(
                id=str(attributes["id"]),
                type=str(attributes["type"]),
                source=str(attributes["source"]),
                subject=str(attributes.get("subject") or record.key or ""),
                time=time,
                data=data,
                caseid=attributes.get("caseid"),
                correlationid=attributes.get("correlationid"),
                traceparent=attributes.get("traceparent"),
            )
        except MalformedEvent:
            raise
        except (BaseCloudEventException, KeyError, ValueError, UnicodeDecodeError) as exc:
            raise MalformedEvent(f"not a readable CloudEvent: {exc}") from exc
