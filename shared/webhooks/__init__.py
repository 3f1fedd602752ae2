"""Webhook subscriptions: the same events pushed over HTTPS to subscribers without Kafka."""
