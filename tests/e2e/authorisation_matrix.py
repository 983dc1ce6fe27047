"""The authorisation matrix: for every endpoint that takes an id, who may reach the
object. Everyone else must be denied (401, 403 or 404, and a problem, never data).

Objects (see ``test_authorisation_matrix.World``): company A's submitted application to
the 001 call with its documents, company B's draft application, a draft version of the
001 call, a partner API key. Actors: company A's and B's applicant accounts, a supplier,
a planner, an evaluator, an operator of the 001 call, an operator of another call, an
operator of every call, partner keys (the 001 feeds; another call's feed; calls only),
an anonymous caller and an admin.

Grow it with each service: add the service's id-taking endpoints and who may reach them.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = (
    "owner",
    "other-applicant",
    "supplier",
    "planner",
    "evaluator",
    "operator-001",
    "operator-other-call",
    "operator-all",
    "partner-001",
    "partner-other-call",
    "partner-calls-only",
    "anonymous",
    "admin",
)

OPERATORS_001 = frozenset({"operator-001", "operator-all", "admin"})
READERS_OF_A = OPERATORS_001 | {"owner", "partner-001"}
OWNER_OF_A = frozenset({"owner", "admin"})
DECIDED_FOR_A = OPERATORS_001 | {"owner"}


@dataclass(frozen=True)
class Cell:
    feature: str
    method: str
    path: str  # with {app_a}, {app_b}, {doc_a}, {org_a}, {call}, {draft_version}, {key}
    allowed: frozenset[str]
    # Allowed requests are sent only when they change nothing; a write is checked for denials.
    send_when_allowed: bool = True


MATRIX: tuple[Cell, ...] = (
    # intake: organisations
    Cell(
        "organisation: read",
        "GET",
        "/organisations/{org_a}",
        frozenset({"owner", "operator-001", "operator-other-call", "operator-all", "admin"}),
    ),
    Cell("organisation: amend", "PATCH", "/organisations/{org_a}", OWNER_OF_A, False),
    # intake: applications
    Cell("application: read", "GET", "/applications/{app_a}", READERS_OF_A),
    Cell("application: amend", "PATCH", "/applications/{app_a}", OWNER_OF_A, False),
    Cell("application: submit", "POST", "/applications/{app_a}/submit", OWNER_OF_A, False),
    Cell("application: withdraw", "POST", "/applications/{app_a}/withdraw", OWNER_OF_A, False),
    Cell("application: receipts", "GET", "/applications/{app_a}/submissions", READERS_OF_A),
    Cell(
        "application: submitted version", "GET", "/applications/{app_a}/submissions/1", READERS_OF_A
    ),
    Cell(
        "application: status across services", "GET", "/applications/{app_a}/status", READERS_OF_A
    ),
    Cell(
        "application: another company's draft",
        "GET",
        "/applications/{app_b}",
        OPERATORS_001 | {"other-applicant"},
    ),
    # intake: documents
    Cell("document: upload", "POST", "/applications/{app_a}/documents", OWNER_OF_A, False),
    Cell(
        "document: download",
        "GET",
        "/applications/{app_a}/documents/{doc_a}/content",
        READERS_OF_A - {"partner-001"},  # no feed carries the documents themselves
    ),
    Cell(
        "document: detach", "DELETE", "/applications/{app_a}/documents/{doc_a}", OWNER_OF_A, False
    ),
    # intake: calls
    Cell("call: draft version", "GET", "/calls/{call}/versions/{draft_version}", OPERATORS_001),
    Cell(
        "call: publish",
        "POST",
        "/calls/{call}/versions/{draft_version}/publish",
        OPERATORS_001,
        False,
    ),
    # downstream services: what each received, and the application's stage there
    Cell(
        "eligibility: received application",
        "GET",
        "/eligibility/received-applications/{app_a}",
        READERS_OF_A,
    ),
    *(
        Cell(
            f"{service}: received application",
            "GET",
            f"/{service}/received-applications/{{app_a}}",
            READERS_OF_A - {"partner-001"},  # the key's feeds do not include these
        )
        for service in ("scoring", "matching", "settlement")
    ),
    *(
        Cell(
            f"{service}: application stage",
            "GET",
            f"/{service}/application-status/{{app_a}}",
            READERS_OF_A - {"partner-001"},
        )
        for service in ("eligibility", "scoring", "matching", "settlement")
    ),
    # eligibility: decisions are the owner's and the call's operators' only (the reasons
    # speak of the company's standing), not the consortium's or a partner feed's
    Cell("eligibility: decision trace", "GET", "/eligibility/decisions/{app_a}", DECIDED_FOR_A),
    Cell(
        "eligibility: earlier decision",
        "GET",
        "/eligibility/decisions/{app_a}/versions/1",
        DECIDED_FOR_A,
    ),
    Cell(
        "eligibility: replay a decision",
        "POST",
        "/eligibility/decisions/{app_a}/versions/1/replay",
        OPERATORS_001,
    ),
    Cell(
        "eligibility: override a rule",
        "POST",
        "/eligibility/decisions/{app_a}/overrides",
        OPERATORS_001,
        False,
    ),
    # scoring: the evaluation is the owner's and the call's operators' (an evaluator sees it
    # only when assigned to a panel they sit on: the seeded evaluator is on none); running
    # the evaluation is the call's operators' work
    Cell(
        "scoring: evaluation",
        "GET",
        "/scoring/evaluations/{app_a}/document-review",
        DECIDED_FOR_A,
    ),
    Cell(
        "scoring: draft a sheet",
        "PUT",
        "/scoring/evaluations/{app_a}/document-review/sheet",
        frozenset(),
    ),
    Cell(
        "scoring: submit a sheet",
        "POST",
        "/scoring/evaluations/{app_a}/document-review/sheet/submit",
        frozenset(),
    ),
    Cell(
        "scoring: reopen a sheet",
        "POST",
        "/scoring/evaluations/{app_a}/document-review/sheets/{app_b}/reopen",
        OPERATORS_001,
        False,
    ),
    Cell(
        "scoring: bonus found untrue",
        "PUT",
        "/scoring/evaluations/{app_a}/document-review/bonus",
        OPERATORS_001,
        False,
    ),
    Cell(
        "scoring: evaluations of a stage",
        "GET",
        "/scoring/calls/{call}/stages/document-review/evaluations",
        OPERATORS_001,
    ),
    Cell(
        "scoring: panels of a stage",
        "GET",
        "/scoring/calls/{call}/stages/document-review/panels",
        OPERATORS_001,
    ),
    Cell(
        "scoring: assign to panels",
        "POST",
        "/scoring/calls/{call}/stages/document-review/assignment",
        OPERATORS_001,
        False,
    ),
    Cell(
        "scoring: complete a stage",
        "POST",
        "/scoring/calls/{call}/stages/document-review/completion",
        OPERATORS_001,
        False,
    ),
    Cell(
        "scoring: ranking",
        "GET",
        "/scoring/calls/{call}/stages/document-review/ranking",
        OPERATORS_001,
        False,  # no ranking yet: the operators get 404 until the stage completes
    ),
    Cell(
        "scoring: ranking export",
        "GET",
        "/scoring/calls/{call}/stages/document-review/ranking/export",
        OPERATORS_001,
        False,
    ),
    Cell(
        "scoring: evaluator registry",
        "GET",
        "/scoring/evaluators",
        frozenset({"operator-001", "operator-other-call", "operator-all", "admin"}),
    ),
    # matching: app_a is not shortlisted, so it has no match: the allowed get 404 too
    Cell(
        "matching: a match",
        "GET",
        "/matching/matches/{app_a}",
        OPERATORS_001 | {"owner"},
        False,
    ),
    Cell(
        "matching: recommendations",
        "GET",
        "/matching/matches/{app_a}/recommendations?role=planner",
        OPERATORS_001 | {"owner"},
        False,
    ),
    Cell(
        "matching: propose",
        "POST",
        "/matching/matches/{app_a}/proposals",
        OPERATORS_001 | {"owner"},
        False,
    ),
    Cell(
        "matching: designate a planner",
        "POST",
        "/matching/calls/{call}/planner-designations",
        OPERATORS_001,
        False,
    ),
    Cell(
        "matching: optimiser",
        "POST",
        "/matching/calls/{call}/optimiser-runs",
        OPERATORS_001,
        False,
    ),
    Cell(
        "matching: approve a supplier",
        "POST",
        "/matching/suppliers/{app_a}/approval",  # no such member: the operators get 404
        frozenset({"operator-001", "operator-other-call", "operator-all", "admin"}),
        False,
    ),
    # settlement: the binding budget review is the owner's and the call's operators'
    Cell(
        "settlement: budget review",
        "GET",
        "/settlement/applications/{app_a}/budget-review",
        DECIDED_FOR_A,
    ),
    Cell(
        "settlement: budget check (advice)",
        "POST",
        "/settlement/calls/{call}/budget-checks",
        frozenset(ACTORS)
        - {"anonymous", "partner-001", "partner-other-call", "partner-calls-only"},
    ),
    Cell("settlement: agreements", "GET", "/settlement/calls/{call}/agreements", OPERATORS_001),
    Cell("settlement: payables", "GET", "/settlement/calls/{call}/payables", OPERATORS_001),
    Cell(
        "settlement: draft an agreement",
        "POST",
        "/settlement/agreements",  # app_a is not finally selected: the operators get 409
        OPERATORS_001,
        False,
    ),
    # the operators' live dashboard: the call's pipeline across services
    Cell("operations: a call's pipeline", "GET", "/ops/calls/{call}/pipeline", OPERATORS_001),
    # gateway: partner API keys (issued by the admin)
    Cell("api key: read", "GET", "/api-keys/{key}", frozenset({"admin"})),
    Cell("api key: revoke", "POST", "/api-keys/{key}/revoke", frozenset({"admin"}), False),
)
