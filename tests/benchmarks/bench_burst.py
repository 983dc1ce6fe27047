"""Benchmark: the deadline-day burst, with the machine's ceilings measured in the same run.

Not a test: it prints figures and never fails on timing (it exits non-zero only when the
platform could not be started or prepared). One command, from the repository root, with
PostgreSQL at 127.0.0.1:5432 (trust auth; ``SFMS_TEST_POSTGRES`` to change):

    uv run --frozen python tests/benchmarks/bench_burst.py --applicants 1000 --concurrency 64

What it does:

1. Starts the platform as processes (``EmbeddedStack``): the Tansu broker, every service
   and the gateway, each service and the gateway on a fresh PostgreSQL database. The
   platform's clock stands on 2026-06-10 10:00 KST (call 001 open) and runs at real speed.
2. Prepares, untimed, ``--applicants`` + ``--paced`` applicants through the gateway: each
   signs up, signs in, registers its company, opens an application and uploads every
   required document (a minimal PDF each).
3. Idle: each process's resident memory and CPU over a few quiet seconds.
4. Burst (closed loop): ``--concurrency`` connections submit the ``--applicants``
   applications as fast as they are answered. A 429/503 is counted as shed and sent again
   after its ``Retry-After``, as an applicant would. Reported: sustained submissions per
   second (2xx over the wall time), latency p50/p95/p99 of every attempt, errors, shed.
5. Paced (open loop): ``--paced`` more applications at half the burst's sustained rate, each
   due at its own instant and timed from it; reported as the burst.
6. Submit → decision: for every 2xx submission, from the moment the generator had read the
   2xx answer (``time.time()``) to eligibility's ``decision.decided_at`` (read from its
   database). The platform's clock is the real clock moved by a constant (``clock_at``
   ``<instant>@<unix seconds>``), so ``decided_at`` minus that constant is real wall time on
   the same machine clock. Lost: a 2xx submission with no decision after
   ``--decision-timeout`` seconds.
7. Memory and CPU: every process's RSS sampled every 100 ms during the runs (peak), and its
   CPU seconds during the burst (from ``/proc/<pid>/stat``).
8. Ceilings, with the platform stopped and the same generator and concurrency: the
   generator against a bare asyncio server (the generator's own limit), a bare FastAPI
   route under uvicorn started as the services are (requests/s), raw PostgreSQL
   transactions inserting the same submission and outbox rows (asyncpg), and raw produce
   to a fresh Tansu broker (aiokafka, acks=all, the same message size).
9. The report: figures, ratios to the ceilings, and the targets met or missed.

The machine's side (``/proc`` figures and the ceilings) is ``burst_machine.py``. The load
generator (``loadgen.py``) runs in its own process and writes pre-built HTTP/1.1
requests on keep-alive connections: httpx would spend more CPU per request than the
gateway. ``--py-spy DIR`` records py-spy profiles (raw collapsed stacks) of the gateway and
intake during the burst when ``py-spy`` is on the PATH or in ``~/.local/bin``
(``uv tool install py-spy``).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime as dt
import multiprocessing
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "e2e"))

import loadgen  # noqa: E402
from burst_machine import (  # noqa: E402
    SUBMITTED_TOPIC,
    MemorySampler,
    cpu_seconds,
    dsn,
    idle_figures,
    kafka_ceiling,
    machine_busy,
    postgres_ceiling,
    postgres_cpu,
    stack_pids,
    start_server,
    stop,
    wait_quiet,
)
from journey import (  # noqa: E402
    CALL_ID,
    PDF,
    company_profile,
    fresh_brn,
    required_uploads,
)

from sfms_shared.embedded.broker import TansuBroker, free_port  # noqa: E402
from sfms_shared.embedded.stack import EmbeddedStack, wait_ready  # noqa: E402
from sfms_shared.testing.fixtures import (  # noqa: E402
    async_url,
    create_database,
    drop_database,
)

CLOCK_INSTANT = dt.datetime.fromisoformat("2026-06-10T10:00:00+09:00")
DATABASES = ("intake", "eligibility", "scoring", "matching", "settlement", "gateway")


# --- figures ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class RunFigures:
    name: str
    records: list[loadgen.Record]
    wall: float
    generator_cpu: float
    ok: list[loadgen.Record] = field(init=False)

    def __post_init__(self) -> None:
        self.ok = [r for r in self.records if 200 <= r[1] < 300]

    @property
    def rate(self) -> float:
        return len(self.ok) / self.wall

    def count(self, *statuses: int) -> int:
        return sum(1 for r in self.records if r[1] in statuses)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.records if not 200 <= r[1] < 300 and r[1] not in (429, 503))

    def latency(self, q: float) -> float:
        return percentile([r[2] for r in self.records], q) * 1000

    def error_statuses(self) -> str:
        counts: dict[int, int] = {}
        for r in self.records:
            if not 200 <= r[1] < 300 and r[1] not in (429, 503):
                counts[r[1]] = counts.get(r[1], 0) + 1
        return "" if not counts else " " + str(dict(sorted(counts.items())))

    def line(self) -> str:
        return (
            f"{self.name:<34} {len(self.ok):>6} ok in {self.wall:6.2f} s = {self.rate:8.1f}/s  "
            f"p50 {self.latency(50):7.1f} ms  p95 {self.latency(95):7.1f} ms  "
            f"p99 {self.latency(99):7.1f} ms  errors {self.errors}{self.error_statuses()}  "
            f"shed 503 {self.count(503)} / 429 {self.count(429)}  "
            f"(generator CPU {100 * self.generator_cpu / self.wall:.0f}% of a core)"
        )


# --- preparation ----------------------------------------------------------------------------


@dataclass
class Prepared:
    application_id: str
    token: str


async def prepare_one(
    client: httpx.AsyncClient, brn: str, uploads: list[dict[str, str]]
) -> Prepared:
    username = f"applicant-{brn}"
    signup = await client.post(
        "/api/v1/auth/signup",
        json={
            "username": username,
            "password": "bench-password",
            "name": "시험 담당자",
            "role": "applicant",
            "brn": brn,
        },
    )
    assert signup.status_code == 201, signup.text
    login = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": "bench-password"}
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    organisation = await client.post(
        "/api/v1/organisations", json=company_profile(brn), headers=auth
    )
    assert organisation.status_code == 201, organisation.text
    application = await client.post(
        "/api/v1/applications",
        json={
            "call_id": CALL_ID,
            "applicant_id": organisation.json()["id"],
            "support_type": "advanced",
        },
        headers=auth,
    )
    assert application.status_code == 201, application.text
    application_id = application.json()["id"]
    for fields in uploads:
        response = await client.post(
            f"/api/v1/applications/{application_id}/documents",
            data=fields,
            files={"file": ("doc.pdf", PDF, "application/pdf")},
            headers=auth,
        )
        assert response.status_code == 201, response.text
    return Prepared(application_id, token)


async def prepare(url: str, count: int, concurrency: int) -> list[Prepared]:
    rng = random.Random(20260616)
    brns = list(dict.fromkeys(fresh_brn(rng) for _ in range(count * 2)))[:count]
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        call = (await client.get(f"/api/v1/calls/{CALL_ID}")).json()["document"]
        uploads = required_uploads(call)
        gate = asyncio.Semaphore(concurrency)
        done = 0
        started = time.perf_counter()

        async def one(brn: str) -> Prepared:
            nonlocal done
            async with gate:
                result = await prepare_one(client, brn, uploads)
            done += 1
            if done % 200 == 0:
                print(f"  prepared {done}/{count} ({time.perf_counter() - started:.0f} s)")
            return result

        return list(await asyncio.gather(*(one(brn) for brn in brns)))


def submit_requests(host: str, prepared: list[Prepared]) -> list[loadgen.Request]:
    return [
        loadgen.build_request(
            "POST",
            f"/api/v1/applications/{p.application_id}/submit",
            host,
            {"Authorization": f"Bearer {p.token}", "Content-Type": "application/json"},
        )
        for p in prepared
    ]


# --- the platform's side: decisions and sizes ------------------------------------------------


async def decided_at(eligibility_dsn: str, ids: list[str]) -> dict[str, float]:
    """Real wall time (unix seconds) of each application's first decision."""
    connection = await asyncpg.connect(eligibility_dsn)
    try:
        rows = await connection.fetch(
            "SELECT application_id::text AS id, decided_at FROM decision "
            "WHERE sequence = 1 AND application_id = ANY($1::uuid[])",
            ids,
        )
    finally:
        await connection.close()
    return {row["id"]: row["decided_at"].timestamp() for row in rows}


