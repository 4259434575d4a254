"""An agreement's text read from a mapping (a JSON file, an API body, a page's form).

One reader, so the CLI, the API and the pages refuse the same things with the same keys.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from crossrisk.domain.agreements.agreement import (
    OBLIGATIONS_MAX,
    OUTCOMES_MAX,
    PARTIES_MAX,
    Accountability,
    AgreementDraft,
    Obligation,
    ObligationKind,
    ReviewOutcome,
)
from crossrisk.domain.agreements.compensation import check_compensation
from crossrisk.domain.errors import InvalidInput

FIELD_MAX = 64
# The outcomes a review may reach when a draft names none.
DEFAULT_OUTCOMES = (
    ReviewOutcome.NO_FAULT,
    ReviewOutcome.CORRECTIVE_ACTION,
    ReviewOutcome.NOTICE_OF_CRITICISM,
)
DEFAULT_STATEMENT_DAYS = 15


def _bad(field: str, detail: str) -> InvalidInput:
    return InvalidInput(
        f"{field}: {detail}", key="agreement-field-invalid", params={"field": field[:FIELD_MAX]}
    )


def _text(data: Mapping[str, Any], field: str, default: str = "") -> str:
    value = data.get(field, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _bad(field, "must be text")
    return value


def _day(data: Mapping[str, Any], field: str, *, required: bool) -> date | None:
    value = data.get(field)
    if value in (None, "") and not required:
        return None
    if not isinstance(value, str) or len(value) > 10:
        raise _bad(field, "must be a day, YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(field, "must be a day, YYYY-MM-DD") from None


def _list(data: Mapping[str, Any], field: str, limit: int) -> list[Any]:
    value = data.get(field, [])
    if not isinstance(value, list | tuple) or len(value) > limit:
        raise _bad(field, f"must be a list of at most {limit}")
    return list(value)


def _figure(entry: Mapping[str, Any], field: str, *, whole: bool) -> Any:
    value = entry.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(field, "must be a number")
    if whole:
        if not (math.isfinite(value) and value == int(value)):
            raise _bad(field, "must be a whole number")
        return int(value)
    return float(value)


def _code(entry: Mapping[str, Any], field: str) -> str | None:
    value = entry.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > FIELD_MAX:
        raise _bad(field, f"must be a code of at most {FIELD_MAX} characters")
    return value


def obligation_from(entry: object) -> Obligation:
    """One obligation line: its party, kind and the figures its kind takes."""
    if not isinstance(entry, Mapping):
        raise _bad("obligations", "each obligation is an object")
    kind = entry.get("kind")
    try:
        known = ObligationKind(str(kind))
    except ValueError:
        raise InvalidInput(
            f"no obligation kind {str(kind)[:FIELD_MAX]!r}",
            key="agreement-obligation-kind",
            params={"kind": str(kind)[:FIELD_MAX]},
        ) from None
    return Obligation(
        party=_code(entry, "party") or "",
        kind=known,
        item_code=_code(entry, "item_code"),
        quantity=_figure(entry, "quantity", whole=False),
        station_code=_code(entry, "station_code"),
        minutes=_figure(entry, "minutes", whole=True),
        hours=_figure(entry, "hours", whole=True),
        amount_yuan=_figure(entry, "amount_yuan", whole=False),
        note=_text(entry, "note"),
    )


def _accountability(data: object) -> Accountability:
    procedure = data if isinstance(data, Mapping) else {}
    outcomes = _list(procedure, "outcomes", OUTCOMES_MAX) or list(DEFAULT_OUTCOMES)
    try:
        chosen = tuple(ReviewOutcome(o) for o in outcomes)
    except ValueError:
        raise _bad("outcomes", "an outcome is not one the procedure knows") from None
    days = _figure(procedure, "statement_days", whole=True)
    return Accountability(
        reviewer=_code(procedure, "reviewer") or "",  # "": the coordinator
        outcomes=chosen,
        statement_days=DEFAULT_STATEMENT_DAYS if days is None else days,
        penalty_yuan=_figure(procedure, "penalty_yuan", whole=False),
    )


def draft_from(data: Mapping[str, Any]) -> AgreementDraft:
    """The text of an agreement from its mapping; the region's checks come after.

    A text that names no reviewer leaves it blank: the coordinator reviews.
    """
    compensation = data.get("compensation")
    if not isinstance(compensation, Mapping):
        raise InvalidInput(
            "an agreement names its compensation rule",
            key="agreement-compensation-unknown",
            params={"rule": ""},
        )
    parameters = compensation.get("parameters") or {}
    if not isinstance(parameters, Mapping):
        raise _bad("compensation.parameters", "must be an object")
    valid_from = _day(data, "valid_from", required=True)
    assert valid_from is not None
    return AgreementDraft(
        title=_text(data, "title"),
        subject=_text(data, "subject"),
        title_en=_text(data, "title_en"),
        subject_en=_text(data, "subject_en"),
        parties=tuple(str(p)[:FIELD_MAX] for p in _list(data, "parties", PARTIES_MAX)),
        obligations=tuple(obligation_from(o) for o in _list(data, "obligations", OBLIGATIONS_MAX)),
        compensation=check_compensation(str(compensation.get("name", ""))[:FIELD_MAX], parameters),
        accountability=_accountability(data.get("accountability")),
        valid_from=valid_from,
        valid_until=_day(data, "valid_until", required=False),
    )
