"""Agreement drafts for the tests: the demo region's mutual-aid agreement and its parties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from crossrisk.domain.agreements.agreement import (
    Accountability,
    AgreementDraft,
    Obligation,
    ObligationKind,
    ReviewOutcome,
)
from crossrisk.domain.agreements.compensation import check_compensation

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
QUZHOU = "ema-330800"
COMMITTEE = "yrd-committee"
PARTIES = (HANGZHOU, HUANGSHAN, QUZHOU)


def mutual_aid(**changes: Any) -> AgreementDraft:
    """Hangzhou, Huangshan and Quzhou's mutual aid: sandbags, a gauge, reports, answers, a fund."""
    text = AgreementDraft(
        title="杭州、黄山、衢州跨域应急互助协议",
        title_en="Hangzhou–Huangshan–Quzhou mutual aid agreement",
        subject="新安江—钱塘江沿线城市应急物资互助与联合防汛",
        subject_en="Mutual aid and joint flood defence along the Xin'an and Qiantang rivers",
        parties=PARTIES,
        obligations=(
            Obligation(HANGZHOU, ObligationKind.KEEP_RESERVE, item_code="sandbag", quantity=2000),
            Obligation(HUANGSHAN, ObligationKind.MAINTAIN_GAUGE, station_code="tunxi", hours=6),
            Obligation(HUANGSHAN, ObligationKind.REPORT_WITHIN, minutes=30),
            Obligation(QUZHOU, ObligationKind.ANSWER_AID_WITHIN, hours=4),
            Obligation(QUZHOU, ObligationKind.CONTRIBUTE_FUND, amount_yuan=1_000_000),
        ),
        compensation=check_compensation("reimburse_aid_costs", {"share": 1.0}),
        accountability=Accountability(
            reviewer=COMMITTEE,
            outcomes=(ReviewOutcome.NO_FAULT, ReviewOutcome.CORRECTIVE_ACTION),
            statement_days=15,
        ),
        valid_from=date(2026, 7, 1),
        valid_until=date(2028, 6, 30),
    )
    return replace(text, **changes)


def api_body(**changes: Any) -> dict[str, Any]:
    """The same agreement as the API takes it."""
    body: dict[str, Any] = {
        "region": "yrd",
        "title": "杭州、黄山、衢州跨域应急互助协议",
        "title_en": "Hangzhou–Huangshan–Quzhou mutual aid agreement",
        "subject": "新安江—钱塘江沿线城市应急物资互助",
        "parties": list(PARTIES),
        "obligations": [
            {"party": HANGZHOU, "kind": "keep_reserve", "item_code": "sandbag", "quantity": 2000},
            {"party": QUZHOU, "kind": "answer_aid_within", "hours": 4},
        ],
        "compensation": {"name": "proportional_to_population", "parameters": {}},
        "accountability": {
            "reviewer": COMMITTEE,
            "outcomes": ["no_fault", "corrective_action"],
            "statement_days": 15,
        },
        "valid_from": "2026-07-01",
        "valid_until": "2028-06-30",
    }
    body.update(changes)
    return body
