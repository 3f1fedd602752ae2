"""Request bodies of the security tests with unmistakable personal values, unique per call, so
a test can search logs and audit entries for exactly what it posted."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from typing import Any

from tests.support.data import bin_number

_sequence = itertools.count(1)
ALMATY = "750000000"


def person() -> dict[str, Any]:
    n = next(_sequence)
    tag = uuid.uuid4().hex[:6].upper()
    return {
        "passport_number": f"PQ{n:03d}{tag[:4]}",
        "citizenship": "IND",
        "surname": f"ZORKAMBAYEV{tag}",
        "given_names": f"QUENTIN{tag}",
        "birth_date": "1987-07-19",
        "sex": "M",
    }


def arrival(foreigner: dict[str, Any], *, region: str = ALMATY) -> dict[str, Any]:
    n = next(_sequence)
    entry = date.today() - timedelta(days=1)
    return {
        "host": {"kind": "person", "iin": bin_number(n + 61000), "name": f"Host {n}"},
        "foreigner": foreigner,
        "entry_date": entry.isoformat(),
        "address": {"region": region, "locality": "Almaty",
                    "line": f"Xylophone lane {n}, apt {n + 7}"},
        "purpose": "business",
        "expected_departure": (entry + timedelta(days=20)).isoformat(),
    }


def invitation(foreigner: dict[str, Any]) -> dict[str, Any]:
    n = next(_sequence)
    entry = date.today() + timedelta(days=10)
    return {
        "host": {"kind": "company", "bin": bin_number(n + 71000), "name": f"Host {n}"},
        "region": ALMATY,
        "category": "business",
        "planned_entry": entry.isoformat(),
        "planned_departure": (entry + timedelta(days=14)).isoformat(),
        "invitees": [foreigner],
    }


def evisa_application(invitation_number: str, foreigner: dict[str, Any]) -> dict[str, Any]:
    return {
        "invitation_number": invitation_number,
        "applicant": foreigner,
        "category": "business",
        "purpose": "Negotiations with the inviting company",
        "planned_entry": (date.today() + timedelta(days=10)).isoformat(),
    }


def residence_permit(foreigner: dict[str, Any]) -> dict[str, Any]:
    n = next(_sequence)
    return {
        "foreigner": foreigner,
        "region": ALMATY,
        "basis": {
            "kind": "work_permit",
            "employer_bin": bin_number(n + 81000),
            "ends_on": (date.today() + timedelta(days=200)).isoformat(),
            "work_permit_number": f"WP-{n:06d}",
        },
    }


def work_permit_application(person_id: str) -> dict[str, Any]:
    return {
        "employer_bin": bin_number(next(_sequence) + 91000),
        "region": ALMATY,
        "category": "3",
        "occupation": "2142",
        "sector": "F",
        "worker": {"person_id": person_id, "citizenship": "TUR", "birth_date": "1988-03-14"},
        "staff": {"citizens": {"1": 5, "2": 15, "3": 150, "4": 250},
                  "foreigners": {"1": 1, "2": 1, "3": 5, "4": 5}},
        "validity_years": 1,
        "intra_corporate_transfer": False,
    }


def kandas_application(applicant: dict[str, Any], person_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "applicant": {
            "surname": applicant["surname"],
            "given_names": applicant["given_names"],
            "birth_date": applicant["birth_date"],
            "document_number": applicant["passport_number"],
            "citizenship": "MNG",
        },
        "country_of_origin": "MNG",
        "region": "350000000",
        "family_size": 3,
        "phone": "+976 8811 4455",
    }
    if person_id:
        body["person_id"] = person_id
    return body


def compatriot(full_name: str) -> dict[str, Any]:
    return {
        "full_name": full_name,
        "country": "DEU",
        "city": "Berlin",
        "profession": "civil engineer",
        "skills": ["bridge design"],
        "email": f"{full_name.lower().replace(' ', '.')}@example.de",
        "phone": "+49 30 5550 1234",
        "consent": True,
    }
