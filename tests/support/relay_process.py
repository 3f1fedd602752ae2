"""One outbox relay in a process of its own: `python -m tests.support.relay_process DB BOOTSTRAP`.

Publishes until the outbox has stayed empty for a second, then prints how many rows it published.
"""

from __future__ import annotations

import asyncio
import sys

from registration.base import plumbing
from shared.bus.kafka import KafkaBus
from shared.db import Database
from shared.outbox import OutboxRelay


async def main(database_url: str, bootstrap: str) -> None:
    db = Database(database_url)
    bus = KafkaBus(bootstrap, client_id="relay-test")
    relay = OutboxRelay(db, plumbing.outbox, bus, batch_size=7)
    published = 0
    idle_since = asyncio.get_running_loop().time()
    try:
        while asyncio.get_running_loop().time() - idle_since < 1.0:
            count = await relay.publish_batch()
            if count:
                published += count
                idle_since = asyncio.get_running_loop().time()
            else:
                await asyncio.sleep(0.05)
    finally:
        await bus.stop()
        await db.dispose()
    sys.stdout.write(f"{published}\n")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
