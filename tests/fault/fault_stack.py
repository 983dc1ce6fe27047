"""The parts of the fault suite that can be broken: a PostgreSQL cluster of its own and a
platform whose API, relay and consumers are separate processes (see ``fault_run``)."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from sfms_shared.embedded.broker import TansuBroker, free_port
from sfms_shared.embedded.stack import SERVICES, EmbeddedStack, ServiceProcess
from sfms_shared.messaging.kafka import ensure_topics
from sfms_shared.messaging.topics import ALL_TOPICS


class PrivatePostgres:
    """A throw-away cluster: initdb, start, stop, restart; trust auth on 127.0.0.1."""

    def __init__(self, port: int | None = None) -> None:
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not candidates and not shutil.which("initdb"):
            raise RuntimeError("no initdb: install PostgreSQL's server binaries")
        initdb = candidates[-1] if candidates else shutil.which("initdb")
        self.bin = Path(initdb).parent
        self.port = port or free_port()
        self.home = Path(tempfile.mkdtemp(prefix="sfms-fault-pg-"))
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        self.as_postgres = os.geteuid() == 0  # initdb refuses root
        if self.as_postgres:
            shutil.chown(self.home, "postgres", "postgres")
            os.chmod(self.home, 0o700)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, cwd="/")

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        # fsync off: a killed server loses nothing the operating system has (a commit is
        # written before it is acknowledged); only a crash of the machine would. Never
        # synchronous_commit=off: an immediate stop would lose acknowledged commits.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.home} "
            "-c max_connections=500 -c fsync=off -c full_page_writes=off -c shared_buffers=128MB"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, name: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{name}"

    def dsn(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_databases(self, names: list[str]) -> None:
        async def create() -> None:
            connection = await asyncpg.connect(self.admin_dsn)
            try:
                for name in names:
                    await connection.execute(f'CREATE DATABASE "{name}"')
            finally:
                await connection.close()

        asyncio.run(create())

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.home, ignore_errors=True)


# The platform, one process per part that can fail ----------------------------------------


@dataclass
class FaultStack(EmbeddedStack):
    """An ``EmbeddedStack`` whose services run their API, relay and consumers as separate
    processes: ``intake`` (API), ``intake-relay``, ``intake-consumers``; per downstream
    service ``<service>`` (API) and ``<service>-consumers`` (its consumers and its relay)."""

    def start(self) -> None:
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        self.broker = TansuBroker(self.broker_port, self.home / "logs" / "broker.log")
        self.broker.start()
        asyncio.run(ensure_topics(self.broker.bootstrap, ALL_TOPICS))
        for name in SERVICES:
            self.ports.setdefault(name, free_port())
            self.processes[name] = self._process(name, name, ROLES="api")
            self.migrate(name)
        self.processes["intake-relay"] = self._process("intake-relay", "intake", ROLES="relay")
        for name in SERVICES:  # downstream services publish what their consumers record
            key = f"{name}-consumers"
            roles = "consumers" if name == "intake" else "consumers,relay"
            self.processes[key] = self._process(key, name, ROLES=roles)
        self.processes["gateway"] = ServiceProcess(
            "gateway", self.gateway_port, self.gateway_env(), self.home / "logs" / "gateway.log"
        )
        self.migrate("gateway")
        for process in self.processes.values():
            process.start()
        self.wait_ready(timeout=240)

    def _process(self, key: str, name: str, **overrides: str) -> ServiceProcess:
        port = self.ports[name] if key == name else free_port()
        env = self.service_env(name, HTTP_PORT=str(port), **overrides)
        return ServiceProcess(name, port, env, self.home / "logs" / f"{key}.log")

    def kill(self, key: str) -> None:
        self.processes[key].kill()

    def revive(self, key: str) -> None:
        self.processes[key].start()

    def broker_signal(self, sig: signal.Signals) -> None:
        assert self.broker and self.broker.process
        self.broker.process.send_signal(sig)

    def drop_broker_connections(self) -> int:
        """Destroy every TCP connection to or from the broker's port (``ss -K``)."""
        port = str(self.broker_port)
        dropped = 0
        for side in ("dport", "sport"):
            result = subprocess.run(
                ["ss", "-K", "-t", "-n", side, "=", f":{port}"],
                capture_output=True,
                text=True,
                check=False,
            )
            dropped += sum(1 for line in result.stdout.splitlines() if "ESTAB" in line)
        return dropped