def wait_decided(eligibility_dsn: str, ids: list[str], timeout: float) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    while True:
        found = asyncio.run(decided_at(eligibility_dsn, ids))
        if len(found) == len(ids) or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


async def published_at(intake_dsn: str) -> dict[str, float]:
    """When intake's relay marked each submission's event sent (platform clock, unix s)."""
    connection = await asyncpg.connect(intake_dsn)
    try:
        rows = await connection.fetch(
            "SELECT key, min(published_at) AS at FROM outbox WHERE topic = $1 "
            "AND published_at IS NOT NULL GROUP BY key",
            SUBMITTED_TOPIC,
        )
    finally:
        await connection.close()
    return {row["key"]: row["at"].timestamp() for row in rows}


async def sample_rows(intake_dsn: str) -> tuple[list[str], list[str]]:
    """Snapshots and envelopes of real submissions: the rows the ceilings write."""
    connection = await asyncpg.connect(intake_dsn)
    try:
        snapshots = [
            r[0] for r in await connection.fetch("SELECT snapshot::text FROM submission LIMIT 200")
        ]
        envelopes = [
            r[0]
            for r in await connection.fetch(
                "SELECT envelope FROM outbox WHERE topic = $1 LIMIT 200", SUBMITTED_TOPIC
            )
        ]
    finally:
        await connection.close()
    return snapshots, envelopes


