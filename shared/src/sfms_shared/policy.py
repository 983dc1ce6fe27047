"""Object-level rules every service applies to the application-bound data it owns.

One place, so a rule means the same in every service: who may see an application (or a
decision, score or payment about it) and who may act on it. A service that owns other
kinds of objects (an evaluator's assignment, a planner's proposal) adds its rules beside
its domain, built from the same ``Identity`` predicates.
"""

from __future__ import annotations

from collections.abc import Iterable

from sfms_shared.identity import Identity

APPLICATIONS_FEED = "applications:read"
RECEIVED_FEED = "received-applications:read"


def may_read_application(
    identity: Identity,
    call_id: str | None,
    applicant_brn: str | None,
    member_brns: Iterable[str] = (),
    feed: str = APPLICATIONS_FEED,
) -> bool:
    """The applicant, a named consortium member, the call's operators, admins, and partner
    keys holding the feed for that call."""
    return (
        identity.operates(call_id)
        or identity.member_of(applicant_brn)
        or any(identity.member_of(brn) for brn in member_brns)
        or identity.reads_feed(feed, call_id)
    )


def may_act_for_applicant(identity: Identity, applicant_brn: str | None) -> bool:
    """Edits, uploads, submission and withdrawal: the applicant company itself (or an admin)."""
    return identity.is_admin or (
        "applicant" in identity.roles and identity.member_of(applicant_brn)
    )


def reads_across_calls(identity: Identity, feed: str) -> bool:
    """May list a service's data for calls in scope (operators, admins, partner feeds)."""
    holds_feed = "partner" in identity.roles and feed in identity.scopes
    return identity.is_admin or "operator" in identity.roles or holds_feed


def calls_in_scope(identity: Identity) -> frozenset[str] | None:
    """The calls a listing must be limited to; None when unlimited."""
    if identity.is_admin or "*" in identity.calls:
        return None
    if "partner" in identity.roles and not identity.calls:
        return None
    return identity.calls
