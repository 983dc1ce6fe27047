"""Schemathesis over every operation of the gateway's merged OpenAPI, through real HTTP.

The whole platform runs as processes (PostgreSQL database per service, Tansu broker,
gateway) and schemathesis generates requests for every operation in ``/openapi.json``,
valid and invalid (``--mode all``: explicit examples, coverage of boundaries, fuzzing,
then stateful sequences), as the seeded admin, so requests pass authentication and reach
the handlers. The stateful phase chains requests along the document's links: the ones the
gateway declares from each create to what follows it (``gateway/links.py``: ``POST
/applications`` → ``GET``/``PATCH /applications/{application_id}`` with its ETag,
``…/documents``, ``…/submit`` and every service's view of the new application; ``POST
…/documents`` → its content and removal; calls, organisations, evaluators and agreements
likewise) and those schemathesis infers. The test prints schemathesis's account of the
links it followed. Every answer must:

- not be a server error (``not_a_server_error``: no 5xx);
- conform to the document: a declared status code, the declared media type and headers,
  and a body that validates against the declared schema;
- not be a 429 (the stack's rate limits are set out of reach; see ``fuzz_hooks.py``).

Examples per operation: ``SFMS_FUZZ_EXAMPLES``. The quick profile, what CI runs, is the
default, 100; the long profile is 1000, run on demand (about ten times as long):
``SFMS_FUZZ_EXAMPLES=1000 uv run --frozen pytest -q tests/e2e/test_api_fuzz.py``. Every
operation that takes parameters or a body must get at least that many requests, counted;
an operation with no input (``GET /healthz``) gets what there is. Schemathesis's
``--max-examples`` caps its fuzzing phase (and the number of stateful scenarios) and it
may stop short of the cap, so the cap is set at twice the floor. Generation is
deterministic, so a run is reproducible; ``SFMS_FUZZ_SEED=<n>`` switches to seeded random
generation to explore elsewhere.

No operation is excluded. The sign-in and sign-up routes hash a password (scrypt) per
request, which costs a few seconds over a run and stays in. The run goes through the
schemathesis CLI rather than its pytest plugin, whose fixture-loaded schemas
(``schemathesis.pytest.from_fixture``) fail on pytest 9.2 (they read
``request.node._nodeid``, which pytest no longer has).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from journey import new_applicant, prepare_application, sign_in

from sfms_shared.embedded.broker import free_port
from sfms_shared.embedded.stack import SERVICES, EmbeddedStack

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("SFMS_FUZZ_EXAMPLES", "100"))
SEED = os.environ.get("SFMS_FUZZ_SEED")
HOOKS = Path(__file__).with_name("fuzz_hooks.py")
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "not_rate_limited",
)
# Out of reach for one fuzzing client: every request must reach a handler.
GENEROUS_LIMITS = {
    "GATEWAY_USER_RATE_PER_SECOND": "100000",
    "GATEWAY_USER_BURST": "1000000",
    "GATEWAY_ANONYMOUS_RATE_PER_SECOND": "100000",
    "GATEWAY_ANONYMOUS_BURST": "1000000",
    "GATEWAY_LOGIN_RATE_PER_SECOND": "100000",
    "GATEWAY_LOGIN_BURST": "1000000",
    "GATEWAY_ADMISSION_WAIT_SECONDS": "30",
}


@pytest.fixture(scope="module")
def fuzzed_stack(tmp_path_factory, module_postgres_urls) -> Iterator[EmbeddedStack]:
    platform = EmbeddedStack(
        home=tmp_path_factory.mktemp("fuzzed-stack"),
        gateway_port=free_port(),
        broker_port=free_port(),
        clock_at=f"2026-06-10T10:00:00+09:00@{time.time()}",
        database_urls={name: module_postgres_urls() for name in (*SERVICES, "gateway")},
        extra_env={"gateway": GENEROUS_LIMITS},
    )
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()


def existing_objects(gateway_url: str) -> dict[str, list[Any]]:
    """Objects for the fuzzer to address besides random ids, by parameter name: a submitted
    and a draft application with their organisations and documents, an organisation with no
    application yet, their call (its support types and document kinds, and its document to
    copy into new calls), and a partner API key."""
    rng = random.Random(20260610)
    applications = []
    for submit in (True, False):
        api, brn = new_applicant(gateway_url, rng)
        application_id = prepare_application(api, brn)
        if submit:
            receipt = api.post(f"/applications/{application_id}/submit")
            assert receipt.status_code == 200, receipt.text
        applications.append(api.get(f"/applications/{application_id}").json())
    api, brn = new_applicant(gateway_url, rng)
    spare = api.post(
        "/organisations",
        json={
            **{"kind": "company", "brn": brn, "name": "(주)퍼즈정밀", "legal_form": "corporation"},
            **{"ksic_code": "C29", "size_class": "small", "region": "경남", "headcount": 9},
            "founded_on": "2019-03-01",
        },
    )
    assert spare.status_code == 201, spare.text
    call = api.get(f"/calls/{applications[0]['call_id']}").json()
    key = sign_in(gateway_url, "operator-all").post(
        "/api-keys", json={"name": "fuzz", "scopes": ["applications:read"]}
    )
    assert key.status_code == 201, key.text
    organisations = [a["applicant_id"] for a in applications] + [spare.json()["id"]]
    return {
        "application_id": [a["id"] for a in applications],
        "organisation_id": organisations,
        "applicant_id": organisations,
        "document_id": [d["id"] for a in applications for d in a["documents"][:2]],
        "call_id": [call["call_id"]],
        "version": [1],
        "key_id": [key.json()["id"]],
        "support_type": [t["code"] for t in call["document"]["support_types"]],
        "kind": [d["kind"] for d in call["document"]["required_documents"][:3]],
        "call_document": [call["document"]],
    }


def stateful_summary(output: str) -> str:
    """Schemathesis's account of the links: how many it followed, and where data was missing."""
    lines = [f"  {line.strip()}" for line in output.splitlines() if "links" in line.lower()]
    return "\n".join(lines) or "  (no account of the links in the output)"


