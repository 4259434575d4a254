from __future__ import annotations

from dataclasses import replace
from itertools import product

import pytest

from crossrisk.domain.errors import InvalidInput, InvalidTransition
from crossrisk.domain.risk import (
    TITLE_MAX,
    TRANSITIONS,
    EventLevel,
    Origin,
    RiskMatrix,
    RiskStatus,
    new_risk,
    parse_category,
)
from crossrisk.services.policy_tables import event_level_matrix
from tests.support import T0, draft

MATRIX = event_level_matrix()
HUANGSHAN = (Origin("341000", 1.0),)


def make(**changes: object):
    return new_risk(
        draft(**changes),
        region_code="yrd",
        origins=HUANGSHAN,
        matrix=MATRIX,
        created_by="t",
        now=T0,
    )


def test_level_follows_the_policy_matrix() -> None:
    assert make(likelihood=5, consequence=5).level is EventLevel.I
    assert make(likelihood=1, consequence=1).level is EventLevel.IV
    assert make(likelihood=3, consequence=4).level is EventLevel.II


def test_catastrophic_consequence_is_never_below_level_three() -> None:
    assert all(
        MATRIX.level(likelihood, 5) in (EventLevel.I, EventLevel.II, EventLevel.III)
        for likelihood in range(1, 6)
    )


@pytest.mark.parametrize("value", [0, 6, -1, 2.5, True])
def test_likelihood_outside_one_to_five_is_refused(value: object) -> None:
    with pytest.raises(InvalidInput, match="likelihood must be an integer from 1 to 5"):
        make(likelihood=value)


def test_too_long_title_is_refused() -> None:
    with pytest.raises(InvalidInput, match="title is 201 characters long"):
        make(title="险" * (TITLE_MAX + 1))


def test_empty_title_is_refused() -> None:
    with pytest.raises(InvalidInput, match="title must not be empty"):
        make(title="   ")


@pytest.mark.parametrize(
    "title", ["\u200b\u200c\u200d", "\u2066\u2069\ufeff", "\u200b \u3000\u200b"]
)
def test_a_title_of_invisible_characters_is_empty(title: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        make(title=title)
    assert refused.value.key == "text-empty"


@pytest.mark.parametrize("text", ["新安江\x00泄漏", "泄漏\x1b[31m", "\x07警报"])
def test_control_characters_are_refused_in_any_text(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        make(title=text)
    assert refused.value.key == "text-control"
    with pytest.raises(InvalidInput):
        make(description=text)


def test_line_breaks_and_tabs_stay_allowed_in_a_description() -> None:
    assert make(description="第一行\n\t第二行").description == "第一行\n\t第二行"


def test_risk_without_origin_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no jurisdiction"):
        new_risk(draft(), region_code="yrd", origins=(), matrix=MATRIX, created_by="t", now=T0)


def test_unknown_category_names_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="unknown category 'flood'; known: natural_disaster"):
        parse_category("flood")


@pytest.mark.parametrize("start, target", list(product(RiskStatus, RiskStatus)))
def test_only_the_cycle_steps_are_allowed(start: RiskStatus, target: RiskStatus) -> None:
    risk = replace(make(), status=start)
    if target in TRANSITIONS[start]:
        moved = risk.transition(target, reason="step", now=T0)
        assert moved.status is target
        assert moved.version == risk.version + 1
    else:
        with pytest.raises(InvalidTransition):
            risk.transition(target, reason="step", now=T0)


def test_full_cycle_then_reopen() -> None:
    risk = make()
    for status in ("assessed", "treating", "monitoring", "closed", "identified"):
        risk = risk.transition(RiskStatus(status), reason="next", now=T0)
    assert risk.status is RiskStatus.IDENTIFIED


def test_transition_needs_a_reason() -> None:
    with pytest.raises(InvalidInput, match="reason must not be empty"):
        make().transition(RiskStatus.ASSESSED, reason=" ", now=T0)


def test_closed_risk_cannot_be_reassessed() -> None:
    closed = replace(make(), status=RiskStatus.CLOSED)
    with pytest.raises(InvalidTransition, match="reopen"):
        closed.reassess(likelihood=1, consequence=1, matrix=MATRIX, now=T0)


def test_reassessing_changes_the_level() -> None:
    risk = make(likelihood=1, consequence=1).reassess(
        likelihood=5, consequence=5, matrix=MATRIX, now=T0
    )
    assert risk.level is EventLevel.I


def test_matrix_needs_five_rows_of_five() -> None:
    with pytest.raises(InvalidInput, match="5 rows of 5"):
        RiskMatrix.from_rows([["I"] * 5] * 4)
