"""Identifiers: time-ordered record ids (so keyset pagination follows creation order) and the
applicant's pseudonym (the same person gets the same id, and it reveals nothing of them)."""

from __future__ import annotations

import hashlib
import hmac
import os
import time
import uuid
from datetime import date


def new_id() -> str:
    """A UUID in the version 7 layout: 48 bits of Unix milliseconds, then random bits."""
    millis = time.time_ns() // 1_000_000
    raw = bytearray(millis.to_bytes(6, "big") + os.urandom(10))
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(raw)))


def normalize_document(number: str) -> str:
    return "".join(number.split()).replace("-", "").upper()


def applicant_id_for(document_number: str, citizenship: str, birth_date: date, key: bytes) -> str:
    """A keyed pseudonym of the applicant: stable across applications, not reversible."""
    material = f"{normalize_document(document_number)}|{citizenship}|{birth_date.isoformat()}"
    digest = hmac.new(key, b"kandas|" + material.encode(), hashlib.sha256).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))
