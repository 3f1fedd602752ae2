"""What the benchmarks share: the results folder, the machine's description, databases on the
local PostgreSQL, a service started as its own process, and its resident memory."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_ADMIN = os.environ.get("KOSHQON_PG_ADMIN_URL",
                          "postgresql://koshqon:koshqon@127.0.0.1:55432/postgres")
KAFKA = os.environ.get("KOSHQON_KAFKA_BOOTSTRAP", "127.0.0.1:9092")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and of its children (statistics' publication worker)."""
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += rss_mb(int(child))
    except OSError:  # it ended meanwhile
        pass
    return round(total, 1)


def machine() -> dict[str, Any]:
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write(name: str, data: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"machine": machine(), **data}, indent=2))


async def create_database(name: str) -> str:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


async def drop_database(name: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def start_service(
    name: str, database: str, prefix: str, log_level: str, port: int,
    extra_env: dict[str, str] | None = None, log_name: str | None = None,
) -> subprocess.Popen[bytes]:
    """`koshqon serve <name>` on `database` and the local Kafka; its log in bench/results
    (`<log_name or name>.log`)."""
    upper = name.upper()
    env = {
        **os.environ,
        f"KOSHQON_{upper}_DATABASE_URL": database.replace("postgresql://",
                                                          "postgresql+asyncpg://", 1),
        f"KOSHQON_{upper}_BUS": "kafka",
        f"KOSHQON_{upper}_KAFKA_BOOTSTRAP": KAFKA,
        f"KOSHQON_{upper}_TOPIC_PREFIX": prefix,
        f"KOSHQON_{upper}_PORT": str(port),
        f"KOSHQON_{upper}_LOG_LEVEL": log_level,
        **(extra_env or {}),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = open(RESULTS / f"{log_name or name}.log", "w")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen([str(ROOT / ".venv/bin/koshqon"), "serve", name], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"service on {port} exited; see bench/results/*.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"service on {port} not ready in {timeout}s")
