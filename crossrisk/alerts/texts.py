"""The sentences of a warning: CAP headline and description, and the e-mail notice.

One function per sentence, in any catalog language; the CAP message carries a zh-CN and an
en-US <info> block, and the e-mail both, built by the same functions so they always agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crossrisk.domain.warning import EarlyWarning, WarningLevel
from crossrisk.locale import N_, ZH_CN, local_time, say

# A message is shown as, e.g., "10:00 on 1 July" (Chinese: "7月1日10:00"), Beijing time.
WHEN = N_("HH:mm 'on' d MMMM")


def when(moment: datetime, locale: str) -> str:
    """A moment of a warning, as its sentences name it."""
    return local_time(moment, locale, WHEN)


def headline(
    warning: EarlyWarning, *, event: str, area: str, msg_type: str, sent: datetime, locale: str
) -> str:
    """The CAP headline: the level's tag first, as national practice writes it."""
    # e.g. 黄色预警[Ⅲ级/较重]; lifting a warning is announced as 解除…预警.
    tag = _level(warning.level, locale)["tag"]
    if msg_type == "Cancel":
        return say(locale, N_("Lifted: %(tag)s: %(event)s (%(area)s)"), _names(tag, event, area))
    if msg_type == "Update":
        tag = say(locale, N_("%(tag)s (updated)"), {"tag": tag})
    arrival = warning.expected_arrival
    if arrival is None:
        return say(locale, N_("%(tag)s: %(event)s affects %(area)s"), _names(tag, event, area))
    if arrival <= sent:
        return say(locale, N_("%(tag)s: %(event)s has reached %(area)s"), _names(tag, event, area))
    return say(
        locale,
        N_("%(tag)s: %(event)s expected to reach %(area)s at %(when)s"),
        {**_names(tag, event, area), "when": when(arrival, locale)},
    )


def description(
    warning: EarlyWarning, *, event: str, area: str, sent: datetime, locale: str
) -> str:
    """The CAP description: the level, the expected arrival and the acknowledgement due."""
    level = {"event": event, **_level(warning.level, locale)}
    parts = [
        say(
            locale,
            N_("%(event)s. Warning level: %(colour)s (Level %(numeral)s, %(grade)s)."),
            level,
        )
    ]
    arrival = warning.expected_arrival
    if arrival is None:
        unknown = N_("It affects %(area)s; no arrival time could be estimated.")
        parts.append(say(locale, unknown, {"area": area}))
    elif arrival <= sent:
        parts.append(say(locale, N_("It has reached %(area)s."), {"area": area}))
    else:
        expected = N_(
            "Expected to reach %(area)s at %(when)s Beijing time (UTC+8), %(lead)s after "
            "this message."
        )
        lead = lead_time(arrival - sent, locale)
        parts.append(
            say(locale, expected, {"area": area, "when": when(arrival, locale), "lead": lead})
        )
    due = when(warning.ack_deadline, locale)
    parts.append(say(locale, N_("Please acknowledge by %(when)s Beijing time."), {"when": due}))
    # Chinese sentences end in their own full stop and run on without a space.
    return ("" if locale == ZH_CN else " ").join(parts)


def lead_time(lead: timedelta, locale: str) -> str:
    """How long before arrival a message goes out: minutes under an hour, else hours."""
    hours = lead.total_seconds() / 3600.0
    if hours < 1:
        return say(locale, N_("about %(minutes)d minutes"), {"minutes": round(hours * 60)})
    return say(locale, N_("about %(hours).1f hours"), {"hours": hours})


def notice_label(purpose: str, locale: str) -> str:
    """What an e-mail's subject says the message is, for a reminder or an escalation."""
    labels = {"reminder": N_("Reminder"), "escalation": N_("Not acknowledged")}
    return say(locale, labels[purpose])


def _level(level: WarningLevel, locale: str) -> dict[str, str]:
    # The level's names are the national standard's own terms in each language.
    if locale == ZH_CN:
        return {
            "tag": level.headline_tag_zh,
            "colour": level.colour_zh,
            "numeral": level.numeral,
            "grade": level.grade_zh,
        }
    return {
        "tag": level.headline_tag_en,
        "colour": level.colour_en,
        "numeral": level.roman,
        "grade": level.grade_en,
    }


def _names(tag: str, event: str, area: str) -> dict[str, str]:
    return {"tag": tag, "event": event, "area": area}
