"""Production tokens: verified against the identity provider's JWKS; development tokens refused."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from registration.app import create_service
from shared.auth import issue_dev_token
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.platform import eventually, running

ISSUER = "https://idp.egov.example/realms/koshqon"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def token(scopes: str, *, issuer: str = ISSUER, key: rsa.RSAPrivateKey = KEY) -> str:
    now = int(time.time())
    return jwt.encode(
        {"iss": issuer, "aud": "koshqon", "sub": "portal", "scope": scopes, "iat": now,
         "exp": now + 600},
        key, algorithm="RS256", headers={"kid": "k1"},
    )


@pytest.fixture
async def jwks_url() -> AsyncIterator[str]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]})

    async def jwks(_request: object) -> Response:
        return Response(body, media_type="application/json")

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/jwks", jwks)]),
                                           host="127.0.0.1", port=port, log_config=None,
                                           lifespan="off"))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: asyncio.sleep(0, server.started), bool, timeout=10, interval=0.02)
    yield f"http://127.0.0.1:{port}/jwks"
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


async def test_tokens_of_the_identity_provider_are_verified_against_its_keys(
    tmp_path: Path, jwks_url: str
) -> None:
    settings = ServiceSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", bus="memory", run_relay=False,
        auth_required=True, jwks_url=jwks_url, jwt_issuer=ISSUER,
    )
    async with running(create_service(settings)) as client:
        async def post(bearer: str) -> int:
            response = await client.post("/api/v1/arrivals", json=arrival(),
                                         headers={"Authorization": f"Bearer {bearer}"})
            return response.status_code

        assert await post(token("registration:arrivals:write")) == 201
        assert await post(token("permits:decide")) == 403
        assert await post(token("registration:arrivals:write", issuer="https://evil")) == 401
        other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        assert await post(token("registration:arrivals:write", key=other_key)) == 401
        dev = issue_dev_token(settings.dev_token_secret.get_secret_value(),
                              scopes=["registration:arrivals:write"])
        assert await post(dev) == 401
