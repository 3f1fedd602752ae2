"""Permit numbers: a kind prefix, the year, the region and random digits (not guessable in
sequence; verification needs a second factor anyway)."""

from __future__ import annotations

import secrets

WORK_PERMIT_PREFIX = "WP"
LABOUR_IMMIGRANT_PREFIX = "LI"
PATTERN = r"^(WP|LI)\d{14}$"


def new_number(prefix: str, year: int, region: str) -> str:
    return f"{prefix}{year:04d}{region[:2]}{secrets.randbelow(10**8):08d}"
