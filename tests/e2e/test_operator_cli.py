"""The operators' command line (``sfms``) against the whole platform: list, load and
publish a call, export a spreadsheet, issue a partner key, list dead letters; a refusal
is printed as the API's problem and exits 1."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from journey import CALL_ID, new_applicant, prepare_application, wait_until_received

from gateway.dev_issuer import DEV_PASSWORD
from intake.seed_calls import seed_call_paths
from sfms_shared.operator_cli import main

pytestmark = pytest.mark.e2e


def sfms(stack, user: str, *argv: str) -> int:
    return main(["--gateway", stack.gateway_url, "--user", user, "--password", DEV_PASSWORD, *argv])


def test_the_operator_cli(stack, tmp_path: Path, capsys) -> None:
    assert sfms(stack, "operator-all", "calls", "list") == 0
    assert CALL_ID in capsys.readouterr().out

    seed = next(p for p in seed_call_paths() if p.name == "2026-autonomous-factory-2.yaml")
    assert sfms(stack, "operator", "calls", "load", str(seed)) == 0
    loaded = capsys.readouterr().out
    assert loaded.startswith(f"loaded {CALL_ID} as draft version ")
    version = loaded.split()[-1]
    assert sfms(stack, "operator", "calls", "publish", CALL_ID, version) == 0
    assert f"published {CALL_ID} version {version}" in capsys.readouterr().out

    owner, brn = new_applicant(stack.gateway_url, random.Random(5150))
    application_id = prepare_application(owner, brn)
    assert owner.post(f"/applications/{application_id}/submit").status_code == 200
    wait_until_received(owner, application_id)
    target = tmp_path / "applications.csv"
    assert (
        sfms(
            stack,
            "operator",
            "export",
            "applications",
            CALL_ID,
            "--format",
            "csv",
            "-o",
            str(target),
        )
        == 0
    )
    rows = target.read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0].startswith("접수번호,기업명") and len(rows) == 2

    assert sfms(stack, "admin", "keys", "create", "KIRIA", "--scope", "applications:read") == 0
    assert "the key is shown once" in capsys.readouterr().out

    refused = sfms(stack, "operator-kamp", "stage", "complete", CALL_ID, "document-review")
    assert refused == 1
    printed = capsys.readouterr().err
    assert printed.startswith("403") and "현재 역할로는" in printed

    letters = main(["dead-letters", "list", "intake", "--bootstrap", stack.broker.bootstrap])
    assert letters == 0
