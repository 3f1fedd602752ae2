"""A rule version added through the API changes the next decision and none made before."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import select

from registration.app import create_service
from registration.arrivals.models import ArrivalNotification
from registration.rulebook import rulebook
from shared import clock
from shared.auth import issue_dev_token
from shared.calendar import default_calendar
from shared.service import Service
from shared.settings import ServiceSettings
from tests.support.data import arrival
from tests.support.platform import running

RULE = "arrival.notification_deadline_working_days"


@pytest.fixture(autouse=True)
def fresh_rulebook() -> Iterator[None]:
    # The rule book is one per process; a version added here must not reach other tests.
    rulebook.cache_clear()
    yield
    rulebook.cache_clear()


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[Service]:
    yield create_service(ServiceSettings(database_url=database_url, bus="memory",
                                         run_relay=False))


async def test_a_new_deadline_version_applies_to_the_next_notification_only(
    service: Service,
) -> None:
    today = clock.today()
    admin = issue_dev_token(service.settings.dev_token_secret.get_secret_value(),
                            scopes=["registration:rules:admin"], subject="ministry-admin")
    async with running(service) as client:
        before = (await client.post("/api/v1/arrivals", json=arrival(entry=today))).json()
        assert f"{RULE}@v1" in before["rules_applied"]
        assert before["deadline"] == default_calendar().add_working_days(today, 3).isoformat()

        added = await client.post(
            f"/api/v1/rules/{RULE}/versions",
            json={"effective_from": today.isoformat(), "value": 5,
                  "source": {"document": "Government Decree (test) of 2026", "article": "1"}},
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert added.status_code == 201, added.text

        after = (await client.post("/api/v1/arrivals", json=arrival(entry=today))).json()
        assert f"{RULE}@v2" in after["rules_applied"]
        assert after["deadline"] == default_calendar().add_working_days(today, 5).isoformat()

        listed = (await client.get(f"/api/v1/rules/{RULE}")).json()
        assert [v["version"] for v in listed["versions"]] == [1, 2]

    async with service.db.transaction() as session:
        first = await session.scalar(select(ArrivalNotification).where(
            ArrivalNotification.id == before["notification_id"]))
    assert first is not None
    assert first.deadline.isoformat() == before["deadline"]
    assert f"{RULE}@v1" in first.rules_applied
