from __future__ import annotations

import subprocess
import sys

import jwt
import pytest

from shared.auth import InvalidToken, issue_dev_token, verify_dev_token
from shared.settings import ServiceSettings

SECRET = ServiceSettings().dev_token_secret.get_secret_value()


def test_the_command_prints_a_token_the_services_accept() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "shared.auth.cli", "--scopes", "registration:arrivals:write "
         "permits:decide", "--region", "750000000", "--subject", "officer-7"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    principal = verify_dev_token(printed, SECRET)
    assert principal.subject == "officer-7"
    assert principal.region == "750000000"
    assert principal.scopes == {"registration:arrivals:write", "permits:decide"}


def test_the_command_rejects_an_unknown_region() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shared.auth.cli", "--scopes", "x", "--region", "123"],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "KATO" in result.stderr


@pytest.mark.parametrize(
    "token",
    [
        issue_dev_token("another-secret-of-at-least-32-bytes!!", scopes=["a"]),
        issue_dev_token(SECRET, scopes=["a"], ttl_seconds=-10),
        jwt.encode({"sub": "x", "aud": "koshqon", "iss": "someone-else", "exp": 2**40}, SECRET),
        "not-a-token",
    ],
)
def test_foreign_expired_or_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(InvalidToken):
        verify_dev_token(token, SECRET)
