"""Endpoint access: `Depends(require_scope("permits:decide"))` on every non-public operation."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from shared.auth.tokens import InvalidToken, JwksVerifier, Principal, verify_dev_token
from shared.errors import Problem
from shared.i18n import register_messages

register_messages(
    {
        "unauthorized.title": {
            "kk": "Аутентификация қажет",
            "ru": "Требуется аутентификация",
            "en": "Authentication required",
        },
        "unauthorized.detail": {
            "kk": "Жарамды Bearer токенін жіберіңіз.",
            "ru": "Передайте действительный Bearer-токен.",
            "en": "Send a valid bearer token.",
        },
        "forbidden.title": {
            "kk": "Рұқсат жоқ",
            "ru": "Доступ запрещён",
            "en": "Forbidden",
        },
        "forbidden.detail": {
            "kk": "Токенде «{scope}» рұқсаты жоқ.",
            "ru": "В токене нет разрешения «{scope}».",
            "en": "The token lacks the scope '{scope}'.",
        },
        "forbidden_region.title": {
            "kk": "Басқа өңірдің ісі",
            "ru": "Дело другого региона",
            "en": "Another region's case",
        },
        "forbidden_region.detail": {
            "kk": "Қызметкер тек өз өңірінің істерін көре және шеше алады.",
            "ru": "Сотрудник видит и решает только дела своего региона.",
            "en": "An officer sees and decides only the cases of their own region.",
        },
    }
)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


def _jwks_verifier(request: Request) -> JwksVerifier:
    service = request.app.state.service
    verifier = service.state.get("jwks_verifier")
    if verifier is None:
        settings = service.settings
        verifier = service.state["jwks_verifier"] = JwksVerifier(
            settings.jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            algorithms=settings.jwt_algorithms,
        )
    return verifier  # type: ignore[no-any-return]


def current_principal(request: Request) -> Principal | None:
    """The caller, when a token came; None for an anonymous call (allowed unless required)."""
    settings = request.app.state.service.settings
    token = _bearer(request)
    if token is None:
        if settings.auth_required:
            raise Problem(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
        return None
    try:
        if settings.jwks_url:
            return _jwks_verifier(request).verify(token)
        return verify_dev_token(token, settings.dev_token_secret.get_secret_value())
    except InvalidToken as exc:
        raise Problem(
            401, "unauthorized", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from exc


async def _current_principal_async(request: Request) -> Principal | None:
    """`current_principal` on the event loop: a development token is checked in microseconds;
    verifying against the identity provider may fetch its keys, so that runs in a thread."""
    if request.app.state.service.settings.jwks_url:
        return await run_in_threadpool(current_principal, request)
    return current_principal(request)


def require_scope(scope: str) -> Any:
    """A dependency that admits callers whose token carries `scope`; yields the principal."""

    async def check(request: Request) -> Principal | None:
        principal = await _current_principal_async(request)
        if principal is not None and not principal.has(scope):
            raise Problem(403, "forbidden", params={"scope": scope})
        return principal

    check.__name__ = f"require_{scope.replace(':', '_').replace('-', '_')}"
    return Depends(check)


def check_region(principal: Principal | None, region: str) -> None:
    """An officer with a region claim acts only on cases of that region (KATO first level)."""
    if principal is None or principal.region is None:
        return
    if principal.region[:2] != region[:2]:
        raise Problem(403, "forbidden_region")


__all__: list[str] = ["check_region", "current_principal", "require_scope"]