def admin_token(gateway_url: str) -> str:
    login = httpx.post(
        gateway_url + "/api/v1/auth/login",
        json={"username": "admin", "password": "sfms-dev"},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    return login.json()["access_token"]


def test_every_operation_answers_as_documented(fuzzed_stack, tmp_path: Path) -> None:
    gateway = fuzzed_stack.gateway_url
    document = httpx.get(gateway + "/openapi.json", timeout=30).json()
    operations = {
        f"{method.upper()} {path}": bool(operation.get("parameters") or "requestBody" in operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "put", "post", "patch", "delete")
    }
    tally_path = tmp_path / "tally.json"
    randomness = ["--seed", SEED] if SEED else ["--generation-deterministic"]
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "run", gateway + "/openapi.json"),
        *("--header", f"Authorization: Bearer {admin_token(gateway)}"),
        *("--checks", ",".join(CHECKS)),
        *("--mode", "all"),
        *("--phases", "examples,coverage,fuzzing,stateful"),
        *("--max-examples", str(2 * EXAMPLES)),
        *randomness,
        *("--workers", "1"),
        *("--request-timeout", "30"),
        *("--report", "junit", "--report-dir", str(tmp_path / "report")),
        "--no-color",
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
        "SFMS_FUZZ_KNOWN": json.dumps(existing_objects(gateway)),
        "SFMS_FUZZ_TALLY": str(tally_path),
    }
    started = time.monotonic()
    run = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=3600
    )
    elapsed = time.monotonic() - started

    requests: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    phases: dict[str, int] = defaultdict(int)
    for row in json.loads(tally_path.read_text()) if tally_path.exists() else []:
        requests[row["operation"]][row["status"]] += row["count"]
        phases[row["phase"]] += row["count"]
    print(f"\n{len(operations)} operations, at least {EXAMPLES} requests each, {elapsed:.0f} s")
    print("  requests by phase: " + ", ".join(f"{p}: {n}" for p, n in sorted(phases.items())))
    print(stateful_summary(run.stdout))
    for label in sorted(operations):
        statuses = requests.get(label, {})
        counts = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        print(f"  {sum(statuses.values()):5d}  {label}  ({counts})")
    assert run.returncode == 0, run.stdout[-30000:] + run.stderr[-5000:]
    assert not operations.keys() - requests.keys(), "operations never called"
    assert phases.get("stateful"), "the stateful phase sent no request"
    linked = [
        name
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for name in operation.get("responses", {}).get("201", {}).get("links", {})
    ]
    assert len(linked) >= 10, f"the gateway's links are missing from the document: {linked}"
    too_few = {
        label: total
        for label, takes_input in operations.items()
        if takes_input and (total := sum(requests.get(label, {}).values())) < EXAMPLES
    }
    assert not too_few, f"fewer than {EXAMPLES} requests: {too_few}"
