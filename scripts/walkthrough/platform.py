"""The running platform as the walk-through sees it: the gateway over real HTTP, accounts
signed in through the development issuer, the shared timeline, and a clear stop when an
answer is not the expected one."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from gateway.dev_issuer import DEV_PASSWORD
from sfms_shared.clock import KST, TimelineFile

T = TypeVar("T")
CALL = "2026-autonomous-factory-2"
ACCOUNT_PASSWORD = "walkthrough-2026"


class Refused(Exception):
    """The platform did not answer as the walk-through expected."""


def ok(response: httpx.Response, status: int = 200) -> Any:
    if response.status_code != status:
        raise Refused(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code} (expected {status}): {response.text[:600]}"
        )
    return response.json() if response.content else {}


class Platform:
    def __init__(self, gateway: str, timeline: Path, mailbox: Path) -> None:
        self.gateway = gateway
        self.timeline = TimelineFile(timeline)
        self.mailbox = mailbox
        self.public = httpx.Client(base_url=gateway + "/api/v1", timeout=60)
        self._clients: dict[str, httpx.Client] = {}
        self._call: dict[str, Any] | None = None

    @property
    def call(self) -> dict[str, Any]:
        """The 001 call's published document, as everyone reads it."""
        if self._call is None:
            self._call = ok(self.public.get(f"/calls/{CALL}"))["document"]
        return self._call

    def now(self) -> datetime:
        return self.timeline.now().astimezone(KST)

    def move_to(self, instant: datetime) -> None:
        """Every process of the stack reads ``instant`` from now on (and runs on from it)."""
        self.timeline.move_to(instant)

    def wait_for_the_call(self) -> None:
        """Every service keeps its own copy of the call from intake's event; a fresh stack
        may take a moment to deliver it."""
        operator = self.as_user("operator")
        wait_until(
            "the call at every service",
            lambda: (
                operator.get(
                    f"/settlement/calls/{CALL}/settlement-fee",
                    params={"government_krw": 1, "private_cash_krw": 1, "private_in_kind_krw": 0},
                ).status_code
                == 200
                or None
            ),
        )

    def notices(self) -> Counter[str]:
        """The notices in the mailbox folder (one .eml each), by kind."""
        kinds: Counter[str] = Counter()
        for path in self.mailbox.glob("*.eml"):
            with path.open(encoding="utf-8", errors="replace") as mail:
                for header in mail:
                    if header.startswith("X-SFMS-Notice:"):
                        kinds[header.split()[1]] += 1
                        break
                    if not header.strip():
                        break
        return kinds

    def as_user(self, username: str, password: str = DEV_PASSWORD) -> httpx.Client:
        """A client carrying ``username``'s bearer token (one sign-in per account)."""
        if username not in self._clients:
            login = ok(
                self.public.post("/auth/login", json={"username": username, "password": password})
            )
            self._clients[username] = httpx.Client(
                base_url=self.gateway + "/api/v1",
                headers={"Authorization": f"Bearer {login['access_token']}"},
                timeout=60,
            )
        return self._clients[username]

    def sign_up(self, role: str, brn: str, name: str) -> httpx.Client:
        """A company account (applicant, supplier or planner) for ``brn``, signed in."""
        username = f"{role}-{brn}"
        ok(
            self.public.post(
                "/auth/signup",
                json={
                    "username": username,
                    "password": ACCOUNT_PASSWORD,
                    "name": name,
                    "role": role,
                    "brn": brn,
                },
            ),
            201,
        )
        return self.as_user(username, ACCOUNT_PASSWORD)

    def partner(self, name: str, scopes: list[str]) -> httpx.Client:
        """A partner agency's system holding a key the admin issued it."""
        issued = ok(
            self.as_user("admin").post("/api-keys", json={"name": name, "scopes": scopes}), 201
        )
        return httpx.Client(
            base_url=self.gateway + "/api/v1", headers={"X-API-Key": issued["key"]}, timeout=60
        )


def wait_until(what: str, probe: Callable[[], T | None], timeout: float = 90) -> T:
    """Poll ``probe`` until it returns something; the services work from events, so what
    one service did reaches the next a moment later."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found is not None:
            return found
        time.sleep(0.25)
    raise Refused(f"{what}: not within {timeout:.0f} s")
