"""Bad input never breaks a service: schemathesis generates requests (valid and invalid) from
every service's OpenAPI and sends them in-process (ASGI; SQLite and the in-memory bus), with a
token carrying every scope so the operations are exercised past the access check.

Checks: no 5xx (`not_a_server_error`); a 2xx body valid against its documented schema
(`response_schema_conformance`); every 4xx an RFC 9457 problem (`application/problem+json` with
`type`, `title` and the same `status`). Documenting every possible 4xx per operation
(`status_code_conformance`) is not required: 401/403/404/409/413/422/429 are uniform across the
services and documented once, in docs/security.md.

Bounded and repeatable: 15 examples per operation, derandomized, no example database."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shared.auth import issue_dev_token
from shared.service import Service
from shared.settings import ServiceSettings
from tests.security.conftest import create, declared_scopes

_FOLDER = Path(tempfile.mkdtemp(prefix="koshqon-schemathesis-"))
atexit.register(shutil.rmtree, _FOLDER, True)
# Scopes checked inside the access-log endpoint rather than by require_scope.
_EXTRA_SCOPES = {"registration:access-log:read", "registration:audit:read"}


def _service(name: str) -> Service:
    service = create(name, ServiceSettings(
        database_url=f"sqlite+aiosqlite:///{_FOLDER / f'{name}.db'}", bus="memory",
        run_relay=False, run_consumers=False,
        # Generated traffic is abuse by design; the limits have their own tests.
        rate_limit_verify_per_minute=1_000_000, rate_limit_public_per_minute=1_000_000,
    ))
    service.definition.jobs = ()
    return service


def _headers(service: Service) -> dict[str, str]:
    scopes = set().union(*declared_scopes(service).values()) | _EXTRA_SCOPES
    token = issue_dev_token(
        service.settings.dev_token_secret.get_secret_value(), scopes=sorted(scopes),
        subject="schemathesis",
    )
    return {"Authorization": f"Bearer {token}", "X-Purpose": "schemathesis"}


def problem_json_for_client_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx is `application/problem+json` with type, title and the response's status."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/problem+json"), (
        f"{response.status_code} answered as {content_type!r}"
    )
    problem = response.json()
    assert problem.get("status") == response.status_code, problem
    assert problem.get("type") and problem.get("title"), problem
    return True


CHECKS = [not_a_server_error, response_schema_conformance, problem_json_for_client_errors]
SETTINGS = settings(
    max_examples=15, derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=list(HealthCheck),
)


def _fuzz(name: str) -> Any:
    service = _service(name)
    headers = _headers(service)
    schema = schemathesis.openapi.from_asgi("/openapi.json", service.app)

    @schema.parametrize()
    @SETTINGS
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    return fuzz


test_registration = _fuzz("registration")
test_permits = _fuzz("permits")
test_diaspora = _fuzz("diaspora")
test_statistics = _fuzz("statistics")
