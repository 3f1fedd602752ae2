"""Every operation of every service declares its access: without a token it answers 401, with a
valid token lacking its scope 403; only a short, named list of operations is public.

The services run with `auth_required=True`. FastAPI resolves an operation's dependencies (the
scope check among them) before it reports path, query or body validation errors, so a request
with plausible parameters and an empty JSON body reaches the check; the assertions are on the
exact status, so an operation without a scope check fails (it would answer 2xx, 404 or 422)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Depends

from shared.service import Service
from tests.security.conftest import SERVICE_NAMES, bearer, sample
from tests.support.platform import running

# Public by design (API.md): operations, health and metrics, verification (rate limited), open
# statistics, reference series and the dashboard. Matched against "METHOD path template".
PUBLIC = [
    r"GET /health/(live|ready)",
    r"GET /metrics",
    r"GET /asyncapi\.json",
    r"GET /api/v1/verify/.+",
    r"GET /api/v1/reference(/.*)?",  # KATO regions, centres, official series
    r"GET /api/v1/indicators(/.*)?",  # statistics: catalogue, series, CSV, forecasts
    r"GET /",  # the statistics dashboard
    r"GET /api/v1/rules(/\{rule_id\})?",  # the rules in force and their sources: public law
]
# Any valid token suffices (API.md: "anyone authenticated"): 401 without one, never 403.
AUTHENTICATED = [r"GET /api/v1/quotas/\{year\}"]


def _matches(patterns: list[str], operation: str) -> bool:
    return any(re.fullmatch(p, operation) for p in patterns)


def _operations(service: Service) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in service.app.openapi()["paths"].items():
        for method, spec in operations.items():
            yield method.upper(), path, spec


def _request(method: str, path: str, spec: dict[str, Any]) -> dict[str, Any]:
    """URL and body with plausible values, so only the access check can stop the request."""
    url = path
    query: dict[str, Any] = {}
    for parameter in spec.get("parameters", []):
        value = sample(parameter.get("schema", {}), parameter["name"])
        if parameter["in"] == "path":
            url = url.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query" and parameter.get("required"):
            query[parameter["name"]] = value
    request: dict[str, Any] = {"method": method, "url": url, "params": query}
    if "requestBody" in spec:
        request["json"] = {}
    return request


async def _unprotected(service: Service) -> tuple[list[str], int, int]:
    """Operations that do not refuse as they should, and the counts of checked and public ones."""
    no_scope = bearer(service, "nothing:at:all")
    unprotected: list[str] = []
    checked = public = 0
    async with running(service) as client:
        for method, path, spec in _operations(service):
            operation = f"{method} {path}"
            if _matches(PUBLIC, operation):
                public += 1
                continue
            request = _request(method, path, spec)
            anonymous = await client.request(**request)
            if anonymous.status_code != 401:
                unprotected.append(f"{operation}: {anonymous.status_code} without a token")
                continue
            assert anonymous.headers["content-type"].startswith("application/problem+json")
            assert anonymous.headers["www-authenticate"].startswith("Bearer")
            scoped = await client.request(**request, headers=no_scope)
            if _matches(AUTHENTICATED, operation):
                if scoped.status_code in (401, 403) or scoped.status_code >= 500:
                    unprotected.append(f"{operation}: {scoped.status_code} with a valid token")
            elif scoped.status_code != 403:
                unprotected.append(f"{operation}: {scoped.status_code} without the scope")
            else:
                problem = scoped.json()
                assert problem["status"] == 403 and problem["type"].endswith(":forbidden"), problem
            checked += 1
    return unprotected, checked, public


@pytest.mark.parametrize("name", SERVICE_NAMES)
async def test_every_operation_declares_its_access(
    name: str, build: Callable[..., Service]
) -> None:
    unprotected, checked, public = await _unprotected(build(name, auth_required=True))
    assert not unprotected, "operations without a scope check:\n" + "\n".join(unprotected)
    # The walk really covered the service.
    assert public >= 4
    if name != "statistics":
        assert checked >= 10


async def test_the_walk_finds_an_operation_without_a_scope(build: Callable[..., Service]) -> None:
    """The check can fail: an operation that only asks for a token, and one that asks for
    nothing, are both reported."""
    from shared.auth.deps import current_principal

    service = build("registration", auth_required=True)

    async def leak() -> dict[str, str]:
        return {"passport_number": "FA1234567"}

    service.app.add_api_route("/api/v1/leak", leak, methods=["GET"])
    service.app.add_api_route("/api/v1/half-leak", leak, methods=["GET"],
                              dependencies=[Depends(current_principal)])
    service.app.openapi_schema = None
    unprotected, _, _ = await _unprotected(service)
    assert unprotected == [
        "GET /api/v1/leak: 200 without a token",
        "GET /api/v1/half-leak: 200 without the scope",
    ]


async def test_a_forged_or_expired_token_is_refused(build: Callable[..., Service]) -> None:
    service = build("registration", auth_required=True)
    transport = httpx.ASGITransport(app=service.app)
    url = "/api/v1/evisa/applications/0d4c8a55-0e8e-4f0c-9a0d-6f9b6a3c1e21"
    from shared.auth import issue_dev_token

    forged = issue_dev_token(
        "another-secret-that-is-long-enough-for-hs256", scopes=["registration:evisa:read"]
    )
    expired = issue_dev_token(
        service.settings.dev_token_secret.get_secret_value(),
        scopes=["registration:evisa:read"], ttl_seconds=-60,
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for token in (forged, expired, "not-a-jwt"):
            response = await client.get(url, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, response.text
            assert "invalid_token" in response.headers["www-authenticate"]
        basic = await client.get(url, headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert basic.status_code == 401


def test_the_public_list_is_short_and_every_entry_exists(build: Callable[..., Service]) -> None:
    operations = {
        f"{m} {p}" for name in SERVICE_NAMES for m, p, _ in _operations(build(name))
    }
    for pattern in PUBLIC + AUTHENTICATED:
        assert any(re.fullmatch(pattern, op) for op in operations), f"stale entry {pattern}"
    public = sorted(op for op in operations if _matches(PUBLIC, op))
    # Nothing that writes is public.
    assert all(op.startswith("GET ") for op in public), public


def test_docs_list_every_scope_the_code_declares(build: Callable[..., Service]) -> None:
    from tests.security.conftest import declared_scopes

    docs = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    declared = {
        scope for name in SERVICE_NAMES for scopes in declared_scopes(build(name)).values()
        for scope in scopes
    }
    assert len(declared) > 20
    missing = sorted(scope for scope in declared if f"`{scope}`" not in docs)
    assert not missing, f"docs/security.md does not list {missing}"
