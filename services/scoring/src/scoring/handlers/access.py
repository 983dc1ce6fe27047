"""Who may do what in scoring, beyond the shared application rules.

Operators of a call run its evaluation (panels, assignment, completion, reopening);
an evaluator sees and scores only the applications assigned to a panel they sit on;
the applicant sees its own result once the stage is completed.
"""

from __future__ import annotations

from sfms_shared.access import authentication_required, forbidden
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


def require_operator(who: Identity, call_id: str | None, action_en: str, action_ko: str) -> None:
    if not who.authenticated:
        raise authentication_required()
    if not who.operates(call_id):
        raise forbidden(action_en, action_ko)


def require_any_operator(who: Identity, action_en: str, action_ko: str) -> None:
    if not who.authenticated:
        raise authentication_required()
    if not (who.is_admin or "operator" in who.roles):
        raise forbidden(action_en, action_ko)


def not_found(field: str, en: str, ko: str) -> Problem:
    return Problem.for_field(404, "not-found", field, en, ko)
