"""Building blocks shared by the call document (``calls``) and its terms (``call_terms``).

Kept apart from both so that ``calls`` can import ``call_terms`` without a cycle.

Conventions (ARCHITECTURE.md, "Conventions"):

- money is integer KRW (``Krw``): a float or a bool is rejected, never rounded;
- ratios and other fractional numbers are ``Decimal`` (``Ratio``, ``Dec``) and are
  written as strings in data files (``"0.50"``); a float is rejected because
  ``0.1`` has no exact binary value;
- every rule and number carries a ``Source`` (seed file and section).
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, StrictStr


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Frozen):
    """Where a rule or number comes from: seed file and section (e.g. ``붙임2``)."""

    file: str
    section: str
    note: str | None = None


class Text(Frozen):
    ko: str
    en: str


class SmartFactoryLevel(StrEnum):
    """KS X 9001-1 levels, low to high (DOMAIN.md §2)."""

    NONE = "미적용"
    BASIC = "기초"
    INTERMEDIATE_1 = "중간1"
    INTERMEDIATE_2 = "중간2"
    ADVANCED = "고도화"

    @property
    def rank(self) -> int:
        return list(SmartFactoryLevel).index(self)


def _exact_decimal(value: Any) -> Any:
    """Accept a ``Decimal`` or a string; refuse floats, ints and bools.

    Data files write every fractional number as a string (``"0.50"``), so the
    value read is exactly the value written.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return value.strip()
    raise ValueError(
        'a decimal must be written as a string such as "0.50", '
        f"not {type(value).__name__} {value!r}"
    )


# A fractional number of any size (multipliers such as 1.5, weights, thresholds).
Dec = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(allow_inf_nan=False)]
# A share of a whole, 0 ≤ r ≤ 1 (0.50 = 50 %; 0.12 = 12 % growth).
Ratio = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(ge=0, le=1, allow_inf_nan=False)]
# Integer Korean won, never negative.
Krw = Annotated[int, Field(strict=True, ge=0)]
# A small non-negative count (months, years, points, items).
Count = Annotated[int, Field(strict=True, ge=0)]

# 시·도, as organisations give their location and matching compares it.
Region = Literal[
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기",
    "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주",
]  # fmt: skip
REGIONS: tuple[str, ...] = get_args(Region)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
# A KSIC code as the seeds write it: section letter, then optional digits (C, C10, C31202).
Ksic = Annotated[str, Field(pattern=r"^[A-U](\d{2,5})?$")]

# Rule parameters: exact scalars or tuples of them. No floats (write decimals as
# strings and read them with ``Decimal``), no dates (ISO strings), so that a
# parameter round-trips through JSON unchanged.
ParamScalar = StrictBool | StrictInt | StrictStr
ParamValue = ParamScalar | tuple[ParamScalar, ...]
Params = dict[str, ParamValue]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def placeholders(template: str) -> set[str]:
    """Names of the ``{name}`` placeholders in a reason template."""
    return set(_PLACEHOLDER.findall(template))
