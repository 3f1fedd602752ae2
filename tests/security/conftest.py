"""Fixtures of the security tests: every service built in-process (SQLite, in-memory bus), tokens,
and request values generated from an operation's OpenAPI description."""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shared.auth import issue_dev_token
from shared.service import Service
from shared.settings import ServiceSettings

SERVICE_NAMES = ("registration", "permits", "diaspora", "statistics")


def create(name: str, settings: ServiceSettings) -> Service:
    """The service `name` built by its own composition root."""
    if name == "registration":
        from registration.app import create_service
    elif name == "permits":
        from permits.app import create_service
    elif name == "diaspora":
        from diaspora.app import create_service
    else:
        from statistics_service.app import create_service
    return create_service(settings)


@pytest.fixture
def build(tmp_path: Path) -> Callable[..., Service]:
    """Builds a service on its own SQLite file with the in-memory bus; settings overridable."""

    def make(name: str, **overrides: Any) -> Service:
        values: dict[str, Any] = {
            "database_url": f"sqlite+aiosqlite:///{tmp_path / f'{name}-{uuid.uuid4().hex[:6]}.db'}",
            "bus": "memory",
            "run_relay": False,
            "run_consumers": False,
        }
        return create(name, ServiceSettings(**{**values, **overrides}))

    return make


def bearer(
    service: Service, *scopes: str, subject: str = "tester", region: str | None = None
) -> dict[str, str]:
    secret = service.settings.dev_token_secret.get_secret_value()
    token = issue_dev_token(secret, scopes=list(scopes), subject=subject, region=region)
    return {"Authorization": f"Bearer {token}"}


# Values that satisfy the path and query patterns the services use; the first one that fits is
# taken, so a request reaches the handler's checks and not a 422 on its address.
_CANDIDATES = (
    "0d4c8a55-0e8e-4f0c-9a0d-6f9b6a3c1e21",
    "750000000",
    "2026",
    "1234567890",
    "AB1234567",
    "WP20260000000001",
    "arrivals",
    "x",
)


def sample(schema: dict[str, Any], name: str = "") -> Any:
    """A plausible value for a parameter of this JSON schema."""
    if "anyOf" in schema:
        schema = next((s for s in schema["anyOf"] if s.get("type") != "null"), schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return max(int(schema.get("minimum", 2026)), min(2026, int(schema.get("maximum", 2026))))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-01-15"
    pattern = schema.get("pattern")
    if pattern:
        for candidate in _CANDIDATES:
            if re.search(pattern, candidate):
                return candidate
    if name.endswith("_id"):
        return _CANDIDATES[0]
    return "x"


def declared_scopes(service: Service) -> dict[str, set[str]]:
    """The scopes each operation requires ("METHOD /path" → scopes), read from its access
    dependencies (`require_scope`, and permits' `require_any_scope`); empty for public ones."""
    from fastapi.routing import APIRoute

    found: dict[str, set[str]] = {}

    def walk(dependant: Any, into: set[str]) -> None:
        for sub in dependant.dependencies:
            call = sub.call
            closure = inspect.getclosurevars(call).nonlocals if callable(call) else {}
            if isinstance(closure.get("scope"), str):
                into.add(closure["scope"])
            if isinstance(closure.get("scopes"), tuple):
                into.update(closure["scopes"])
            walk(sub, into)

    def visit(routes: list[Any], prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods or ()):
                    scopes: set[str] = set()
                    walk(route.dependant, scopes)
                    found[f"{method} {prefix}{route.path}"] = scopes
            elif hasattr(route, "original_router"):  # FastAPI's included router
                visit(route.original_router.routes, prefix + route.include_context.prefix)

    visit(service.app.routes, "")
    return found
