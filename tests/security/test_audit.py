"""Decisions and reads of personal data leave an audit entry (who, what, whose, why) in the same
transaction; the person reads their own access log; the chain stays verifiable. On SQLite and
on the real PostgreSQL (where writers take an advisory lock to extend the chain)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select

from shared import audit
from shared.service import Service
from tests.security import bodies
from tests.security.conftest import bearer
from tests.support.platform import running

OFFICER = "officer-almaty-7"


async def audit_entries(service: Service) -> list[dict[str, Any]]:
    table = service.definition.plumbing.audit
    assert table is not None
    async with service.db.transaction() as session:
        rows = (await session.execute(select(table).order_by(table.c.id))).all()
        report = await audit.verify_chain(session, table)
    assert report.intact, report
    return [dict(r._mapping) for r in rows]


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


async def test_registration_records_decisions_and_reads_and_shows_the_person_their_log(
    build: Callable[..., Service], database_url: str,
) -> None:
    service = build("registration", database_url=database_url)
    officer = bearer(
        service, "registration:stay:read", "registration:evisa:decide", "registration:evisa:read",
        "registration:residence-permits:decide", subject=OFFICER, region=bodies.ALMATY,
    )
    why = {"X-Purpose": "overstay check at the border"}
    async with running(service) as client:
        foreigner = bodies.person()
        person_id = created(
            await client.post("/api/v1/arrivals", json=bodies.arrival(foreigner))
        )["person_id"]
        assert (await client.get(f"/api/v1/persons/{person_id}/stay",
                                 headers={**officer, **why})).status_code == 200

        permit = created(
            await client.post("/api/v1/residence-permits", json=bodies.residence_permit(foreigner))
        )
        assert permit["person_id"] == person_id
        created(await client.post(f"/api/v1/residence-permits/{permit['application_id']}/decision",
                                  json={"decision": "approve"}, headers=officer))

        invited = created(await client.post("/api/v1/invitations",
                                            json=bodies.invitation(foreigner)))
        application = created(await client.post(
            "/api/v1/evisa/applications",
            json=bodies.evisa_application(invited["invitation_number"], foreigner),
        ))
        evisa = f"/api/v1/evisa/applications/{application['application_id']}"
        created(await client.post(f"{evisa}/decision", json={"decision": "approve"},
                                  headers=officer))
        assert (await client.get(evisa, headers=officer)).status_code == 200
        # A refused request changes nothing and leaves no entry.
        again = await client.post(f"{evisa}/decision", json={"decision": "approve"},
                                  headers=officer)
        assert again.status_code == 409

        entries = await audit_entries(service)
        assert [e["action"] for e in entries] == [
            "stay.read", "residence-permit.decided", "evisa.decided", "evisa.read",
        ]
        assert {e["actor"] for e in entries} == {OFFICER}
        assert {e["person_id"] for e in entries} == {person_id}
        assert entries[0]["purpose"] == why["X-Purpose"]
        assert entries[2]["details"] == {"status": "issued"}
        # The audit log itself holds no name or passport number.
        assert foreigner["surname"] not in str(entries)
        assert foreigner["passport_number"] not in str(entries)

        log_url = f"/api/v1/persons/{person_id}/access-log"
        own = bearer(service, "registration:access-log:read", subject=person_id)
        log = created(await client.get(log_url, headers=own))
        assert log["person_id"] == person_id
        assert [(e["actor"], e["action"], e["purpose"]) for e in log["entries"]] == [
            (OFFICER, "stay.read", why["X-Purpose"]),
            (OFFICER, "residence-permit.decided", None),
            (OFFICER, "evisa.decided", None),
            (OFFICER, "evisa.read", None),
        ]
        assert log["entries"][0]["resource"] == f"person/{person_id}/stay"

        someone_else = bearer(service, "registration:access-log:read",
                              subject="0d4c8a55-0e8e-4f0c-9a0d-6f9b6a3c1e21")
        assert (await client.get(log_url, headers=someone_else)).status_code == 403
        no_scope = bearer(service, "registration:stay:read", subject=person_id)
        assert (await client.get(log_url, headers=no_scope)).status_code == 403
        assert (await client.get(log_url)).status_code == 401

        auditor = bearer(service, "registration:audit:read", subject="dpo-1")
        assert len(created(await client.get(log_url, headers=auditor))["entries"]) == 4
        # The auditor's reading is itself recorded and shown to the person.
        after = created(await client.get(log_url, headers=own))["entries"]
        assert (after[-1]["actor"], after[-1]["action"]) == ("dpo-1", "access-log.read")
        assert len(await audit_entries(service)) == 5


async def test_permits_records_work_permit_decisions_and_reads(
    build: Callable[..., Service], database_url: str,
) -> None:
    service = build("permits", database_url=database_url)
    officer = bearer(service, "permits:decide", subject=OFFICER, region=bodies.ALMATY)
    employer = bearer(service, "permits:work-permits:apply", subject="employer-1")
    person_id = "5b0f3f43-6a43-4c3e-8f55-0f9d3c7e9a11"
    async with running(service) as client:
        await client.put("/api/v1/quotas/2026/750000000/3", json={"places": 10},
                         headers=bearer(service, "permits:quotas:write"))
        application = created(await client.post(
            "/api/v1/work-permits/applications",
            json=bodies.work_permit_application(person_id), headers=employer,
        ))
        url = f"/api/v1/work-permits/applications/{application['application_id']}"
        decided = await client.post(f"{url}/decision", json={"decision": "refuse",
                                                              "grounds": ["other"]},
                                    headers=officer)
        assert decided.status_code == 200, decided.text
        assert (await client.get(url, headers={**employer, "X-Purpose": "portal"})
                ).status_code == 200

    entries = await audit_entries(service)
    assert [(e["actor"], e["action"], e["person_id"]) for e in entries] == [
        (OFFICER, "work-permit.decided", person_id),
        ("employer-1", "work-permit.read", person_id),
    ]
    assert entries[1]["purpose"] == "portal"


async def test_diaspora_records_kandas_decisions_and_compatriot_reads(
    build: Callable[..., Service], database_url: str,
) -> None:
    service = build("diaspora", database_url=database_url)
    officer = bearer(service, "diaspora:kandas:process", "diaspora:kandas:decide",
                     "diaspora:kandas:read", subject=OFFICER)
    registry = bearer(service, "diaspora:registry:read", subject="mfa-analyst")
    person_id = "7e1c7f0a-2b7d-4b8e-9a57-4c1f0d3e2b19"
    async with running(service) as client:
        applicant = bodies.person()
        application = created(await client.post(
            "/api/v1/kandas/applications", json=bodies.kandas_application(applicant, person_id)
        ))
        url = f"/api/v1/kandas/applications/{application['application_id']}"
        created(await client.post(f"{url}/package-complete", json={}, headers=officer))
        created(await client.post(f"{url}/decision", json={"decision": "grant"},
                                  headers=officer))
        created(await client.get(url, headers=officer))

        compatriot = created(await client.post("/api/v1/compatriots",
                                               json=bodies.compatriot("Aigerim Testova")))
        created(await client.get(f"/api/v1/compatriots/{compatriot['compatriot_id']}",
                                 headers=registry))
        found = created(await client.get("/api/v1/compatriots", params={"country": "DEU"},
                                         headers=registry))
        assert found["items"]

    entries = await audit_entries(service)
    assert [(e["actor"], e["action"]) for e in entries] == [
        (OFFICER, "kandas.package-registered"),
        (OFFICER, "kandas.grant"),
        (OFFICER, "kandas.read"),
        ("mfa-analyst", "compatriot.read"),
        ("mfa-analyst", "compatriot.searched"),
    ]
    assert [e["person_id"] for e in entries[:3]] == [person_id] * 3
    assert entries[1]["details"]["status"] == "granted"
    assert compatriot["compatriot_id"] in entries[4]["details"]["compatriot_ids"]
    assert applicant["surname"] not in str(entries)
