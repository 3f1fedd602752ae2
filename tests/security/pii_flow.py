"""A representative flow with personal data, run in its own process by test_pii.py so that its
logs go to this process's stderr exactly as in production (structlog JSON lines).

`python -m tests.security.pii_flow <folder> <log level>` prints, as the last stdout line, JSON
with the personal values it posted and the /metrics text of each service."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx

from shared.service import Service
from shared.settings import ServiceSettings
from tests.security import bodies
from tests.security.conftest import bearer, create
from tests.support.platform import running


def _build(name: str, folder: Path, level: str) -> Service:
    return create(name, ServiceSettings(
        database_url=f"sqlite+aiosqlite:///{folder / f'{name}.db'}", bus="memory",
        run_relay=True, log_level=level,
    ))


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


async def registration_flow(client: httpx.AsyncClient, service: Service) -> list[str]:
    foreigner = bodies.person()
    arrival = bodies.arrival(foreigner)
    person_id = _ok(await client.post("/api/v1/arrivals", json=arrival))["person_id"]
    officer = bearer(service, "registration:stay:read", "registration:evisa:read")
    _ok(await client.get(f"/api/v1/persons/{person_id}/stay", headers=officer))
    invited = _ok(await client.post("/api/v1/invitations", json=bodies.invitation(foreigner)))
    application = _ok(await client.post("/api/v1/evisa/applications", json=bodies.evisa_application(
        invited["invitation_number"], foreigner)))
    _ok(await client.get(f"/api/v1/evisa/applications/{application['application_id']}",
                         headers=officer))
    _ok(await client.post("/api/v1/residence-permits", json=bodies.residence_permit(foreigner)))
    # Refusals must not echo personal data into the logs either: a 422 and a replayed 409.
    invalid = bodies.arrival(bodies.person(), region="999999999")
    assert (await client.post("/api/v1/arrivals", json=invalid)).status_code == 422
    return [
        foreigner["surname"], foreigner["given_names"], foreigner["passport_number"],
        arrival["host"]["iin"], arrival["address"]["line"],
        invalid["foreigner"]["surname"], invalid["foreigner"]["passport_number"],
        invalid["address"]["line"],
    ]


async def permits_flow(client: httpx.AsyncClient, service: Service) -> list[str]:
    employer = bearer(service, "permits:work-permits:apply")
    body = bodies.work_permit_application("3c2e1f4a-9b8d-4e7f-a6c5-1d2e3f4a5b6c")
    _ok(await client.post("/api/v1/work-permits/applications", json=body, headers=employer))
    return [body["employer_bin"]]


async def diaspora_flow(client: httpx.AsyncClient, service: Service) -> list[str]:
    applicant = bodies.person()
    _ok(await client.post("/api/v1/kandas/applications",
                          json=bodies.kandas_application(applicant)))
    name = f"Saule {applicant['surname'].title()}"
    compatriot = bodies.compatriot(name)
    _ok(await client.post("/api/v1/compatriots", json=compatriot))
    bad = {**bodies.compatriot(name + "x"), "email": "not an email"}
    assert (await client.post("/api/v1/compatriots", json=bad)).status_code == 422
    return [
        applicant["surname"], applicant["given_names"], applicant["passport_number"],
        name, compatriot["email"], name + "x",
    ]


async def main(folder: Path, level: str) -> dict[str, Any]:
    posted: list[str] = []
    metrics: dict[str, str] = {}
    flows = {"registration": registration_flow, "permits": permits_flow,
             "diaspora": diaspora_flow}
    for name, flow in flows.items():
        service = _build(name, folder, level)
        async with running(service) as client:
            posted += await flow(client, service)
            await asyncio.sleep(0.3)  # the relay publishes, and logs, what the flow wrote
            metrics[name] = (await client.get("/metrics")).text
    return {"posted": posted, "metrics": metrics}


if __name__ == "__main__":
    result = asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
