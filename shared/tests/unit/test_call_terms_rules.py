"""Validation of the call-terms model (sfms_shared.contracts.call_terms): eligibility rules
and their reasons, concurrency restrictions, and bonus points.
"""

from __future__ import annotations

import pytest
from call_terms_support import SRC, T
from pydantic import ValidationError

from sfms_shared.contracts.call_terms import (
    BonusItem,
    BonusTerms,
    ConcurrencyProgram,
    ConcurrencyTerms,
    EligibilityRule,
)
from sfms_shared.contracts.common import Text

# ── eligibility ────────────────────────────────────────────────────────────


def rule(**overrides: object) -> EligibilityRule:
    data: dict[str, object] = {
        "id": "applicant-smart-factory-level",
        "check": "smart-factory-level",
        "applies_to": ["applicant"],
        "description": T,
        "parameters": {"min_level": "중간1", "level_certificate_validity_years": 3},
        "reason": {
            "ko": "수준이 {min_level} 미만입니다({found}).",
            "en": "Level below {min_level} ({found}).",
        },
        "source": SRC,
    }
    data.update(overrides)
    return EligibilityRule.model_validate(data)


def test_a_reason_template_renders_from_parameters_and_context() -> None:
    reason = rule().render_reason(found="기초")
    assert reason == Text(ko="수준이 중간1 미만입니다(기초).", en="Level below 중간1 (기초).")


def test_a_reason_with_an_unknown_placeholder_is_rejected() -> None:
    with pytest.raises(ValidationError, match="unknown placeholders"):
        rule(reason={"ko": "{min_levle}", "en": "{min_levle}"})
    with pytest.raises(ValidationError, match="different placeholders"):
        rule(reason={"ko": "{min_level}", "en": "{found}"})


def test_rule_parameters_refuse_floats_and_unknown_checks() -> None:
    with pytest.raises(ValidationError):
        rule(parameters={"min_level": "중간1", "ratio": 0.2})
    with pytest.raises(ValidationError):
        rule(check="something-made-up")


# ── concurrency ────────────────────────────────────────────────────────────


def concurrency(rules: list[dict[str, object]]) -> ConcurrencyTerms:
    programs = [
        ConcurrencyProgram(number=n, code=f"p{n}", name=T, source=SRC) for n in range(1, 11)
    ]
    return ConcurrencyTerms.model_validate({"programs": programs, "rules": rules})


def test_concurrency_rules_forbid_pairs() -> None:
    """001 붙임1 shape: ①–⑦ exclusive; ⑧/⑨ with one of ①–⑥; never ⑧ with ②; ⑩ alone."""
    terms = concurrency(
        [
            {
                "kind": "mutually-exclusive",
                "programs": [1, 2, 3, 4, 5, 6, 7],
                "description": T,
                "source": SRC,
            },
            {
                "kind": "may-accompany",
                "programs": [8, 9],
                "companions": [1, 2, 3, 4, 5, 6],
                "max_companions": 1,
                "description": T,
                "source": SRC,
            },
            {
                "kind": "never-together",
                "programs": [8],
                "companions": [2],
                "description": T,
                "source": SRC,
            },
            {
                "kind": "only-without",
                "programs": [10],
                "companions": list(range(1, 10)),
                "description": T,
                "source": SRC,
            },
        ]
    )
    assert not terms.compatible(1, 2)
    assert not terms.compatible(8, 2) and not terms.compatible(2, 8)
    assert terms.compatible(8, 1) and terms.compatible(9, 2)
    assert not terms.compatible(10, 9)
    assert terms.compatible_set({1, 8, 9})
    assert not terms.compatible_set({2, 8})


def test_a_concurrency_rule_must_name_known_programs() -> None:
    with pytest.raises(ValidationError, match="unknown programs"):
        concurrency(
            [
                {
                    "kind": "never-together",
                    "programs": [8],
                    "companions": [11],
                    "description": T,
                    "source": SRC,
                }
            ]
        )


# ── bonus ──────────────────────────────────────────────────────────────────


def test_bonus_counts_the_best_items_then_caps() -> None:
    """001 붙임2: 3 per item, at most 2 items, at most 5 points."""
    items = [BonusItem(code=c, name=T, criteria=(T,), source=SRC) for c in ("a", "b", "c")]
    terms = BonusTerms(points_per_item=3, max_items=2, max_points=5, items=tuple(items), source=SRC)
    assert terms.total([]) == 0
    assert terms.total(["a"]) == 3
    assert terms.total(["a", "b"]) == 5
    assert terms.total(["a", "b", "c"]) == 5
    with pytest.raises(KeyError):
        terms.total(["z"])
