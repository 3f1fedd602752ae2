"""The daily e-Visa expiry job."""

from datetime import date

from registration.evisa.service import expire_visas
from shared import clock
from shared.jobs import periodic
from shared.service import Service

DAY_SECONDS = 24 * 3600


async def run_visa_expiry(service: Service, today: date | None = None) -> int:
    """Expires issued visas past their end; rerunning it publishes nothing new."""
    async with service.unit_of_work() as uow:
        return await expire_visas(uow, today=today or clock.today(), now=clock.now())


visa_expiry_job = periodic("evisa-expiry", DAY_SECONDS, run_visa_expiry)