# --- the run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=1000, help="submitted in the burst")
    parser.add_argument("--paced", type=int, help="submitted at half rate (default: half)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--prepare-concurrency", type=int, default=8)
    parser.add_argument("--ceiling-requests", type=int, default=10000)
    parser.add_argument("--decision-timeout", type=float, default=180)
    parser.add_argument("--py-spy", type=Path, help="write py-spy profiles of the burst here")
    args = parser.parse_args()
    args.paced = args.paced if args.paced is not None else args.applicants // 2

    print(f"SFMS deadline-day burst benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
        f"Python {platform.python_version()}; load average before the run "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"command: {' '.join(sys.argv)}  (applicants {args.applicants} + paced {args.paced}, "
        f"concurrency {args.concurrency})"
    )
    names = {name: asyncio.run(create_database()) for name in DATABASES}
    urls = {name: async_url(db) for name, db in names.items()}
    context = multiprocessing.get_context("spawn")
    with (
        tempfile.TemporaryDirectory() as home,
        concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as generator,
    ):
        try:
            report = run(Path(home), urls, args, generator)
        finally:
            for db in names.values():
                asyncio.run(drop_database(db))
    print(report)


def run(
    home: Path,
    urls: dict[str, str],
    args: argparse.Namespace,
    generator: concurrent.futures.ProcessPoolExecutor,
) -> str:
    anchor = time.time()
    clock_offset = CLOCK_INSTANT.timestamp() - anchor
    stack = EmbeddedStack(
        home=home,
        gateway_port=free_port(),
        broker_port=free_port(),
        clock_at=f"{CLOCK_INSTANT.isoformat()}@{anchor}",
        database_urls=urls,
        extra_env={
            # One machine signs up every applicant: the per-IP sign-in limit is lifted.
            # Admission (in-flight per service) keeps its defaults: its 503s are reported.
            "gateway": {
                "GATEWAY_LOGIN_RATE_PER_SECOND": "100000",
                "GATEWAY_LOGIN_BURST": "100000",
            }
        },
    )
    started = time.perf_counter()
    stack.start()
    print(f"platform up in {time.perf_counter() - started:.0f} s (PostgreSQL, Tansu)")
    lines: list[str] = []
    try:
        figures = measure_platform(stack, urls, args, generator, clock_offset, lines)
    finally:
        stack.stop()
    lines += measure_ceilings(home, args, generator, figures)
    return "\n".join(lines)


@dataclass
class PlatformFigures:
    burst: RunFigures
    paced: RunFigures
    decision_latencies: list[float]
    lost: int
    snapshots: list[str]
    envelopes: list[str]


