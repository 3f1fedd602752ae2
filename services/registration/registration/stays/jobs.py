"""The daily overstay job."""

from datetime import date

from registration.stays.service import detect_overstays
from shared import clock
from shared.jobs import periodic
from shared.service import Service

DAY_SECONDS = 24 * 3600


async def run_overstay_detection(service: Service, today: date | None = None) -> int:
    """Publishes each overstay once; rerunning it publishes nothing new."""
    async with service.unit_of_work() as uow:
        return await detect_overstays(uow, today=today or clock.today())


overstay_job = periodic("overstay-detection", DAY_SECONDS, run_overstay_detection)
