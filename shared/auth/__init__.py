"""Bearer tokens: development tokens for the embedded default and tests, and their verification."""

from shared.auth.tokens import (
    DEV_AUDIENCE,
    DEV_ISSUER,
    InvalidToken,
    Principal,
    issue_dev_token,
    verify_dev_token,
)

__all__ = [
    "DEV_AUDIENCE",
    "DEV_ISSUER",
    "InvalidToken",
    "Principal",
    "issue_dev_token",
    "verify_dev_token",
]