def measure_platform(
    stack: EmbeddedStack,
    urls: dict[str, str],
    args: argparse.Namespace,
    generator: concurrent.futures.ProcessPoolExecutor,
    clock_offset: float,
    lines: list[str],
) -> PlatformFigures:
    started = time.perf_counter()
    total = args.applicants + args.paced
    prepared = asyncio.run(prepare(stack.gateway_url, total, args.prepare_concurrency))
    print(f"prepared {total} applications in {time.perf_counter() - started:.0f} s")
    host = f"127.0.0.1:{stack.gateway_port}"
    burst_set, paced_set = prepared[: args.applicants], prepared[args.applicants :]
    pids = stack_pids(stack)
    wait_quiet(pids)
    idle = idle_figures(pids)
    sampler = MemorySampler(pids)
    sampler.start()
    sampler.running.set()
    profilers = start_profilers(args.py_spy, pids)
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    machine_before, postgres_before = machine_busy(), postgres_cpu()
    burst = RunFigures(
        "burst (closed loop)",
        *generator.submit(
            loadgen.run_closed,
            "127.0.0.1",
            stack.gateway_port,
            submit_requests(host, burst_set),
            args.concurrency,
        ).result(),
    )
    cpu_burst = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    cpu_burst["postgres (all)"] = postgres_cpu() - postgres_before
    machine_after = machine_busy()
    machine_share = (machine_after[0] - machine_before[0]) / max(
        1e-9, machine_after[1] - machine_before[1]
    )
    stop_profilers(profilers)
    print(burst.line())
    eligibility = dsn(urls["eligibility"])
    # The backlog drains before the paced run (a refused submission has no decision to wait for).
    wait_decided(
        eligibility, [burst_set[r[0]].application_id for r in burst.ok], args.decision_timeout
    )
    wait_quiet(pids, timeout=30)
    paced = RunFigures(
        f"paced at {burst.rate / 2:.0f}/s (open loop)",
        *generator.submit(
            loadgen.run_paced,
            "127.0.0.1",
            stack.gateway_port,
            submit_requests(host, paced_set),
            max(burst.rate / 2, 1.0),
        ).result(),
    )
    print(paced.line())
    sampler.running.clear()
    sampler.stopped.set()
    submitted: dict[str, float] = {}
    for run_figures, chosen in ((burst, burst_set), (paced, paced_set)):
        for index, _, _, done_wall in run_figures.ok:
            submitted[chosen[index].application_id] = done_wall
    decided = wait_decided(eligibility, list(submitted), args.decision_timeout)
    latencies = [decided[a] - clock_offset - t for a, t in submitted.items() if a in decided]
    published = asyncio.run(published_at(dsn(urls["intake"])))
    to_relay = [published[a] - clock_offset - t for a, t in submitted.items() if a in published]
    to_review = [decided[a] - published[a] for a in submitted if a in published and a in decided]
    lost = len(submitted) - len(decided)
    snapshots, envelopes = asyncio.run(sample_rows(dsn(urls["intake"])))
    lines += platform_lines(burst, paced, latencies, lost, len(submitted))
    lines.append(
        f"  of which submit -> relay published: p50 {percentile(to_relay, 50) * 1000:.0f} ms  "
        f"p99 {percentile(to_relay, 99) * 1000:.0f} ms;  published -> decided: "
        f"p50 {percentile(to_review, 50) * 1000:.0f} ms  "
        f"p99 {percentile(to_review, 99) * 1000:.0f} ms"
    )
    lines += process_lines(idle, sampler.peak, cpu_burst, burst.wall)
    lines.append(
        f"the whole machine was {100 * machine_share:.0f}% busy during the burst (all processes, "
        f"ours and others'); load average after it {os.getloadavg()[0]:.2f}"
    )
    return PlatformFigures(burst, paced, latencies, lost, snapshots, envelopes)


def start_profilers(directory: Path | None, pids: dict[str, int]) -> list[subprocess.Popen]:
    py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path.home() / ".local/bin"))
    if directory is None or not py_spy:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                py_spy,
                "record",
                "--nonblocking",
                "--pid",
                str(pids[name]),
                "--format",
                "raw",
                "--rate",
                "250",
                "--output",
                str(directory / f"{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in ("gateway", "intake")
    ]


def stop_profilers(profilers: list[subprocess.Popen]) -> None:
    for process in profilers:
        process.send_signal(signal.SIGINT)
    for process in profilers:
        process.wait(timeout=60)


def platform_lines(
    burst: RunFigures, paced: RunFigures, latencies: list[float], lost: int, submitted: int
) -> list[str]:
    return [
        "",
        "== the platform (gateway -> intake on PostgreSQL -> outbox -> Tansu -> eligibility) ==",
        burst.line(),
        paced.line(),
        f"submit -> decision ({len(latencies)} decided of {submitted} submitted): "
        f"p50 {percentile(latencies, 50) * 1000:.0f} ms  p99 {percentile(latencies, 99) * 1000:.0f}"
        f" ms  max {max(latencies, default=float('nan')) * 1000:.0f} ms;  lost {lost}",
    ]


