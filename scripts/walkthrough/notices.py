"""The notices intake sent (one .eml each in the mailbox folder), counted against the
events that triggered them: one per trigger, however often an event was delivered."""

from __future__ import annotations

from walkthrough.platform import Platform, Refused, wait_until
from walkthrough.population import INCOMPLETE, LAST_MINUTE, LATE, Population
from walkthrough.report import line, table


def show_notices(platform: Platform, people: Population, formed: int, signed: int) -> None:
    received = sum(1 for c in people.companies if "receipt" in c.ids)
    drafts_at_reminders = sum(
        1 for c in people.companies if c.fate in (LATE, INCOMPLETE, LAST_MINUTE)
    )
    expected = {
        "receipt": (received, "one per received submission"),
        "reminder-d3": (drafts_at_reminders, "drafts open three days before the deadline"),
        "reminder-d1": (drafts_at_reminders, "drafts open the day before"),
        "review-result": (received, "one per requirement-review decision"),
        "proposal": (None, "one per proposal to a planner or supplier"),
        "selection-result": (formed, "one per on-site review result"),
        "payment": (formed + signed, "one per planner milestone paid"),
    }
    counts = wait_until(
        "every notice",
        lambda: (found := platform.notices())["payment"] >= formed + signed and found or None,
    )
    for kind, (number, _) in expected.items():
        if number is not None and counts[kind] != number:
            raise Refused(f"{counts[kind]} {kind} notices, expected {number}")
    table(
        ("알림 notice", "sent", "for"),
        [(kind, counts[kind], why) for kind, (_, why) in expected.items()],
    )
    line(f"mailbox: {platform.mailbox} (one .eml per notice, in the contact's language)")
