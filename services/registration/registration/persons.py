"""The pseudonymous person id: the same on every visit of one person, revealing nothing of them."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import date


def normalize_passport(number: str) -> str:
    return "".join(number.split()).replace("-", "").upper()


def person_id_for(passport_number: str, citizenship: str, birth_date: date, key: bytes) -> str:
    material = f"{normalize_passport(passport_number)}|{citizenship}|{birth_date.isoformat()}"
    digest = hmac.new(key, material.encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))