def process_lines(
    idle: dict[str, tuple[int, float]],
    peak: dict[str, int],
    cpu_burst: dict[str, float],
    wall: float,
) -> list[str]:
    lines = [
        "",
        "== processes (one process per service: API, outbox relay and consumers) ==",
        f"{'process':<16} {'idle RSS':>10} {'idle CPU':>9} {'peak RSS':>10} {'burst CPU':>10}",
    ]
    for name in idle:
        lines.append(
            f"{name:<16} {idle[name][0] / 1024:>7.0f} MiB {100 * idle[name][1]:>8.1f}% "
            f"{peak[name] / 1024:>7.0f} MiB {100 * cpu_burst[name] / wall:>9.0f}%"
        )
    ours = sum(v for k, v in cpu_burst.items() if k in idle)
    lines.append(
        f"{'total':<16} {sum(v[0] for v in idle.values()) / 1024:>7.0f} MiB "
        f"{100 * sum(v[1] for v in idle.values()):>8.1f}% "
        f"{sum(peak.values()) / 1024:>7.0f} MiB {100 * ours / wall:>9.0f}%"
    )
    lines.append(
        f"{'postgres (all)':<16} {'':>10} {'':>9} {'':>10} "
        f"{100 * cpu_burst['postgres (all)'] / wall:>9.0f}%"
    )
    lines.append(
        "(CPU as % of one core during the burst; 200% is the whole 2-core machine. "
        "PostgreSQL is every backend on the machine, other users' included.)"
    )
    return lines


def measure_ceilings(
    home: Path,
    args: argparse.Namespace,
    generator: concurrent.futures.ProcessPoolExecutor,
    figures: PlatformFigures,
) -> list[str]:
    count = args.ceiling_requests
    request = [loadgen.build_request("POST", "/submit", "127.0.0.1")] * count
    results = {}
    for kind in ("raw", "bare"):
        port = free_port()
        server = start_server(kind, port, home / f"{kind}.log")
        try:
            if kind == "bare":
                wait_ready(f"http://127.0.0.1:{port}", 30)
            results[kind] = RunFigures(
                {"raw": "generator vs bare asyncio server", "bare": "bare FastAPI route (uvicorn)"}[
                    kind
                ],
                *generator.submit(
                    loadgen.run_closed, "127.0.0.1", port, request, args.concurrency
                ).result(),
            )
        finally:
            stop(server)
    database = asyncio.run(create_database())
    try:
        pg_rate, pg_connections = asyncio.run(
            postgres_ceiling(
                async_url(database), figures.snapshots, figures.envelopes, count, args.concurrency
            )
        )
    finally:
        asyncio.run(drop_database(database))
    broker = TansuBroker(free_port(), home / "ceiling-broker.log")
    broker.start()
    try:
        kafka_rate = asyncio.run(kafka_ceiling(broker.bootstrap, figures.envelopes, count))
    finally:
        broker.stop()
    return ceiling_lines(
        args, figures, results["raw"], results["bare"], pg_rate, pg_connections, kafka_rate
    )


def ceiling_lines(
    args: argparse.Namespace,
    figures: PlatformFigures,
    raw: RunFigures,
    bare: RunFigures,
    pg_rate: float,
    pg_connections: int,
    kafka_rate: float,
) -> list[str]:
    burst, paced = figures.burst, figures.paced
    size = sum(map(len, figures.envelopes)) / max(1, len(figures.envelopes))
    snapshot = sum(map(len, figures.snapshots)) / max(1, len(figures.snapshots))
    p99_decision = percentile(figures.decision_latencies, 99)
    targets = [
        (
            "sustained submissions >= 20% of the bare route",
            f"{100 * burst.rate / bare.rate:.1f}%",
            burst.rate >= 0.2 * bare.rate,
        ),
        (
            "p99 <= 250 ms at half the sustained rate",
            f"{paced.latency(99):.0f} ms",
            paced.latency(99) <= 250,
        ),
        ("submit -> decision p99 <= 2 s", f"{p99_decision * 1000:.0f} ms", p99_decision <= 2),
        ("0 lost", str(figures.lost), figures.lost == 0),
    ]
    return [
        "",
        f"== the machine's ceilings (platform stopped; same generator, concurrency "
        f"{args.concurrency}) ==",
        raw.line(),
        bare.line(),
        f"{'raw PostgreSQL (asyncpg)':<34} {pg_rate:8.1f} transactions/s, each one submission "
        f"row ({snapshot:.0f} B snapshot) and its outbox row, {pg_connections} connections",
        f"{'raw produce to Tansu (aiokafka)':<34} {kafka_rate:8.1f} messages/s, acks=all, "
        f"{size:.0f} B, pipelined",
        "",
        "== ratios ==",
        f"sustained submissions / bare FastAPI route   {burst.rate / bare.rate:6.3f}",
        f"sustained submissions / raw PostgreSQL tx     {burst.rate / pg_rate:6.3f}",
        f"sustained submissions / raw produce           {burst.rate / kafka_rate:6.3f}",
        f"bare FastAPI route / generator's own ceiling  {bare.rate / raw.rate:6.3f}",
        "",
        "== targets ==",
        *(f"{'met ' if ok else 'MISS'}  {name}: {value}" for name, value, ok in targets),
    ]


if __name__ == "__main__":
    main()
