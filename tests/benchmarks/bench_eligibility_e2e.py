"""Benchmark: requirement reviews per second end to end on the embedded stack.

Not a test: it prints figures. It starts the platform as processes (SQLite per service,
the Tansu broker, the gateway), prepares ``--applications`` complete applications through
the gateway, submits them all at once from a few threads, and times from the first
submission until eligibility has decided every one (intake's outbox, the broker,
eligibility's consumer, registries lookup, review, decision stored and announced):

    uv run python tests/benchmarks/bench_eligibility_e2e.py [--applications 60]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "e2e"))

from journey import CALL_ID, new_applicant, prepare_application, sign_in  # noqa: E402

from sfms_shared.embedded.broker import free_port  # noqa: E402
from sfms_shared.embedded.stack import EmbeddedStack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=60)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        stack = EmbeddedStack(
            home=Path(home),
            gateway_port=free_port(),
            broker_port=free_port(),
            clock_at=f"2026-06-10T10:00:00+09:00@{time.time()}",
            # One machine signs up every applicant: the per-IP sign-in limit is lifted.
            extra_env={
                "gateway": {
                    "GATEWAY_LOGIN_RATE_PER_SECOND": "1000",
                    "GATEWAY_LOGIN_BURST": "100000",
                    "GATEWAY_USER_BURST": "100000",
                }
            },
        )
        stack.start()
        try:
            run(stack.gateway_url, args.applications, args.threads)
        finally:
            stack.stop()


def run(url: str, count: int, threads: int) -> None:
    rng = random.Random(20260616)
    started = time.perf_counter()
    prepared = []
    for _ in range(count):
        api, brn = new_applicant(url, rng)
        prepared.append((api, prepare_application(api, brn)))
    print(f"prepared {count} applications in {time.perf_counter() - started:.0f} s")
    operator = sign_in(url, "operator")

    def submit(item: tuple) -> None:
        api, application_id = item
        assert api.post(f"/applications/{application_id}/submit").status_code == 200

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(submit, prepared))
    submitted = time.perf_counter() - started
    decided = 0
    while decided < count:
        page = operator.get("/eligibility/decisions", params={"call_id": CALL_ID, "limit": 200})
        decided = len(page.json()["items"])
        if time.perf_counter() - started > 600:
            raise SystemExit(f"only {decided} of {count} decided after 600 s")
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; SQLite per service, Tansu")
    print(f"submitted {count} in {submitted:.2f} s ({count / submitted:.1f}/s through the gateway)")
    print(
        f"all {count} decided {elapsed:.2f} s after the first submission: "
        f"{count / elapsed:.1f} reviews/s end to end"
    )


if __name__ == "__main__":
    main()
