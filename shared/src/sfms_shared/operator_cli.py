"""``sfms``: the operators' command line, a client of the gateway's API.

    sfms calls list | load FILE.yaml | publish CALL VERSION
    sfms stage complete CALL STAGE
    sfms optimiser run CALL [--role planner|supplier] [--seed N]
    sfms export applications|review-results|matches|payables|settlements|ranking CALL
         [--stage STAGE] [--format xlsx|csv] [-o FILE]
    sfms keys create NAME --scope SCOPE [--scope ...] [--call CALL ...]
    sfms dead-letters list SERVICE | replay SERVICE ID      (talks to the broker)

Signing in: ``--token`` (or ``SFMS_TOKEN``), or ``--user`` and ``--password`` (or
``SFMS_USER``/``SFMS_PASSWORD``) against the gateway's sign-in; ``--gateway`` (or
``SFMS_GATEWAY``) is where the platform answers. A refusal is printed as the API's problem
(Korean and English) and the command exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml

from sfms_shared.messaging.dead_letters import read_dead_letters, replay

EXPORTS = {
    "applications": "/api/v1/calls/{call}/applications/export",
    "review-results": "/api/v1/eligibility/decisions/export?call_id={call}",
    "matches": "/api/v1/matching/calls/{call}/matches/export",
    "payables": "/api/v1/settlement/calls/{call}/payables/export",
    "settlements": "/api/v1/settlement/calls/{call}/settlements/export",
    "ranking": "/api/v1/scoring/calls/{call}/stages/{stage}/ranking/export",
}


class Refused(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.text)
        self.response = response


class Api:
    def __init__(self, gateway: str, token: str) -> None:
        self.client = httpx.Client(
            base_url=gateway, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )

    @classmethod
    def signed_in(cls, args: argparse.Namespace) -> Api:
        token = args.token
        if not token:
            if not args.user:
                raise SystemExit("sign in: give --token, or --user and --password")
            login = httpx.post(
                args.gateway + "/api/v1/auth/login",
                json={"username": args.user, "password": args.password or ""},
                timeout=30,
            )
            if login.status_code != 200:
                raise Refused(login)
            token = login.json()["access_token"]
        return cls(args.gateway, token)

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise Refused(response)
        return response


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except Refused as refused:
        _print_problem(refused.response)
        return 1


def _calls(args: argparse.Namespace) -> int:
    api = Api.signed_in(args)
    if args.action == "list":
        for call in api.call("GET", "/api/v1/calls").json()["items"]:
            print(f"{call['call_id']}\tv{call['version']}\t{call['status']}\t{call['title']['ko']}")
    elif args.action == "load":
        document = yaml.safe_load(Path(args.target).read_text(encoding="utf-8"))
        body = json.loads(json.dumps(document, default=str))
        draft = api.call("POST", "/api/v1/calls", json=body).json()
        print(f"loaded {draft['call_id']} as draft version {draft['version']}")
    else:
        path = f"/api/v1/calls/{args.target}/versions/{args.version}/publish"
        published = api.call("POST", path).json()
        print(f"published {published['call_id']} version {published['version']}")
    return 0


def _stage(args: argparse.Namespace) -> int:
    api = Api.signed_in(args)
    path = f"/api/v1/scoring/calls/{args.call}/stages/{args.stage}/completion"
    result = api.call("POST", path).json()
    print(
        f"{args.stage} of {args.call} completed (sequence {result['sequence']}): "
        f"{result['passing']} pass the cut of {len(result['rows'])}"
    )
    return 0


def _optimiser(args: argparse.Namespace) -> int:
    api = Api.signed_in(args)
    path = f"/api/v1/matching/calls/{args.call}/optimiser-runs"
    run = api.call("POST", path, json={"role": args.role, "seed": args.seed}).json()
    print(json.dumps(run, ensure_ascii=False, indent=2))
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.kind == "ranking" and not args.stage:
        raise SystemExit("export ranking: give --stage (document-review, on-site-review, ...)")
    api = Api.signed_in(args)
    path = EXPORTS[args.kind].format(call=args.call, stage=args.stage)
    response = api.call("GET", path, params={"format": args.format})
    target = Path(args.output or f"{args.call}-{args.kind}.{args.format}")
    target.write_bytes(response.content)
    print(f"wrote {target} ({len(response.content):,} bytes)")
    return 0


def _keys(args: argparse.Namespace) -> int:
    api = Api.signed_in(args)
    body = {"name": args.name, "scopes": args.scope, "calls": args.call or []}
    issued = api.call("POST", "/api/v1/api-keys", json=body).json()
    print(f"key {issued['id']} ({', '.join(issued.get('scopes', args.scope))}): {issued['key']}")
    print("the key is shown once: give it to the partner now")
    return 0


def _dead_letters(args: argparse.Namespace) -> int:
    letters = asyncio.run(read_dead_letters(args.bootstrap, args.service))
    if args.action == "list":
        for letter in letters:
            body = letter.body
            print(f"{letter.id}\t{body['failed_at']}\t{body['topic']}\t{body['reason']}")
        return 0
    chosen = next((x for x in letters if x.id == args.id), None)
    if chosen is None:
        print(f"no dead letter {args.id} on {args.service}", file=sys.stderr)
        return 1
    asyncio.run(replay(args.bootstrap, chosen))
    print(f"replayed {args.id} to {chosen.body['topic']}")
    return 0


def _print_problem(response: httpx.Response) -> None:
    try:
        problem = response.json()
    except ValueError:
        print(f"{response.status_code}: {response.text}", file=sys.stderr)
        return
    where = f" [{problem['field']}]" if problem.get("field") else ""
    print(f"{response.status_code}{where} {problem.get('title_ko', '')}", file=sys.stderr)
    print(f"    {problem.get('title', '')}: {problem.get('detail', '')}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sfms", description=__doc__.splitlines()[0])
    env = os.environ.get
    parser.add_argument("--gateway", default=env("SFMS_GATEWAY", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=env("SFMS_TOKEN"))
    parser.add_argument("--user", default=env("SFMS_USER"))
    parser.add_argument("--password", default=env("SFMS_PASSWORD"))
    commands = parser.add_subparsers(required=True)

    calls = commands.add_parser("calls", help="list, load and publish calls (공고)")
    calls.add_argument("action", choices=["list", "load", "publish"])
    calls.add_argument("target", nargs="?", help="FILE.yaml to load, or CALL to publish")
    calls.add_argument("version", nargs="?", type=int, help="the version to publish")
    calls.set_defaults(run=_calls)

    stage = commands.add_parser("stage", help="complete an evaluation stage (rank, cut)")
    stage.add_argument("action", choices=["complete"])
    stage.add_argument("call")
    stage.add_argument("stage")
    stage.set_defaults(run=_stage)

    optimiser = commands.add_parser("optimiser", help="run the matching optimiser")
    optimiser.add_argument("action", choices=["run"])
    optimiser.add_argument("call")
    optimiser.add_argument("--role", choices=["planner", "supplier"], default="planner")
    optimiser.add_argument("--seed", type=int, default=1)
    optimiser.set_defaults(run=_optimiser)

    export = commands.add_parser("export", help="save a spreadsheet (CSV or XLSX)")
    export.add_argument("kind", choices=sorted(EXPORTS))
    export.add_argument("call")
    export.add_argument("--stage")
    export.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    export.add_argument("-o", "--output")
    export.set_defaults(run=_export)

    keys = commands.add_parser("keys", help="create a partner API key (admins)")
    keys.add_argument("action", choices=["create"])
    keys.add_argument("name")
    keys.add_argument("--scope", action="append", required=True)
    keys.add_argument("--call", action="append")
    keys.set_defaults(run=_keys)

    letters = commands.add_parser("dead-letters", help="list or replay dead letters")
    letters.add_argument("action", choices=["list", "replay"])
    letters.add_argument("service")
    letters.add_argument("id", nargs="?")
    letters.add_argument("--bootstrap", default=env("SFMS_KAFKA", "127.0.0.1:9092"))
    letters.set_defaults(run=_dead_letters)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
