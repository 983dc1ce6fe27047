"""The machine's side of the burst benchmark (``bench_burst.py``): each process's memory
and CPU from ``/proc``, and the ceilings it measures our figures against (a bare server
for the load generator and FastAPI, raw PostgreSQL transactions, raw produce to Tansu)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import asyncpg

from sfms_shared.embedded.broker import wait_for_port
from sfms_shared.embedded.stack import EmbeddedStack

HERE = Path(__file__).parent
SUBMITTED_TOPIC = "intake.application-submitted.v1"


def dsn(url: str) -> str:
    """An asyncpg DSN from an async SQLAlchemy URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


# --- processes: memory and CPU --------------------------------------------------------------


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM in KiB."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, value = line.split(":", 1)
                values[name] = int(value.split()[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return values


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """Peak RSS of each process, sampled every 100 ms while running."""

    def __init__(self, pids: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = {name: 0 for name in pids}
        self.running = threading.Event()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            if self.running.is_set():
                for name, pid in self.pids.items():
                    self.peak[name] = max(self.peak[name], proc_status(pid).get("VmRSS", 0))
            time.sleep(0.1)


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / ticks, sum(fields[:8]) / ticks


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on the machine (shared with anything else):
    the live ones, and through each postmaster's children's times the backends that exited."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() not in ("postgres", "postmaster"):
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks = int(fields[11]) + int(fields[12])
            parent = Path(f"/proc/{fields[1]}/comm")
            if not parent.exists() or parent.read_text().strip() != "postgres":
                ticks += int(fields[13]) + int(fields[14])  # a postmaster: reaped backends
            total += ticks / os.sysconf("SC_CLK_TCK")
    return total


def stack_pids(stack: EmbeddedStack) -> dict[str, int]:
    pids = {name: process.process.pid for name, process in stack.processes.items()}
    pids["broker (tansu)"] = stack.broker.process.pid
    return pids


def idle_figures(pids: dict[str, int], seconds: float = 5) -> dict[str, tuple[int, float]]:
    """RSS (KiB) and CPU share of a core over ``seconds`` of quiet."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(seconds)
    return {
        name: (proc_status(pid).get("VmRSS", 0), (cpu_seconds(pid) - before[name]) / seconds)
        for name, pid in pids.items()
    }


def wait_quiet(pids: dict[str, int], timeout: float = 90, threshold: float = 0.15) -> None:
    """Until the platform's processes together use under ``threshold`` of a core."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(pid) for pid in pids.values())
        time.sleep(1)
        if sum(cpu_seconds(pid) for pid in pids.values()) - before < threshold:
            return


# --- ceilings --------------------------------------------------------------------------------


def start_server(kind: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "loadgen.py"), kind, str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for_port("127.0.0.1", port, timeout=30)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def postgres_ceiling(
    url: str, snapshots: list[str], envelopes: list[str], count: int, concurrency: int
) -> tuple[float, int]:
    """Transactions/s, each inserting one submission row and its outbox row."""
    pool = await asyncpg.create_pool(dsn(url), min_size=1, max_size=min(concurrency, 40))
    await pool.execute(
        "CREATE TABLE submission (id bigserial PRIMARY KEY, application_id uuid NOT NULL, "
        "version int NOT NULL, receipt_number varchar(40) NOT NULL UNIQUE, "
        "received_at timestamptz NOT NULL, call_version int NOT NULL, snapshot jsonb NOT NULL);"
        "CREATE UNIQUE INDEX ON submission (application_id, version);"
        "CREATE TABLE outbox (id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, "
        "topic varchar(200) NOT NULL, key varchar(200) NOT NULL, envelope text NOT NULL, "
        "created_at timestamptz NOT NULL, published_at timestamptz)"
    )
    now = dt.datetime.now(dt.UTC)
    queue = list(range(count))

    async def worker() -> None:
        async with pool.acquire() as connection:
            while queue:
                i = queue.pop()
                application_id = uuid.uuid4()
                async with connection.transaction():
                    await connection.execute(
                        "INSERT INTO submission (application_id, version, receipt_number, "
                        "received_at, call_version, snapshot) VALUES ($1, 1, $2, $3, 1, $4)",
                        application_id,
                        f"R-{i:09d}",
                        now,
                        snapshots[i % len(snapshots)],
                    )
                    await connection.execute(
                        "INSERT INTO outbox (event_id, topic, key, envelope, created_at) "
                        "VALUES ($1, $2, $3, $4, $5)",
                        uuid.uuid4(),
                        SUBMITTED_TOPIC,
                        str(application_id),
                        envelopes[i % len(envelopes)],
                        now,
                    )

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, 40))))
    elapsed = time.perf_counter() - started
    await pool.close()
    return count / elapsed, min(concurrency, 40)


async def kafka_ceiling(bootstrap: str, envelopes: list[str], count: int) -> float:
    """Messages/s produced with acks=all, keyed, pipelined (send, then wait for all)."""
    from aiokafka import AIOKafkaProducer

    from sfms_shared.messaging.kafka import ensure_topics

    topic = "bench.produce-ceiling.v1"
    await ensure_topics(bootstrap, (topic,))
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=False, linger_ms=0
    )
    await producer.start()
    try:
        values = [e.encode() for e in envelopes]
        await (await producer.send(topic, values[0], key=b"warm-up"))
        started = time.perf_counter()
        futures = [
            await producer.send(topic, values[i % len(values)], key=str(uuid.uuid4()).encode())
            for i in range(count)
        ]
        await asyncio.gather(*futures)
        return count / (time.perf_counter() - started)
    finally:
        await producer.stop()
