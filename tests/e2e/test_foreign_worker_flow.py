"""The one-window foreign-worker flow end to end, driven only over HTTP as the portal, the
employer, the officers and the payment gateway would: invitation → e-Visa → arrival notification →
work permit (quota, akimat decision, fee) → TRP. All four services run, each on its own database,
on the real Kafka and PostgreSQL and on the embedded default (SQLite files, one in-process bus).
Registration owns the case and follows permits' events; its timeline is checked at every step."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from conftest import KAFKA_BOOTSTRAP
from shared.auth import issue_dev_token
from shared.bus.memory import InMemoryBus
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.data import bin_number
from tests.support.platform import eventually, running

ALMATY = "750000000"
SECRET = ServiceSettings().dev_token_secret.get_secret_value()


def auth(*scopes: str, region: str | None = None, subject: str = "portal") -> dict[str, str]:
    token = issue_dev_token(SECRET, scopes=list(scopes), region=region, subject=subject)
    return {"Authorization": f"Bearer {token}"}


@dataclass
class FourServices:
    registration: httpx.AsyncClient
    permits: httpx.AsyncClient
    diaspora: httpx.AsyncClient
    statistics: httpx.AsyncClient
    services: dict[str, Service]


@contextlib.asynccontextmanager
async def four_services(urls: dict[str, str], **settings: Any) -> AsyncIterator[FourServices]:
    """Registration, permits, diaspora and statistics, each built by its own composition root."""
    from diaspora.app import create_service as create_diaspora
    from permits.app import create_service as create_permits
    from registration.app import create_service as create_registration
    from statistics_service.app import create_service as create_statistics

    bus = settings.pop("shared_bus", None)
    factories = {"registration": create_registration, "permits": create_permits,
                 "diaspora": create_diaspora, "statistics": create_statistics}
    services = {
        name: factory(ServiceSettings(database_url=urls[name], **settings), bus=bus)
        for name, factory in factories.items()
    }
    async with contextlib.AsyncExitStack() as stack:
        clients = {name: await stack.enter_async_context(running(service))
                   for name, service in services.items()}
        yield FourServices(**clients, services=services)


NAMES = ("registration", "permits", "diaspora", "statistics")


@contextlib.asynccontextmanager
async def embedded(tmp_path: Path) -> AsyncIterator[FourServices]:
    """The embedded default: SQLite files and one in-process bus for the four services."""
    urls = {n: f"sqlite+aiosqlite:///{tmp_path / f'{n}.db'}" for n in NAMES}
    async with four_services(urls, bus="memory", shared_bus=InMemoryBus()) as p:
        yield p


@contextlib.asynccontextmanager
async def full_stack(
    make_database: Callable[[], Awaitable[str]], prefix: str
) -> AsyncIterator[FourServices]:
    """The full stack: a PostgreSQL database of each service's own and the real Kafka."""
    urls = {n: await make_database() for n in NAMES}
    async with four_services(urls, bus="kafka", kafka_bootstrap=KAFKA_BOOTSTRAP,
                             topic_prefix=prefix) as p:
        yield p


def steps_of(case: dict[str, Any]) -> list[str]:
    return [s["step"] for s in case["timeline"]]


