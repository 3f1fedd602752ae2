"""Development tokens: HS256 JWTs signed with the development secret of the settings.

They exist for the embedded default and the tests. A production deployment verifies tokens of its
configured identity provider only and never accepts these.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

DEV_ISSUER = "koshqon-dev"
DEV_AUDIENCE = "koshqon"
DEV_ALGORITHM = "HS256"


class InvalidToken(Exception):
    """The token is missing, expired, not ours, or malformed."""


@dataclass(frozen=True)
class Principal:
    subject: str
    scopes: frozenset[str]
    region: str | None = None

    def has(self, scope: str) -> bool:
        return scope in self.scopes


def issue_dev_token(
    secret: str,
    *,
    scopes: list[str],
    subject: str = "developer",
    region: str | None = None,
    ttl_seconds: int = 12 * 3600,
) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": subject,
        "scope": " ".join(scopes),
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "jti": str(uuid.uuid4()),
    }
    if region:
        claims["region"] = region
    return jwt.encode(claims, secret, algorithm=DEV_ALGORITHM)


class JwksVerifier:
    """Tokens of the configured identity provider; its keys are cached and refreshed."""

    def __init__(self, jwks_url: str, *, issuer: str, audience: str, algorithms: list[str]):
        self._client = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300)
        self._issuer = issuer
        self._audience = audience
        self._algorithms = algorithms

    def verify(self, token: str) -> Principal:
        try:
            key = self._client.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as exc:
            raise InvalidToken(str(exc)) from exc
        return _principal(claims)


def _principal(claims: dict[str, object]) -> Principal:
    raw = claims.get("scope", claims.get("scp", ""))
    scopes = raw.split() if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    region = claims.get("region")
    return Principal(
        subject=str(claims["sub"]),
        scopes=frozenset(str(s) for s in scopes),
        region=str(region) if region else None,
    )


def verify_dev_token(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[DEV_ALGORITHM],
            audience=DEV_AUDIENCE,
            issuer=DEV_ISSUER,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    return _principal(claims)
