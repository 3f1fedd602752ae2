"""Structured JSON logs, one line per event, with the correlation id and case id of the request."""

from __future__ import annotations

import logging
import sys

import structlog

from shared import context

_configured = False


def _add_context(
    _logger: object, _method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    if (value := context.correlation_id.get()) is not None:
        event_dict.setdefault("correlation_id", value)
    if (value := context.case_id.get()) is not None:
        event_dict.setdefault("case_id", value)
    if (value := context.traceparent.get()) is not None:
        event_dict.setdefault("trace_id", value.split("-")[1] if value.count("-") >= 2 else value)
    return event_dict


def configure_logging(level: str = "INFO") -> None:
    """Configures structlog (and the standard library's logging) once per process."""
    global _configured
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    if _configured:
        logging.getLogger().setLevel(numeric)
        return
    _configured = True
    shared_processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        _add_context,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            *shared_processors,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    # Libraries log through the standard library (uvicorn, alembic): the same JSON lines.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared_processors, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    # aiokafka reports every failed connection attempt at ERROR while the broker is away; the
    # relay and consumers log their own retries once per attempt.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    # At DEBUG the SQLite driver logs every statement with its parameters: personal data.
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