def ok(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_the_foreign_worker_flow_on_the_embedded_default(tmp_path: Path) -> None:
    async with embedded(tmp_path) as platform:
        await foreign_worker_flow(platform)


async def test_the_foreign_worker_flow_on_kafka_and_postgresql(
    pg_database_factory: Callable[[], Awaitable[str]], kafka_prefix: str
) -> None:
    async with full_stack(pg_database_factory, kafka_prefix) as platform:
        await foreign_worker_flow(platform)


async def foreign_worker_flow(platform: FourServices) -> None:
    reg, permits, stats = platform.registration, platform.permits, platform.statistics
    today = date.today()
    read_case = auth("registration:cases:read")
    employer_bin = bin_number(424242)
    worker = {"passport_number": "N7654321", "citizenship": "IND", "surname": "SHARMA",
              "given_names": "RAVI", "birth_date": "1988-02-11", "sex": "M"}

    async def case_where(until: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        async def probe() -> dict[str, Any]:
            response = await reg.get(f"/api/v1/cases/{case_id}", headers=read_case)
            assert response.status_code == 200, response.text
            return response.json()  # type: ignore[no-any-return]

        return await eventually(probe, until)

    def pending_is(step: str) -> Callable[[dict[str, Any]], bool]:
        return lambda c: c["pending"] is not None and c["pending"]["step"] == step

    async def arrivals_in_almaty() -> list[dict[str, Any]]:
        response = await stats.get("/api/v1/indicators/arrivals/series",
                                   params={"group_by": "region", "region": ALMATY})
        assert response.status_code == 200, response.text
        return response.json()["points"]  # type: ignore[no-any-return]

    assert await arrivals_in_almaty() == []

    # 1. The employer invites the worker; no case number yet, so registration makes one.
    invited = await reg.post("/api/v1/invitations", headers=auth("registration:invitations:write"),
                             json={"host": {"kind": "company", "bin": employer_bin,
                                            "name": "Kazakh Steel LLP"},
                                   "region": ALMATY, "category": "business",
                                   "planned_entry": today.isoformat(),
                                   "planned_departure": date.fromordinal(
                                       today.toordinal() + 20).isoformat(),
                                   "invitees": [worker]})
    invitation = ok(invited)
    case_id = invitation["case_id"]
    assert re.fullmatch(rf"FW-{today.year}-\d{{6}}", case_id)
    assert invited.headers["X-Case-Id"] == case_id
    case_header = {"X-Case-Id": case_id}
    case = await case_where(pending_is("evisa.submitted"))
    assert steps_of(case) == ["invitation.issued"]
    assert case["pending"]["actor"]["role"] == "foreigner"
    assert case["timeline"][0]["service"] == "registration"
    assert case["timeline"][0]["event_type"] == "kz.koshqon.registration.invitation.issued.v1"

    # 2. The foreigner applies for the e-Visa under the case.
    evisa = ok(await reg.post(
        "/api/v1/evisa/applications", headers={**case_header, **auth("registration:evisa:apply")},
        json={"invitation_number": invitation["invitation_number"], "applicant": worker,
              "category": "business", "purpose": "Work at the inviting company",
              "planned_entry": today.isoformat()}))
    case = await case_where(pending_is("evisa.decided"))
    assert case["pending"]["due"] == evisa["decision_due"]
    assert case["pending"]["due_kind"] == "evisa_decision_due"
    assert case["pending"]["actor"]["role"] == "officer"

    # 3. The officer issues the visa.
    visa = ok(await reg.post(
        f"/api/v1/evisa/applications/{evisa['application_id']}/decision",
        headers={**case_header, **auth("registration:evisa:decide", subject="mfa-officer")},
        json={"decision": "approve"}))
    case = await case_where(pending_is("arrival.notified"))
    assert case["pending"]["actor"]["role"] == "host"
    assert case["pending"]["due"] == visa["visa"]["valid_until"]

    # 4. The worker enters; the employer notifies the arrival, which gives the person_id.
    arrival = ok(await reg.post(
        "/api/v1/arrivals", headers={**case_header, **auth("registration:arrivals:write")},
        json={"host": {"kind": "company", "bin": employer_bin, "name": "Kazakh Steel LLP"},
              "foreigner": worker, "entry_date": today.isoformat(),
              "address": {"region": ALMATY, "locality": "Almaty", "line": "Abai ave 1"},
              "purpose": "work",
              "expected_departure": date.fromordinal(today.toordinal() + 20).isoformat()}))
    person_id = arrival["person_id"]
    assert person_id == invitation["person_ids"][0]
    case = await case_where(pending_is("work-permit.applied"))
    assert {"evisa.issued", "evisa.used", "arrival.notified"} <= set(steps_of(case))
    assert case["pending"]["actor"] == {"role": "employer", "service": "permits", "region": None}
    assert case["pending"]["due"] == arrival["allowed_stay_until"]
    # Statistics counted the arrival (a count below 5 is published suppressed).
    [point] = await eventually(arrivals_in_almaty, lambda points: len(points) == 1)
    assert point["region"] == ALMATY
    assert point["suppressed"] is True or point["value"] >= 1

    # 5. The ministry sets the region's quota (not part of the case).
    ok(await permits.put(f"/api/v1/quotas/{today.year}/{ALMATY}/3",
                         headers=auth("permits:quotas:write"),
                         json={"limit": 10, "source": "Order of the Minister No 1"}), 200)

    # Permits learns of the arrival from registration's event, through its presence consumer.
    async def presence_applied() -> float:
        metrics = (await permits.get("/metrics")).text
        match = re.search(r'consumer_events_applied_total\{consumer="permits-presence"\} (\S+)',
                          metrics)
        return float(match.group(1)) if match else 0.0

    await eventually(presence_applied, lambda n: n >= 1)

    # 6. The employer applies for the work permit for that person.
    application = ok(await permits.post(
        "/api/v1/work-permits/applications",
        headers={**case_header, **auth("permits:work-permits:apply", subject="employer")},
        json={"employer_bin": employer_bin, "region": ALMATY, "category": "3",
              "occupation": "2142", "sector": "F",
              "worker": {"person_id": person_id, "citizenship": "IND",
                         "birth_date": worker["birth_date"]},
              "staff": {"citizens": {"3": 120, "4": 180}, "foreigners": {"3": 4}},
              "validity_years": 1}))
    assert application["status"] == "submitted", application
    case = await case_where(pending_is("work-permit.decided"))
    assert case["pending"]["actor"] == {"role": "officer", "service": "permits", "region": ALMATY}
    assert case["pending"]["due"] == application["decision_due"]
    assert [s["service"] for s in case["timeline"] if s["step"] == "work-permit.applied"] == [
        "permits"]

    # 7. The akimat officer of Almaty approves: a quota place is reserved, the fee noticed.
    approved = ok(await permits.post(
        f"/api/v1/work-permits/applications/{application['application_id']}/decision",
        headers={**case_header, **auth("permits:decide", region=ALMATY, subject="akimat")},
        json={"decision": "approve"}), 200)
    case = await case_where(pending_is("work-permit.issued"))
    assert case["pending"]["actor"]["role"] == "payment_gateway"
    assert case["pending"]["due"] == approved["fee"]["payment_deadline"]
    assert case["pending"]["due_kind"] == "fee_payment_due"

    # 8. The payment gateway reports the fee: the permit is issued.
    permit_number = approved["permit_number"]
    issued = ok(await permits.post(
        f"/api/v1/work-permits/{permit_number}/fee-payments",
        headers={**case_header, **auth("permits:fees:write", subject="gateway")},
        json={"amount": approved["fee"]["amount"], "paid_on": today.isoformat(),
              "payment_reference": f"EGOV-{case_id}"}), 200)
    assert issued["status"] == "issued", issued
    case = await case_where(pending_is("residence-permit.submitted"))
    assert case["pending"]["actor"]["role"] == "foreigner"
    quota = ok(await permits.get(f"/api/v1/quotas/{today.year}",
                                 headers=auth("permits:quotas:write")), 200)
    [row] = [q for q in quota["quotas"] if q["region"] == ALMATY and q["category"] == "3"]
    assert (row["used"], row["reserved"]) == (1, 0)

    # 9. The foreigner applies for the TRP on the work permit; 10. the officer issues it.
    trp = ok(await reg.post(
        "/api/v1/residence-permits",
        headers={**case_header, **auth("registration:residence-permits:apply")},
        json={"foreigner": {k: worker[k] for k in ("passport_number", "citizenship", "surname",
                                                    "given_names", "birth_date")},
              "region": ALMATY,
              "basis": {"kind": "work_permit", "work_permit_number": permit_number,
                        "employer_bin": employer_bin, "ends_on": issued["valid_until"]}}))
    case = await case_where(pending_is("residence-permit.decided"))
    assert case["pending"]["actor"] == {"role": "officer", "service": "registration",
                                        "region": ALMATY}
    assert case["pending"]["due"] == trp["decision_due"]
    decided = ok(await reg.post(
        f"/api/v1/residence-permits/{trp['application_id']}/decision",
        headers={**case_header, **auth("registration:residence-permits:decide", region=ALMATY)},
        json={"decision": "approve"}))
    assert decided["status"] == "issued"

    case = await case_where(lambda c: c["status"] == "completed")
    assert case["pending"] is None
    flow = [s for s in steps_of(case) if s != "evisa.used"]
    assert flow == [
        "invitation.issued", "evisa.submitted", "evisa.issued", "arrival.notified",
        "work-permit.applied", "work-permit.approved", "work-permit.issued",
        "residence-permit.submitted", "residence-permit.issued",
    ]
    services = {s["step"]: s["service"] for s in case["timeline"]}
    assert services["work-permit.issued"] == "permits"
    assert services["residence-permit.issued"] == "registration"
    permit_step = next(s for s in case["timeline"] if s["step"] == "work-permit.issued")
    assert permit_step["details"]["permit_number"] == permit_number
    times: Sequence[str] = [s["at"] for s in case["timeline"]]
    assert list(times) == sorted(times)
    # Another case number is unknown.
    missing = await reg.get("/api/v1/cases/FW-1999-999999", headers=read_case)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")

    # Statistics followed every service: each step's indicator has its (small, so suppressed)
    # cell, over the same bus the flow ran on.
    async def cells(indicator: str) -> list[dict[str, Any]]:
        response = await stats.get(f"/api/v1/indicators/{indicator}/series",
                                   params={"period": "year"})
        assert response.status_code == 200, response.text
        return response.json()["points"]  # type: ignore[no-any-return]

    for indicator in ("invitations", "visas-issued", "work-permits-issued", "quota-used",
                      "residence-permits-issued", "decisions"):
        points = await eventually(lambda i=indicator: cells(i), bool)
        assert all(p["value"] is None and p["suppressed"] for p in points), (indicator, points)
