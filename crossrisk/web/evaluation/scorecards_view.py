"""How the scorecard pages show a scorecard: names, figures as rows, the trend's series."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from crossrisk.domain.accountability.case import CaseOutcome, CaseState
from crossrisk.domain.evaluation.assessment import Assessment, Criterion
from crossrisk.domain.evaluation.rewards import Standing
from crossrisk.domain.evaluation.scorecard import Scorecard
from crossrisk.locale import N_
from crossrisk.web.shared import evaluation_labels as labels
from crossrisk.web.shared.case_labels import CASE_OUTCOME, CASE_STATE
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage


def figure(value: float | None) -> str:
    """A score on 0–100 as pages print it, or a dash."""
    return "—" if value is None else f"{value:.1f}"


def share(value: float | None) -> str:
    """A share as a percentage, or a dash."""
    return "—" if value is None else f"{value * 100:.0f}%"


def period_query(start: date, end: date) -> str:
    return f"from={start.isoformat()}&to={end.isoformat()}"


def record_rows(card: Scorecard, lang: PageLanguage) -> list[dict[str, Any]]:
    """The record's figures: one row per kind of obligation, the counts and the share."""
    d, w, c = card.duties, card.acknowledgements, card.commitments
    g = lang.gettext
    return [
        {
            "id": "duties",
            "title": g(N_("Duties of responsibility lists, plans, meetings and agreements")),
            "counts": [
                (g(N_("done in time")), d.in_time),
                (g(N_("done late")), d.late),
                (g(N_("never done")), d.never),
                (g(N_("not yet due")), d.open),
                (g(N_("waived")), d.waived),
            ],
            "share": share(d.in_time_share),
            "share_label": g(N_("in time")),
        },
        {
            "id": "acknowledgements",
            "title": g(N_("Warnings acknowledged")),
            "counts": [
                (g(N_("in time")), w.in_time),
                (g(N_("late")), w.late),
                (g(N_("never")), w.never),
                (g(N_("still within the deadline")), w.pending),
            ],
            "share": share(w.in_time_share),
            "share_label": g(N_("in time")),
        },
        {
            "id": "commitments",
            "title": g(N_("Mutual-aid commitments")),
            "counts": [
                (g(N_("honoured")), c.honoured),
                (g(N_("late")), c.late),
                (g(N_("partial")), c.partial),
                (g(N_("broken")), c.broken),
                (g(N_("open")), c.open),
            ],
            "share": share(c.honoured_share),
            "share_label": g(N_("honoured")),
        },
    ]


def case_rows(card: Scorecard, lang: PageLanguage) -> list[dict[str, Any]]:
    """The member's cases in the period: where each stands, or its outcome once decided."""
    rows = []
    for case in card.cases:
        if case.outcome:
            label = lang.gettext(CASE_OUTCOME[CaseOutcome(case.outcome)])
        else:
            label = lang.gettext(CASE_STATE[CaseState(case.state or CaseState.OPENED)])
        rows.append({"id": case.case_id, "label": label, "drill_id": case.drill_id})
    return rows


def criterion_rows(
    card: Scorecard, criteria: Sequence[Criterion], lang: PageLanguage
) -> list[dict[str, Any]]:
    by_key = {c.key: c for c in criteria}
    return [
        {
            "key": s.key,
            "name": lang.pick(by_key[s.key].name_zh, by_key[s.key].name_en),
            "weight": f"{by_key[s.key].weight:g}",
            "third_party": figure(s.third_party),
            "self_assessed": figure(s.self_assessed),
            "combined": figure(s.combined),
        }
        for s in card.assessment.criteria
        if s.key in by_key
    ]


def assessment_rows(
    found: Sequence[Assessment],
    criteria: Sequence[Criterion],
    directory: Directory,
    lang: PageLanguage,
) -> list[dict[str, Any]]:
    names = {c.key: lang.pick(c.name_zh, c.name_en) for c in criteria}
    return [
        {
            "id": a.id,
            "kind": a.kind.value,
            "kind_label": lang.gettext(labels.KIND[a.kind]),
            "organisation": directory.organisation_name(
                a.organisation_code, chinese=lang.is_chinese
            ),
            "assessor": directory.organisation_name(a.assessor_code, chinese=lang.is_chinese),
            "period": f"{a.period_start.isoformat()} – {a.period_end.isoformat()}",
            "scores": [(names.get(k, k), f"{v:g}") for k, v in a.scores.items()],
            "note": a.note,
        }
        for a in found
    ]


def trend_data(card: Scorecard, lang: PageLanguage) -> dict[str, Any]:
    """What the trend chart script reads: labels, one series per figure, in this language."""
    g = lang.gettext
    return {
        "labels": [p.label for p in card.trend],
        "series": [
            {
                "name": g(N_("Assessment score")),
                "data": [_round(p.assessment) for p in card.trend],
            },
            {
                "name": g(N_("Duties done in time (%)")),
                "data": [p.duties_in_time for p in card.trend],
            },
            {
                "name": g(N_("Warnings acknowledged in time (%)")),
                "data": [p.acknowledged_in_time for p in card.trend],
            },
            {
                "name": g(N_("Commitments honoured (%)")),
                "data": [p.commitments_honoured for p in card.trend],
            },
        ],
    }


def standing_rows(
    standings: Sequence[Standing], directory: Directory, lang: PageLanguage
) -> list[dict[str, Any]]:
    rows = []
    for s in standings:
        card = s.scorecard
        basis = card.assessment.basis
        rows.append(
            {
                "code": card.organisation_code,
                "name": directory.organisation_name(
                    card.organisation_code, chinese=lang.is_chinese
                ),
                "rank": s.rank,
                "score": figure(card.assessment.score),
                "basis": lang.gettext(labels.BASIS[basis]) if basis else "",
                "duties": share(card.duties.in_time_share),
                "acknowledged": share(card.acknowledgements.in_time_share),
                "honoured": share(card.commitments.honoured_share),
                "upheld": card.upheld_cases,
                "verdict": s.verdict.value,
                "verdict_label": lang.gettext(labels.VERDICT[s.verdict]),
                "reasons": [lang.gettext(labels.REASON[r]) for r in s.reasons],
            }
        )
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
