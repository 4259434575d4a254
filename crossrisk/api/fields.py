"""Request fields whose allowed values the OpenAPI document declares as the domain rules them.

The domain refuses a value with its own message and key (an unknown category, a likelihood
of 7); these fields put the same rule into the request schema, read from the same
constants, so the document is never looser than the server. Enumerations are declared
rather than validated here, so a refusal still carries the domain's key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import Field, JsonValue

from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.risk import RiskCategory, RiskStatus
from crossrisk.domain.warning import WarningLevel
from crossrisk.http.deps import ID_MAX
from crossrisk.services.policy_tables import hazard_types


def one_of(values: Iterable[str], *, nullable: bool = False, **options: Any) -> Any:
    """A text field the document declares as one of these values (or null)."""
    allowed: list[JsonValue] = [*sorted(values), *([None] if nullable else [])]
    return Field(json_schema_extra={"enum": allowed}, **options)


def scale(**options: Any) -> Any:
    """A step of the 5×5 assessment scale (domain.risk.check_scale refuses the rest)."""
    return Field(json_schema_extra={"minimum": 1, "maximum": 5}, **options)


CATEGORIES = [c.value for c in RiskCategory]
STATUSES = [s.value for s in RiskStatus]
CHANNEL_KINDS = [k.value for k in ChannelKind]
COLOURS = [level.key for level in WarningLevel]


def hazard_type_keys() -> list[str]:
    """The hazard types of the policy table."""
    return sorted(hazard_types())


# A row's version counts its changes; stored as a 32-bit integer like the row ids.
Version = Annotated[int, Field(ge=1, le=ID_MAX, description="the version read, 1 to 2³¹−1")]
# A warning level by number, or by colour.
Level = Annotated[int, Field(ge=1, le=4)] | Annotated[str, one_of(COLOURS)]
