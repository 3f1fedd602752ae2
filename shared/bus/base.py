"""Transport-neutral records and the interface every bus implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

DEAD_LETTER_SUFFIX = ".dlt"


def dead_letter_topic(topic: str) -> str:
    return topic + DEAD_LETTER_SUFFIX


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    topic: str
    key: str | None
    value: bytes
    headers: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IncomingRecord:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: dict[str, bytes]
    timestamp_ms: int


class Subscription(Protocol):
    """A consumer-group member reading some topics, committing offsets by hand."""

    async def start(self) -> None: ...

    async def getmany(self, timeout: float, max_records: int) -> list[IncomingRecord]: ...

    async def commit(self, records: Sequence[IncomingRecord]) -> None:
        """Marks these records (and everything before them in their partitions) as consumed."""

    async def rewind(self) -> None:
        """Goes back to the last committed positions, so uncommitted records come again."""

    async def lag(self) -> int | None:
        """Records not yet consumed across assigned partitions, when the transport knows."""

    async def stop(self) -> None: ...


class Bus(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        """Returns once every record is acknowledged by the transport; raises otherwise."""

    def subscribe(self, group: str, topics: Sequence[str]) -> Subscription: ...

    async def ensure_topics(self, topics: Sequence[str]) -> None: ...

    async def check(self) -> None:
        """Raises when the transport cannot be reached."""

    @property
    def kind(self) -> str: ...
