"""One-window cases of the foreign-worker flow: the invitation opens a case with a readable
number, the events carry it, and the timeline follows them (through the service's own consumer)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from registration.app import create_service
from registration.cases.flow import Step, progress
from registration.cases.handlers import CASE_TIMELINE, joins_a_case
from services.registration.tests.builders import evisa_application, foreigner, invitation
from shared.auth import issue_dev_token
from shared.events import Envelope
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.platform import eventually, running

READ = "registration:cases:read"


@pytest.fixture
async def live(database_url: str) -> AsyncIterator[tuple[Service, httpx.AsyncClient]]:
    # The relay runs here: the timeline is built from the events on the (in-memory) bus.
    built = create_service(ServiceSettings(database_url=database_url, bus="memory"))
    built.definition.jobs = ()
    async with running(built) as client:
        yield built, client


def token(service: Service, *scopes: str, region: str | None = None) -> dict[str, str]:
    secret = service.settings.dev_token_secret.get_secret_value()
    issued = issue_dev_token(secret, scopes=list(scopes), region=region)
    return {"Authorization": f"Bearer {issued}"}


async def test_an_invitation_opens_a_numbered_case_that_follows_the_evisa(
    live: tuple[Service, httpx.AsyncClient],
) -> None:
    service, client = live
    person = foreigner()
    first = await client.post("/api/v1/invitations", json=invitation(invitees=[person]))
    second = await client.post("/api/v1/invitations", json=invitation())
    assert first.status_code == second.status_code == 201
    case_id = first.json()["case_id"]
    year = date.today().year
    assert re.fullmatch(rf"FW-{year}-\d{{6}}", case_id)
    assert first.headers["X-Case-Id"] == case_id
    assert second.json()["case_id"] != case_id
    assert int(second.json()["case_id"][-6:]) == int(case_id[-6:]) + 1

    headers = {"X-Case-Id": case_id}
    applied = await client.post(
        "/api/v1/evisa/applications",
        json=evisa_application(first.json()["invitation_number"], person), headers=headers,
    )
    assert applied.status_code == 201, applied.text
    read = token(service, READ)

    async def case() -> dict[str, Any]:
        return (await client.get(f"/api/v1/cases/{case_id}", headers=read)).json()

    body = await eventually(case, lambda b: len(b.get("timeline", [])) == 2)
    assert [s["step"] for s in body["timeline"]] == ["invitation.issued", "evisa.submitted"]
    assert body["timeline"][0]["service"] == "registration"
    assert body["timeline"][0]["event_type"] == "kz.koshqon.registration.invitation.issued.v1"
    assert body["status"] == "open"
    assert body["pending"]["step"] == "evisa.decided"
    assert body["pending"]["due"] == applied.json()["decision_due"]
    assert body["pending"]["due_kind"] == "evisa_decision_due"
    assert body["pending"]["actor"]["role"] == "officer"

    refused = await client.post(
        f"/api/v1/evisa/applications/{applied.json()['application_id']}/decision",
        json={"decision": "refuse", "reason": "security"}, headers=headers,
    )
    assert refused.status_code == 201, refused.text
    body = await eventually(case, lambda b: b["status"] == "closed")
    assert body["pending"] is None
    assert body["outcome"] == "evisa_refused"


async def test_the_portals_case_number_is_kept_and_a_retry_gives_the_same_case(
    live: tuple[Service, httpx.AsyncClient],
) -> None:
    _service, client = live
    body = invitation()
    headers = {"X-Case-Id": "PORTAL-CASE-1", "Idempotency-Key": "inv-1"}
    first = await client.post("/api/v1/invitations", json=body, headers=headers)
    again = await client.post("/api/v1/invitations", json=body, headers=headers)
    assert first.json()["case_id"] == again.json()["case_id"] == "PORTAL-CASE-1"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["X-Case-Id"] == "PORTAL-CASE-1"
    replay_of_generated = await client.post(
        "/api/v1/invitations", json=invitation(), headers={"Idempotency-Key": "inv-2"}
    )
    retried = await client.post(
        "/api/v1/invitations", content=replay_of_generated.request.content,
        headers={"Idempotency-Key": "inv-2", "Content-Type": "application/json"},
    )
    assert retried.json()["case_id"] == replay_of_generated.json()["case_id"]


async def test_an_unknown_case_is_404_problem_and_the_scope_is_required(
    live: tuple[Service, httpx.AsyncClient],
) -> None:
    service, client = live
    missing = await client.get("/api/v1/cases/FW-1999-000001", headers=token(service, READ))
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["type"].endswith("case.not_found")
    wrong = await client.get(
        "/api/v1/cases/FW-1999-000001", headers=token(service, "registration:evisa:read")
    )
    assert wrong.status_code == 403


async def test_events_of_other_cases_or_none_are_passed_over_and_redelivery_is_a_no_op(
    live: tuple[Service, httpx.AsyncClient],
) -> None:
    service, client = live
    opened = (await client.post("/api/v1/invitations", json=invitation())).json()
    case_id = opened["case_id"]
    [consumer] = [c for c in service.consumers if c.spec.name == CASE_TIMELINE.name]
    applied = {
        "application_id": "a1", "permit_number": None, "person_id": "p1", "citizenship": "IND",
        "region": "750000000", "category": "3", "employer_bin": "123456789025",
        "intra_corporate_transfer": False, "occupation": "2142", "sector": "F",
        "submitted_on": date.today().isoformat(),
        "decision_due": (date.today() + timedelta(days=9)).isoformat(),
    }

    def envelope(case: str | None, subject: str, name: str, data: dict[str, Any]) -> Envelope:
        return Envelope(id=f"{subject}-{name}", type=f"kz.koshqon.permits.{name}.v1",
                        source="/koshqon/permits", subject=subject, time=datetime.now(UTC),
                        data=data, caseid=case)

    from shared.bus import IncomingRecord

    def record(e: Envelope) -> IncomingRecord:
        out = e.to_record("koshqon.permits.work-permits")
        return IncomingRecord(topic=out.topic, partition=0, offset=0, timestamp_ms=0, key=out.key,
                              value=out.value, headers=out.headers)

    ours = envelope(case_id, "a1", "work-permit.applied", applied)
    await consumer.apply([
        record(ours), record(ours),
        record(envelope(None, "zz", "work-permit.applied", applied)),
        record(envelope("NOT-OURS", "zz", "work-permit.applied", applied)),
        # A job's event carries no case: it joins the case of its aggregate.
        record(envelope(None, "a1", "work-permit.lapsed", {**applied, "lapsed_on": "2026-01-01"})),
    ])
    read = token(service, READ)

    async def steps() -> list[str]:
        body = (await client.get(f"/api/v1/cases/{case_id}", headers=read)).json()
        return [s["step"] for s in body["timeline"]]

    found = await eventually(steps, lambda s: "invitation.issued" in s)
    assert sorted(found) == ["invitation.issued", "work-permit.applied", "work-permit.lapsed"]


def test_the_fold_names_the_pending_step_its_deadline_and_actor() -> None:
    due = "2026-12-01"
    R, P = "registration", "permits"
    cases: list[tuple[list[Step], str | None, str | None, str | None]] = [
        ([], "invitation.issued", "host", None),
        ([Step(R, "invitation.issued")], "evisa.submitted", "foreigner", None),
        ([Step(R, "evisa.submitted", {"decision_due": due})], "evisa.decided", "officer", due),
        ([Step(R, "evisa.issued", {"valid_until": due})], "arrival.notified", "host", due),
        ([Step(R, "arrival.notified", {"allowed_stay_until": due})], "work-permit.applied",
         "employer", due),
        ([Step(P, "work-permit.applied", {"decision_due": due, "region": "750000000"})],
         "work-permit.decided", "officer", due),
        ([Step(P, "work-permit.approved", {"payment_deadline": due})], "work-permit.issued",
         "payment_gateway", due),
        ([Step(P, "work-permit.issued")], "residence-permit.submitted", "foreigner", None),
        ([Step(R, "residence-permit.submitted", {"decision_due": due, "region": "7"})],
         "residence-permit.decided", "officer", due),
        ([Step(R, "residence-permit.issued")], None, None, None),
        # Steps that do not move the flow leave it where it was.
        ([Step(P, "work-permit.issued"), Step(R, "evisa.used"), Step(R, "departure.recorded")],
         "residence-permit.submitted", "foreigner", None),
    ]
    for steps, step, role, expected_due in cases:
        state = progress(steps)
        if step is None:
            assert state.pending is None and state.status == "completed"
            continue
        assert state.pending is not None
        assert (state.pending.step, state.pending.actor.role) == (step, role), steps
        assert (state.pending.due.isoformat() if state.pending.due else None) == expected_due
    officer = progress([Step(P, "work-permit.applied", {"decision_due": due,
                                                         "region": "750000000"})])
    assert officer.pending is not None and officer.pending.actor.region == "750000000"
    closed = progress([Step(R, "invitation.issued"), Step(P, "work-permit.lapsed")])
    assert (closed.status, closed.outcome) == ("closed", "work_permit_fee_unpaid")




def test_only_events_that_can_belong_to_a_case_reach_the_case_timeline() -> None:
    def envelope(name: str, case: str | None, service: str = "registration") -> Envelope:
        return Envelope(id="e1", type=f"kz.koshqon.{service}.{name}.v1",
                        source=f"/koshqon/{service}", subject="s1", time=datetime.now(UTC),
                        data={}, caseid=case)

    # A new notification or departure without a case: no earlier step can share its subject.
    assert not joins_a_case(envelope("arrival.notified", None))
    assert not joins_a_case(envelope("departure.recorded", None))
    assert joins_a_case(envelope("arrival.notified", "FW-2026-000001"))
    # A job's event of an aggregate that may already be in a case.
    assert joins_a_case(envelope("evisa.expired", None))
    assert joins_a_case(envelope("stay.overstay-detected", None))
    assert joins_a_case(envelope("work-permit.issued", None, service="permits"))
