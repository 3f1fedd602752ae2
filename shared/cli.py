"""`koshqon`: run the platform and operate its services.

    koshqon run                  all four services in one process (SQLite files, in-process bus)
    koshqon serve <service>      one service, configured by KOSHQON_<SERVICE>_* variables
    koshqon migrate <service>    bring a service's database to the newest schema
    koshqon revision <service> -m "message"   autogenerate a migration (developers)
    koshqon contracts [--check]  write (or check) the event contracts in contracts/
    koshqon audit <service>      verify the service's audit chain; names the first broken link
    koshqon rules load <service> FILE   add the new versions of a reviewed rules file
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from contextlib import nullcontext
from types import ModuleType
from typing import Any

import uvicorn

from shared.bus.memory import InMemoryBus
from shared.logging import configure_logging
from shared.service import Service
from shared.settings import ServiceSettings

SERVICES = {
    "registration": "registration.app",
    "permits": "permits.app",
    "diaspora": "diaspora.app",
    "statistics": "statistics_service.app",
}


def service_module(name: str) -> ModuleType:
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; choose from {', '.join(SERVICES)}")
    return importlib.import_module(SERVICES[name])


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the launcher (several share a process)."""

    def capture_signals(self) -> Any:
        return nullcontext()


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop when it is installed (uvicorn[standard] brings it), else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(coroutine)


def _server(service: Service) -> _Server:
    config = uvicorn.Config(
        service.app,
        host=service.settings.host,
        port=service.settings.port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    return _Server(config)


async def _serve_all(services: Sequence[Service], announce: bool) -> None:
    servers = [_server(s) for s in services]
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    if announce:
        while not all(server.started for server in servers):
            if any(task.done() for task in tasks):
                break
            await asyncio.sleep(0.05)
        if all(server.started for server in servers):
            lines = ["Koshqon is running (embedded default: SQLite files, in-process bus):"]
            for service in services:
                base = f"http://{service.settings.host}:{service.settings.port}"
                lines.append(f"  {service.definition.name:<13} {base}/docs   {base}/health/ready")
            lines.append("Press Ctrl+C to stop.")
            sys.stderr.write("\n".join(lines) + "\n")
    await asyncio.gather(*tasks)
    if any(not server.started for server in servers):
        raise SystemExit("a service failed to start; see the log above")


def run_embedded(host: str) -> None:
    bus = InMemoryBus()
    services = []
    for name in SERVICES:
        module = service_module(name)
        settings = ServiceSettings.for_service(name, bus="memory", host=host)
        services.append(module.create_service(settings, bus=bus))
    _run(_serve_all(services, announce=True))


def serve(name: str) -> None:
    service = service_module(name).create_service()
    _run(_serve_all([service], announce=False))


def migrate(name: str) -> None:
    from shared.migrations import upgrade

    service = service_module(name).create_service()
    upgrade(service.definition.package, service.settings.database_url)


def revision(name: str, message: str) -> None:
    from alembic import command

    from shared.migrations import alembic_config

    service = service_module(name).create_service()
    config = alembic_config(service.definition.package, service.settings.database_url)
    command.upgrade(config, "head")
    command.revision(config, message=message, autogenerate=True)


def contracts(check: bool) -> None:
    from pathlib import Path

    from shared.contracts import CONTRACTS_DIR, contract_files, render, write_contracts

    root = Path.cwd()
    stale = []
    for name, module_name in SERVICES.items():
        package = module_name.split(".")[0]
        if check:
            folder = root / CONTRACTS_DIR / name
            for file_name, document in contract_files(name, package).items():
                path = folder / file_name
                if not path.exists() or path.read_text() != render(document):
                    stale.append(str(path))
        else:
            written = write_contracts(root, name, package)
            sys.stderr.write(f"{name}: {len(written)} files in {CONTRACTS_DIR}/{name}\n")
    if stale:
        listing = "\n  ".join(stale)
        raise SystemExit(f"contracts out of date (run `koshqon contracts`):\n  {listing}")


def audit(name: str) -> None:
    from shared.audit import verify_chain

    service = service_module(name).create_service()
    table = service.definition.plumbing.audit
    if table is None:
        raise SystemExit(f"{name} keeps no audit log")

    async def check() -> None:
        try:
            async with service.db.transaction() as session:
                report = await verify_chain(session, table)
        finally:
            await service.db.dispose()
        if report.intact:
            sys.stdout.write(f"{name}: audit chain intact ({report.entries} entries)\n")
            return
        raise SystemExit(
            f"{name}: audit chain broken at entry {report.first_broken_id}: {report.reason}"
        )

    asyncio.run(check())


def load_rules(name: str, path: str) -> None:
    import getpass

    from shared import clock
    from shared.rules_admin import load_reviewed_file

    service = service_module(name).create_service()
    table = service.definition.plumbing.rules
    if table is None or service.definition.rules is None:
        raise SystemExit(f"{name} has no administrable rules")

    async def load() -> list[str]:
        try:
            async with service.unit_of_work() as uow:
                return await load_reviewed_file(
                    uow.session, table, service.definition.rules(), path,  # type: ignore[misc]
                    added_by=f"cli:{getpass.getuser()}", today=clock.today(),
                )
        finally:
            await service.db.dispose()

    added = asyncio.run(load())
    sys.stdout.write(f"{name}: {len(added)} version(s) added {' '.join(added)}\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="koshqon", description="Koshqon migration platform")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="all services in one process, no servers needed")
    run_parser.add_argument("--host", default="127.0.0.1")
    for command_name in ("serve", "migrate"):
        sub = commands.add_parser(command_name)
        sub.add_argument("service", choices=list(SERVICES))
    rev = commands.add_parser("revision")
    rev.add_argument("service", choices=list(SERVICES))
    rev.add_argument("-m", "--message", required=True)
    audit_parser = commands.add_parser("audit", help="verify a service's audit chain")
    audit_parser.add_argument("service", choices=list(SERVICES))
    rules_parser = commands.add_parser("rules", help="administer rule versions")
    rules_commands = rules_parser.add_subparsers(dest="rules_command", required=True)
    load_parser = rules_commands.add_parser("load", help="add the versions of a reviewed file")
    load_parser.add_argument("service", choices=list(SERVICES))
    load_parser.add_argument("file")
    contracts_parser = commands.add_parser("contracts", help="write the event contracts")
    contracts_parser.add_argument("--check", action="store_true", help="only check them")
    args = parser.parse_args(argv)
    configure_logging()
    if args.command == "run":
        run_embedded(args.host)
    elif args.command == "serve":
        serve(args.service)
    elif args.command == "migrate":
        migrate(args.service)
    elif args.command == "revision":
        revision(args.service, args.message)
    elif args.command == "rules":
        load_rules(args.service, args.file)
    elif args.command == "audit":
        audit(args.service)
    elif args.command == "contracts":
        contracts(args.check)


if __name__ == "__main__":
    main()
