"""Start and stop the whole platform as local processes (embedded mode and e2e tests)."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sfms_shared.embedded.broker import TansuBroker, free_port
from sfms_shared.messaging.kafka import ensure_topics
from sfms_shared.messaging.topics import ALL_TOPICS

DOWNSTREAM = ("eligibility", "scoring", "matching", "settlement")
SERVICES = ("intake", *DOWNSTREAM)


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.name, "serve"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what a crash looks like."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class EmbeddedStack:
    """``database_urls`` defaults to one SQLite file per service under ``home``."""

    home: Path
    gateway_port: int = 8000
    broker_port: int = 9092
    clock_at: str | None = None
    database_urls: dict[str, str] = field(default_factory=dict)
    extra_env: dict[str, dict[str, str]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    # Shared by the gateway and the services; a fresh one for every stack.
    internal_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    broker: TansuBroker | None = None

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def start(self) -> None:
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        self.broker = TansuBroker(self.broker_port, self.home / "logs" / "broker.log")
        self.broker.start()
        asyncio.run(ensure_topics(self.broker.bootstrap, ALL_TOPICS))
        for name in SERVICES:
            self.ports.setdefault(name, free_port())
            self.processes[name] = ServiceProcess(
                name, self.ports[name], self.service_env(name), self.home / "logs" / f"{name}.log"
            )
            self.migrate(name)
            self.processes[name].start()
        self.processes["gateway"] = ServiceProcess(
            "gateway", self.gateway_port, self.gateway_env(), self.home / "logs" / "gateway.log"
        )
        self.migrate("gateway")
        self.processes["gateway"].start()
        self.wait_ready()

    @property
    def mailbox(self) -> Path:
        return self.home / "mailbox"

    def service_env(self, name: str, **overrides: str) -> dict[str, str]:
        prefix = name.upper() + "_"
        url = self.database_urls.get(name) or f"sqlite+aiosqlite:///{self.home / f'{name}.db'}"
        env = {
            **os.environ,
            "SFMS_INTERNAL_SECRET": self.internal_secret,
            prefix + "DATABASE_URL": url,
            prefix + "KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap,
            prefix + "KAFKA_IDEMPOTENCE": "false",
            prefix + "HTTP_PORT": str(self.ports[name]),
            prefix + "HTTP_HOST": "127.0.0.1",
            prefix + "CONSUMER_BACKOFF_SECONDS": "0.2",
        }
        if name in ("intake", "scoring"):  # intake writes documents; scoring reads statements
            env[prefix + "DOCUMENT_STORE_PATH"] = str(self.home / "documents")
        if name == "intake":  # notices land here as .eml files, one per notice
            env[prefix + "MAILBOX_PATH"] = str(self.mailbox)
        if self.clock_at:
            env[prefix + "CLOCK_AT"] = self.clock_at
        env.update(self.extra_env.get(name, {}))
        env.update({prefix + k: v for k, v in overrides.items()})
        return env

    def gateway_env(self) -> dict[str, str]:
        url = self.database_urls.get("gateway") or f"sqlite+aiosqlite:///{self.home / 'gateway.db'}"
        env = {
            **os.environ,
            "SFMS_INTERNAL_SECRET": self.internal_secret,
            "GATEWAY_DATABASE_URL": url,
            "GATEWAY_HTTP_PORT": str(self.gateway_port),
            "GATEWAY_HTTP_HOST": "127.0.0.1",
            "GATEWAY_DEV_ISSUER": "true",
            "GATEWAY_DEV_ISSUER_KEY_PATH": str(self.home / "dev-issuer-key.pem"),
        }
        if self.clock_at:
            env["GATEWAY_CLOCK_AT"] = self.clock_at
        env.update(self.extra_env.get("gateway", {}))
        env.update({f"GATEWAY_{name.upper()}_URL": self.processes[name].url for name in SERVICES})
        return env

    def migrate(self, name: str) -> None:
        subprocess.run(
            [sys.executable, "-m", name, "migrate"],
            env=self.processes[name].env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def restart(self, name: str, **overrides: str) -> None:
        process = self.processes[name]
        process.stop()
        process.env = (
            self.service_env(name, **overrides) if name != "gateway" else self.gateway_env()
        )
        process.start()
        wait_ready(process.url, timeout=60)

    def wait_ready(self, timeout: float = 90) -> None:
        for process in self.processes.values():
            wait_ready(process.url, timeout)

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()
        if self.broker:
            self.broker.stop()


def wait_ready(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url + "/readyz", timeout=3)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout}s: {last}")
