"""Fault injection: a burst of submissions while processes die, the broker stalls and the
database restarts; then a ledger of what every accepted submission became.

Full size, from the repository root (about an hour or more on two cores)::

    uv run --frozen python -m tests.fault.fault_run --submissions 5000 --kills 10 --pause 30

The reduced size runs in CI as ``tests/fault/test_fault_injection.py`` (marker ``e2e``).

What it does:

1. Starts a PostgreSQL cluster of its own (``initdb`` into a temporary directory with the
   Debian binaries under ``/usr/lib/postgresql/*/bin``, trust auth, a free port, as the
   ``postgres`` user when run as root), so that restarting it disturbs nothing else on the
   machine, and one database per service and the gateway in it.
2. Starts the platform with every part that can fail on its own as its own process: the
   Tansu broker; intake's API, intake's outbox relay and intake's consumers; each
   downstream service's API, and its consumers with its outbox relay; the gateway.
3. Prepares ``--submissions`` complete applications through the gateway (sign-up, company,
   draft, every required document) before the faults start; a seeded few (``--rejects``)
   have a required document removed again, so that their submission must be refused.
4. Submits them all from ``--clients`` concurrent clients, each submit carrying an
   ``Idempotency-Key``; a client sends the same request again (same key) on a 5xx or a
   broken connection, until it gets a final answer or ``--give-up`` seconds have passed.
   The final answer is what the ledger counts.
5. Meanwhile a seeded chaos schedule, spread over the burst by submission progress:
   ``--kills`` SIGKILLs of each kind (intake's API, intake's relay, the consumers process
   of intake, eligibility, scoring, matching and settlement), each restarted after a
   random short while; ``--pauses`` SIGSTOPs of the broker for ``--pause`` seconds, then
   SIGCONT; ``--drops`` of every TCP connection to and from the broker with ``ss -K``
   (socket destroy: both ends see a reset, as when a broker's host drops them);
   ``--pg-restarts`` restarts of the private PostgreSQL (``pg_ctl stop -m immediate`` or
   ``fast``, alternately; down for ``--pg-down`` seconds) during which a request that needs
   the database is sent through the gateway and must be answered 503, never 500.
6. Waits (bounded by ``--settle``) until every outbox is published and the downstream
   counts stop moving, then reads the services' databases directly and prints the ledger:

   - accepted: submits answered 2xx; rejected: answered non-2xx in the end
   - submitted: accepted applications with exactly one submission in intake
   - decided: accepted applications with exactly one requirement-review decision
   - duplicates: more than one of anything per accepted application (submissions, intake's
     application-submitted events, decisions, eligibility's application-reviewed events,
     notices of one kind, scoring evaluations, settlement budget reviews); must be 0
   - lost: accepted applications missing anywhere (no submission, no replica in a
     downstream service, no decision, no budget review, no evaluation for an eligible
     one; the places are listed); must be 0
   - traces: rejected submits that left a submission or a submitted status; must be 0
   - 500s: any 500 answered to any client at any time; must be 0

Exit status 0 when the ledger is clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

for _helpers in (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "e2e"):
    if str(_helpers) not in sys.path:  # run as a module: the test helpers are not on the path
        sys.path.insert(0, str(_helpers))

from fault_ledger import Ledger, build_ledger, settle  # noqa: E402
from fault_stack import FaultStack, PrivatePostgres  # noqa: E402
from journey import fresh_brn, prepare_application  # noqa: E402

from sfms_shared.embedded.broker import free_port  # noqa: E402
from sfms_shared.embedded.stack import SERVICES  # noqa: E402
from sfms_shared.embedded.stack import wait_ready as wait_url_ready  # noqa: E402

CLOCK_START = "2026-06-10T10:00:00+09:00"  # inside the 001 call's window
CONSUMER_PROCESSES = tuple(f"{name}-consumers" for name in SERVICES)
KILL_KINDS = ("intake-api", "intake-relay", *CONSUMER_PROCESSES)
GENEROUS_LIMITS = {
    "GATEWAY_USER_RATE_PER_SECOND": "100000",
    "GATEWAY_USER_BURST": "1000000",
    "GATEWAY_ANONYMOUS_RATE_PER_SECOND": "100000",
    "GATEWAY_ANONYMOUS_BURST": "1000000",
    "GATEWAY_LOGIN_RATE_PER_SECOND": "100000",
    "GATEWAY_LOGIN_BURST": "1000000",
    "GATEWAY_DEV_TOKEN_SECONDS": "86400",
}
RETRYABLE = {500, 502, 503, 504}


# The burst --------------------------------------------------------------------------------


@dataclass
class Prepared:
    application_id: str
    token: str
    reject: bool  # a required document removed: the submit must be refused


@dataclass
class Outcome:
    application_id: str
    reject: bool
    status: int | None  # the final answer (None: no answer before giving up)
    attempts: int
    body: dict | None = None


@dataclass
class Observations:
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    outage_probes: Counter = field(default_factory=Counter)
    events: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, status: int, what: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status == 500:
                self.server_errors.append(what)

    def note(self, event: str, started: float) -> None:
        line = f"{time.monotonic() - started:7.1f}s {event}"
        with self.lock:
            self.events.append(line)
        print(line, flush=True)


def prepare(gateway: str, count: int, rejects: int, clients: int, seed: int) -> list[Prepared]:
    """Complete applications through the gateway, before the faults start."""
    rng = random.Random(seed)
    brns = list(dict.fromkeys(fresh_brn(rng) for _ in range(count * 2)))[:count]
    rejected = set(rng.sample(range(count), min(rejects, count)))

    def one(index: int) -> Prepared:
        brn = brns[index]
        username = f"fault-{brn}"
        signup = httpx.post(
            gateway + "/api/v1/auth/signup",
            json={
                "username": username,
                "password": "fault-password",
                "name": "시험 담당자",
                "role": "applicant",
                "brn": brn,
            },
            timeout=60,
        )
        assert signup.status_code == 201, signup.text
        login = httpx.post(
            gateway + "/api/v1/auth/login",
            json={"username": username, "password": "fault-password"},
            timeout=60,
        )
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        with httpx.Client(
            base_url=gateway + "/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as api:
            application_id = prepare_application(api, brn)
            if index in rejected:
                documents = api.get(f"/applications/{application_id}").json()["documents"]
                removed = api.delete(
                    f"/applications/{application_id}/documents/{documents[0]['id']}"
                )
                assert removed.status_code == 204, removed.text
        return Prepared(application_id, token, index in rejected)

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(count)))


def submit_all(
    gateway: str,
    prepared: list[Prepared],
    clients: int,
    give_up: float,
    seen: Observations,
    progress: list[int],
) -> list[Outcome]:
    lock = threading.Lock()

    def submit(item: Prepared, client: httpx.Client) -> Outcome:
        key = f"fault-submit-{item.application_id}"
        deadline = time.monotonic() + give_up
        attempts = 0
        status: int | None = None
        body = None
        while time.monotonic() < deadline:
            attempts += 1
            try:
                response = client.post(
                    f"/applications/{item.application_id}/submit",
                    headers={"Authorization": f"Bearer {item.token}", "Idempotency-Key": key},
                )
            except httpx.HTTPError:
                status = None
                time.sleep(0.5)
                continue
            status = response.status_code
            seen.saw(status, f"submit {item.application_id}: {response.text[:300]}")
            if status not in RETRYABLE:
                body = response.json() if response.content else None
                break
            time.sleep(min(float(response.headers.get("Retry-After", "0.5") or 0.5), 2.0))
        with lock:
            progress[0] += 1
        return Outcome(item.application_id, item.reject, status, attempts, body)

    local = threading.local()

    def run(item: Prepared) -> Outcome:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=gateway + "/api/v1", timeout=60)
        return submit(item, local.client)

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(run, prepared))


# Chaos ------------------------------------------------------------------------------------


def chaos_schedule(args: argparse.Namespace, rng: random.Random) -> list[tuple[float, str]]:
    """(fraction of the burst submitted, action), sorted: the faults land during the burst."""
    actions = [kind for kind in KILL_KINDS for _ in range(args.kills)]
    actions += ["pause-broker"] * args.pauses
    actions += ["drop-broker-connections"] * args.drops
    actions += ["restart-postgres"] * args.pg_restarts
    return sorted((rng.uniform(0.02, 0.9), action) for action in actions)


class Chaos(threading.Thread):
    def __init__(
        self,
        stack: FaultStack,
        postgres: PrivatePostgres,
        schedule: list[tuple[float, str]],
        total: int,
        progress: list[int],
        args: argparse.Namespace,
        seen: Observations,
        probe: Prepared,
        started: float,
    ) -> None:
        super().__init__(name="chaos", daemon=True)
        self.stack, self.postgres, self.schedule = stack, postgres, schedule
        self.total, self.progress, self.args, self.seen = total, progress, args, seen
        self.probe, self.started = probe, started
        self.rng = random.Random(args.seed + 1)
        self.done: Counter = Counter()
        self.error: BaseException | None = None
        self.pg_restarts = 0

    def run(self) -> None:
        try:
            for fraction, action in self.schedule:
                while self.progress[0] < fraction * self.total:
                    time.sleep(0.05)
                self.act(action)
                self.done[action] += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the driver
            self.error = exc

    def act(self, action: str) -> None:
        note = lambda text: self.seen.note(text, self.started)  # noqa: E731
        if action in KILL_KINDS:
            key = "intake" if action == "intake-api" else action
            down = self.rng.uniform(0.2, 3.0)
            self.stack.kill(key)
            note(f"SIGKILL {action}; restart in {down:.1f}s")
            time.sleep(down)
            self.stack.revive(key)
        elif action == "pause-broker":
            self.stack.broker_signal(signal.SIGSTOP)
            note(f"SIGSTOP broker for {self.args.pause:.0f}s")
            time.sleep(self.args.pause)
            self.stack.broker_signal(signal.SIGCONT)
            note("SIGCONT broker")
        elif action == "drop-broker-connections":
            dropped = self.stack.drop_broker_connections()
            note(f"dropped {dropped} broker connections (ss -K)")
        elif action == "restart-postgres":
            mode = ("immediate", "fast")[self.pg_restarts % 2]
            self.pg_restarts += 1
            self.postgres.stop(mode)
            note(f"PostgreSQL stopped (-m {mode}) for {self.args.pg_down:.0f}s")
            self.probe_outage(time.monotonic() + self.args.pg_down)
            self.postgres.start()
            note("PostgreSQL started")

    def probe_outage(self, until: float) -> None:
        """While the database is down, a read that needs it must be a 503."""
        with httpx.Client(
            base_url=self.stack.gateway_url + "/api/v1",
            headers={"Authorization": f"Bearer {self.probe.token}"},
            timeout=30,
        ) as api:
            while time.monotonic() < until:
                try:
                    status = api.get(f"/applications/{self.probe.application_id}").status_code
                except httpx.HTTPError:
                    status = -1
                self.seen.outage_probes[status] += 1
                if status > 0:
                    self.seen.saw(status, "outage probe")
                time.sleep(0.25)


# The run ----------------------------------------------------------------------------------


@dataclass
class RunResult:
    ledger: Ledger
    chaos: Counter
    observations: Observations
    timings: dict[str, float]


def run(args: argparse.Namespace) -> RunResult:
    timings: dict[str, float] = {}
    postgres = PrivatePostgres()
    home = Path(tempfile.mkdtemp(prefix="sfms-fault-"))
    stack: FaultStack | None = None
    started = time.monotonic()
    try:
        postgres.init()
        postgres.start()
        postgres.create_databases([*SERVICES, "gateway"])
        stack = FaultStack(
            home=home,
            gateway_port=free_port(),
            broker_port=free_port(),
            clock_at=f"{CLOCK_START}@{time.time()}",
            database_urls={name: postgres.url(name) for name in (*SERVICES, "gateway")},
            extra_env={"gateway": GENEROUS_LIMITS},
        )
        stack.start()
        timings["start"] = time.monotonic() - started
        print(f"stack up in {timings['start']:.0f}s; logs in {home / 'logs'}", flush=True)

        mark = time.monotonic()
        prepared = prepare(
            stack.gateway_url, args.submissions + 1, args.rejects, args.clients, args.seed
        )
        probe, prepared = prepared[-1], prepared[:-1]  # never submitted: the outage probe
        timings["prepare"] = time.monotonic() - mark
        print(f"prepared {len(prepared)} applications in {timings['prepare']:.0f}s", flush=True)

        seen = Observations()
        progress = [0]
        schedule = chaos_schedule(args, random.Random(args.seed))
        mark = time.monotonic()
        chaos = Chaos(stack, postgres, schedule, len(prepared), progress, args, seen, probe, mark)
        chaos.start()
        outcomes = submit_all(
            stack.gateway_url, prepared, args.clients, args.give_up, seen, progress
        )
        chaos.join(timeout=args.pause * args.pauses + 300)
        timings["burst"] = time.monotonic() - mark
        if chaos.error:
            raise chaos.error
        for key in stack.processes:  # anything the chaos left down comes back
            process = stack.processes[key].process
            if process is None or process.poll() is not None:
                stack.revive(key)
        for process in stack.processes.values():
            wait_url_ready(process.url, 120)

        accepted = {o.application_id for o in outcomes if o.status and 200 <= o.status < 300}
        timings["settle"] = settle(postgres, accepted, args.settle)
        ledger = build_ledger(postgres, outcomes, seen)
        return RunResult(ledger, chaos.done, seen, timings)
    finally:
        if stack is not None:
            stack.stop()
        postgres.destroy()
        if args.keep_logs:
            print(f"logs kept in {home / 'logs'}")
        else:
            shutil.rmtree(home, ignore_errors=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs of each kind")
    parser.add_argument("--pause", type=float, default=30.0, help="seconds the broker is stopped")
    parser.add_argument("--pauses", type=int, default=2)
    parser.add_argument("--drops", type=int, default=2, help="broker connection drops")
    parser.add_argument("--pg-restarts", type=int, default=2)
    parser.add_argument("--pg-down", type=float, default=5.0, help="seconds PostgreSQL is down")
    parser.add_argument(
        "--rejects",
        type=int,
        default=None,
        help="applications whose submit must be refused (default 2%%)",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "--give-up", type=float, default=300.0, help="seconds a client keeps retrying one submit"
    )
    parser.add_argument(
        "--settle", type=float, default=600.0, help="at most this long to wait for quiescence"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args(argv)
    if args.rejects is None:
        args.rejects = max(1, args.submissions // 50)
    return args


def report(result: RunResult, args: argparse.Namespace) -> str:
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(result.chaos.items()))
    times = ", ".join(f"{k} {v:.0f}s" for k, v in result.timings.items())
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.observations.statuses.items()))
    return "\n".join(
        [
            result.ledger.table(),
            f"faults done: {kinds}",
            f"times: {times}",
            f"answers seen by the clients (all attempts): {statuses}",
            f"outage probes: {dict(result.observations.outage_probes)}",
            f"seed {args.seed}, {args.clients} clients",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    print(report(result, args), flush=True)
    print(json.dumps({"ledger": result.ledger.rows, "faults": dict(result.chaos)}))
    return 0 if result.ledger.clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
