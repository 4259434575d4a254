"""Classifying a risk into the three cross-border situations, or local (DESIGN §3.3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from crossrisk.domain.reach import Reach
from crossrisk.domain.risk import Origin


class Situation(StrEnum):
    SPANNING = "spanning"  # 跨域致灾: the hazard source itself spans two or more jurisdictions
    SPILLOVER = "spillover"  # 溢出: the source is in one; the exposure spreads from it to others
    REMOTE = "remote"  # 异地: the source is in one; the exposure lies in others only
    LOCAL = "local"  # 属地管理: source and exposure in one jurisdiction

    @property
    def crosses_borders(self) -> bool:
        return self is not Situation.LOCAL


@dataclass(frozen=True, slots=True)
class Classification:
    situation: Situation
    origin_codes: tuple[str, ...]
    affected_codes: tuple[str, ...]  # reached, not origin
    explanation_zh: str
    explanation_en: str


Names = Mapping[str, tuple[str, str]]  # code -> (name_zh, name_en)


def classify(origins: tuple[Origin, ...], reach: Reach, names: Names) -> Classification:
    """Name the situation and explain it in one sentence each in Chinese and English."""
    origin_codes = tuple(o.jurisdiction_code for o in origins)
    affected = tuple(code for code in reach.codes if code not in origin_codes)
    origin_exposed = any(code in reach.codes for code in origin_codes)

    def zh(codes: tuple[str, ...]) -> str:
        return "、".join(names.get(code, (code, code))[0] for code in codes)

    def en(codes: tuple[str, ...]) -> str:
        labels = [names.get(code, (code, code))[1] for code in codes]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]

    if len(origin_codes) > 1:
        situation = Situation.SPANNING
        text_zh = f"致灾因子跨越{zh(origin_codes)}，属跨域致灾风险" + (
            f"，并波及{zh(affected)}。" if affected else "。"
        )
        text_en = f"The hazard source spans {en(origin_codes)}" + (
            f" and reaches {en(affected)}." if affected else "."
        )
    elif affected and origin_exposed:
        situation = Situation.SPILLOVER
        text_zh = (
            f"致灾因子位于{zh(origin_codes)}，影响由此外溢至{zh(affected)}，属溢出型跨域风险。"
        )
        text_en = (
            f"The hazard source lies in {en(origin_codes)} and its effect spills over into "
            f"{en(affected)}."
        )
    elif affected:
        situation = Situation.REMOTE
        text_zh = f"致灾因子位于{zh(origin_codes)}，承灾对象位于{zh(affected)}，属异地型跨域风险。"
        text_en = (
            f"The hazard source lies in {en(origin_codes)}, but those exposed are in "
            f"{en(affected)}."
        )
    else:
        situation = Situation.LOCAL
        text_zh = f"致灾因子与影响范围均在{zh(origin_codes)}境内，属属地管理风险。"
        text_en = (
            f"The hazard and its effect stay within {en(origin_codes)}; it is managed locally."
        )
    return Classification(
        situation=situation,
        origin_codes=origin_codes,
        affected_codes=affected,
        explanation_zh=text_zh,
        explanation_en=text_en,
    )
