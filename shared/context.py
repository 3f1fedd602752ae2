"""What the current request or event is part of: its correlation id and one-window case."""

from __future__ import annotations

from contextvars import ContextVar

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
case_id: ContextVar[str | None] = ContextVar("case_id", default=None)
traceparent: ContextVar[str | None] = ContextVar("traceparent", default=None)
# Why the caller reads personal data (the `X-Purpose` header), for the audit log.
purpose: ContextVar[str | None] = ContextVar("purpose", default=None)
