"""The event bus: one interface, two transports (Kafka and in-process)."""

from shared.bus.base import Bus, IncomingRecord, OutgoingRecord, Subscription, dead_letter_topic

__all__ = ["Bus", "IncomingRecord", "OutgoingRecord", "Subscription", "dead_letter_topic"]
