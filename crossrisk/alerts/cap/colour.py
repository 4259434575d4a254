"""The warning colour a received CAP alert states in words, for feeds that say nothing else.

China's national warning release system (国家预警信息发布中心) and the meteorological
bureaus behind it send `urgency` and `certainty` as Unknown: what they do say is the
colour of the warning signal (红/橙/黄/蓝色) in the event, the headline or a parameter,
and its grade in a tag that ends the headline ("…暴雨红色预警信号[Ⅰ级/红色]"). The colours
and numerals are those of domain/warning.py's WarningLevel; nothing here keeps its own list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from crossrisk.domain.warning import WarningLevel

_CHINESE_NUMERALS = {
    WarningLevel.RED: "一",
    WarningLevel.ORANGE: "二",
    WarningLevel.YELLOW: "三",
    WarningLevel.BLUE: "四",
}


def stated_colour(texts: Iterable[str | None]) -> WarningLevel | None:
    """The gravest warning colour or grade the texts name, or None when they name none.

    When a headline's colour and its tag disagree (a bureau's typo), the graver one is
    taken: a warning read one level too low would reach fewer people in time.
    """
    found = [level for text in texts if text for level in _levels_in(text)]
    return min(found) if found else None


def _levels_in(text: str) -> list[WarningLevel]:
    colours, grades = _patterns()
    levels = [level for level, pattern in colours.items() if pattern.search(text)]
    levels += [level for level, pattern in grades.items() if pattern.search(text)]
    return levels


@cache
def _patterns() -> tuple[dict[WarningLevel, re.Pattern[str]], dict[WarningLevel, re.Pattern[str]]]:
    colours = {
        # 红色 (or 红 alone in a tag such as "[Ⅰ级/红]"), or the English word on its own.
        level: re.compile(
            rf"{level.colour_zh[0]}色?(?:预警|警报|信号|\]|】)|{level.colour_zh}"
            rf"|\b{level.colour_en}\b",
            re.IGNORECASE,
        )
        for level in WarningLevel
    }
    grades = {
        # "Ⅰ级" anywhere (the numeral is used for nothing else), "[I级/…]", "[1级/…]" or
        # "[一级/…]" only in a tag, since "风力4级" is wind force; "Level I" in English.
        level: re.compile(
            rf"{level.numeral}\s*级"
            rf"|[\[【［(（]\s*(?:{level.roman}|{level.value}|{_CHINESE_NUMERALS[level]})\s*级"
            rf"|\blevel\s+(?:{level.roman}|{level.value})\b",
            re.IGNORECASE,
        )
        for level in WarningLevel
    }
    return colours, grades
