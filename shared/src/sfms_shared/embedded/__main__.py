"""``sfms-embedded up``: start the platform on this machine and keep it running."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

from sfms_shared.clock import SystemClock, TimelineFile
from sfms_shared.embedded.stack import EmbeddedStack

# The 001 call takes applications until 2026-06-16 17:00 KST. The embedded stack's
# clock runs from the morning before that deadline, so the walk-through can submit.
DEFAULT_CLOCK_START = "2026-06-15T10:00:00+09:00"
# On a timeline the walk-through jumps days in seconds and signs up some eighty company
# accounts from one address: reminders are looked for every second, and sign-ins are
# limited per address at a rate that lets it (the development issuer only runs here).
WALKTHROUGH_ENV = {
    "intake": {"INTAKE_NOTICE_SCAN_SECONDS": "1"},
    "gateway": {"GATEWAY_LOGIN_RATE_PER_SECOND": "100", "GATEWAY_LOGIN_BURST": "500"},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sfms-embedded", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start broker, services and gateway")
    up.add_argument(
        "--home", type=Path, default=Path("var/embedded"), help="databases, documents and logs"
    )
    up.add_argument("--port", type=int, default=8000, help="gateway port")
    up.add_argument("--broker-port", type=int, default=9092)
    up.add_argument(
        "--clock-start",
        default=DEFAULT_CLOCK_START,
        help="the instant the platform's clock reads now (ISO 8601); 'real' for the system clock",
    )
    up.add_argument(
        "--timeline",
        type=Path,
        help="a file that moves every process's clock (the walk-through jumps through the "
        "call's schedule); starts at --clock-start",
    )
    args = parser.parse_args(argv)

    clock_at = None if args.clock_start == "real" else f"{args.clock_start}@{time.time()}"
    if args.timeline:
        start = (
            SystemClock().now() if clock_at is None else datetime.fromisoformat(args.clock_start)
        )
        args.timeline.parent.mkdir(parents=True, exist_ok=True)
        TimelineFile(args.timeline.resolve()).move_to(start)
        clock_at = f"file:{args.timeline.resolve()}"
    stack = EmbeddedStack(
        home=args.home.resolve(),
        gateway_port=args.port,
        broker_port=args.broker_port,
        clock_at=clock_at,
        extra_env=WALKTHROUGH_ENV if args.timeline else {},
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Starting SFMS (embedded) in {stack.home} ...", flush=True)
    try:
        stack.start()
        print(
            f"SFMS is up. Gateway: {stack.gateway_url}  API docs: {stack.gateway_url}/docs  "
            f"Logs: {stack.home / 'logs'}",
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        print("Stopping SFMS ...", flush=True)
        stack.stop()


if __name__ == "__main__":
    raise SystemExit(main())
