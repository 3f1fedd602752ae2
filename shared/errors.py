"""RFC 9457 problem details, localized by `Accept-Language` (kk, ru, en)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.i18n import has_message, negotiate_language, translate

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class Problem(Exception):
    """A failure the caller can understand: a status, a message code and its parameters.

    The title is message `<code>.title` and the detail `<code>.detail`, in the caller's language.
    """

    def __init__(
        self,
        status: int,
        code: str,
        *,
        params: Mapping[str, Any] | None = None,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = dict(params or {})
        self.errors = list(errors)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def invalid(field_name: str, code: str, **params: Any) -> Problem:
    """A 422 for one field that breaks a rule (the message code is `validation.<code>`)."""
    return Problem(
        422, "validation", params={"count": 1}, errors=[FieldError(field_name, code, params)]
    )


def not_found(code: str = "not_found", **params: Any) -> Problem:
    return Problem(404, code, params=params)


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    language = negotiate_language(request.headers.get("accept-language"))
    body: dict[str, Any] = {
        "type": f"urn:koshqon:problem:{problem.code}",
        "title": translate(f"{problem.code}.title", language, **problem.params),
        "status": problem.status,
        "detail": translate(f"{problem.code}.detail", language, **problem.params),
        "instance": request.url.path,
    }
    if problem.errors:
        body["errors"] = [
            {
                "field": e.field,
                "code": e.code,
                "message": translate(
                    f"validation.{e.code}" if has_message(f"validation.{e.code}")
                    else "validation.invalid",
                    language,
                    **e.params,
                ),
            }
            for e in problem.errors
        ]
    body.update(problem.extra)
    headers = {"Content-Language": language, **problem.headers}
    return JSONResponse(body, status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)


_PYDANTIC_CODES = {
    "missing": "missing",
    "literal_error": "choice",
    "enum": "choice",
    "string_type": "text",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "string_pattern_mismatch": "pattern",
    "extra_forbidden": "extra",
    "json_invalid": "json",
    "model_attributes_type": "invalid",
    "dict_type": "invalid",
}


def _field_error(error: Mapping[str, Any]) -> FieldError:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    kind = str(error.get("type", "value_error"))
    ctx = dict(error.get("ctx") or {})
    if kind in _PYDANTIC_CODES:
        code = _PYDANTIC_CODES[kind]
    elif kind.startswith(("date", "datetime")):
        code = "date"
    elif kind.startswith(("int", "float", "decimal", "greater", "less", "multiple")):
        code = "number" if "parsing" in kind or "type" in kind else "invalid"
    elif has_message(f"validation.{kind}"):
        code = kind  # a custom error type raised by a validator (PydanticCustomError)
    else:
        code = "invalid"
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"])
    return FieldError(".".join(loc) or "body", code, ctx)


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [_field_error(e) for e in exc.errors()]
        return problem_response(
            request, Problem(422, "validation", params={"count": len(errors)}, errors=errors)
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "internal")
        problem = Problem(exc.status_code, code, headers=dict(exc.headers or {}))
        return problem_response(request, problem)

    async def on_database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database.unavailable", error=f"{type(exc).__name__}: {exc}")
        problem = Problem(503, "unavailable", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        return problem_response(request, problem)

    async def on_conflict(request: Request, exc: Exception) -> JSONResponse:
        # Two requests raced for one record (a unique key): the loser changed nothing.
        log.info("request.conflict", error=f"{type(exc).__name__}")
        problem = Problem(409, "conflict", headers={"Retry-After": "1"})
        return problem_response(request, problem)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request.failed", error=f"{type(exc).__name__}: {exc}")
        return problem_response(request, Problem(500, "internal"))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(IntegrityError, on_conflict)
    for exc_type in (OperationalError, InterfaceError, ConnectionError, OSError):
        app.add_exception_handler(exc_type, on_database_unavailable)
    app.add_exception_handler(Exception, on_unexpected)
