"""``python -m <service> serve|migrate``: the entry point of every service process."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from sfms_shared import migrations
from sfms_shared.logging import configure_logging
from sfms_shared.settings import ServiceSettings

# How long an idle HTTP connection is kept open. Longer than any caller keeps one in its
# pool (httpx: 5 s, the gateway's pool), so that a caller never sends a request on a
# connection the server is closing at that moment: uvicorn's default (5 s) equalled
# httpx's, and a POST sent as the server closed the idle connection came back to the
# client as a 502 (the gateway does not resend what may have reached the service).
KEEP_ALIVE_SECONDS = 75


def run_service(
    package: str,
    load_settings: Callable[[], ServiceSettings],
    create_app: Callable[[ServiceSettings], FastAPI],
    has_database: bool = True,
) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {package}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP API and the roles in SETTINGS.roles")
    if has_database:
        sub.add_parser("migrate", help="upgrade the database to the latest migration")
        down = sub.add_parser("downgrade", help="downgrade the database")
        down.add_argument("revision", nargs="?", default="base")
    args = parser.parse_args()
    settings = load_settings()
    configure_logging(settings.service_name, settings.log_level)
    if args.command == "migrate":
        migrations.upgrade(package, settings.database_url)
    elif args.command == "downgrade":
        migrations.downgrade(package, settings.database_url, args.revision)
    else:
        uvicorn.run(
            create_app(settings),
            host=settings.http_host,
            port=settings.http_port,
            log_config=None,
            timeout_graceful_shutdown=10,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
