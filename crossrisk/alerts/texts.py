"""The sentences of a warning: CAP headline and description, and the e-mail notice.

One function per sentence, in any catalog language; the CAP message carries a zh-CN and an
en-US <info> block, and the e-mail both, built by the same functions so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain.warning import EarlyWarning, WarningLevel
from crossrisk.locale import N_, ZH_CN, local_time, say

# A message is shown as, e.g., "10:00 on 1 July" (Chinese: "7月1日10:00"), Beijing time.
WHEN = N_("HH:mm 'on' d MMMM")


def when(moment: datetime, locale: str) -> str:
    """A moment of a warning, as its sentences name it."""
    return local_time(moment, locale, WHEN)


@dataclass(frozen=True, slots=True)
class Wording:
    """What a warning's sentences name, in one language: who issues it, what and where."""

    issuer: str  # national practice names the issuing body first
    event: str  # the hazard type, e.g. 水体污染
    area: str  # the recipient jurisdiction
    origin: str = ""  # the origin jurisdictions, where the hazard comes from
    hazard: str = ""  # the risk as its lead named it
    substance: str = ""  # what a spill or a release put out, as the lead named it
    contact: str = ""  # the issuing organisation's duty desk


def headline(
    warning: EarlyWarning, wording: Wording, *, msg_type: str, sent: datetime, locale: str
) -> str:
    """The CAP headline: the issuer first, then the hazard and the level's tag, as national
    warnings write them (e.g. "…发布水体污染橙色预警[Ⅱ级/严重]")."""
    tag = report_tag(locale) if warning.report else _level(warning.level, locale)["tag"]
    if msg_type == "Update":
        tag = say(locale, N_("%(tag)s (updated)"), {"tag": tag})
    names = {"issuer": wording.issuer, "event": wording.event, "tag": tag, "area": wording.area}
    if msg_type == "Cancel":
        return say(locale, N_("%(issuer)s lifts %(tag)s for %(event)s (%(area)s)"), names)
    issued = say(locale, N_("%(issuer)s issues %(tag)s for %(event)s"), names)
    arrival = warning.expected_arrival
    if arrival is None:
        where = say(locale, N_("affects %(area)s"), names)
    elif arrival <= sent:
        where = say(locale, N_("has reached %(area)s"), names)
    else:
        where = say(
            locale,
            N_("expected to reach %(area)s at %(when)s"),
            {**names, "when": when(arrival, locale)},
        )
    return say(locale, N_("%(issued)s: %(where)s"), {"issued": issued, "where": where})


def report_tag(locale: str) -> str:
    """What an information report is called where a warning would show its colour tag."""
    return say(locale, N_("information report"))


def description(warning: EarlyWarning, wording: Wording, *, sent: datetime, locale: str) -> str:
    """The CAP description: what hazard, from where, its level, arrival and acknowledgement."""
    names = {"event": wording.event, "origin": wording.origin, "hazard": wording.hazard}
    if wording.origin and wording.hazard:
        what = N_("%(event)s (%(hazard)s) originating in %(origin)s.")
    elif wording.origin:
        what = N_("%(event)s originating in %(origin)s.")
    elif wording.hazard:
        what = N_("%(event)s (%(hazard)s).")
    else:
        what = N_("%(event)s.")
    parts = [say(locale, what, names)]
    if wording.substance:
        parts.append(
            say(locale, N_("Substance released: %(substance)s."), {"substance": wording.substance})
        )
    if warning.report:
        parts.append(
            say(locale, N_("This is an information report to neighbouring jurisdictions."))
        )
    else:
        level = _level(warning.level, locale)
        parts.append(
            say(locale, N_("Warning level: %(colour)s (Level %(numeral)s, %(grade)s)."), level)
        )
    area = wording.area
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


def notice_facts(
    warning: EarlyWarning, wording: Wording, *, sent: datetime, locale: str
) -> list[str]:
    """The facts a duty officer reads first in an e-mail, one per line."""
    hazard = wording.event
    if wording.hazard:
        hazard = say(
            locale, N_("%(event)s (%(hazard)s)"), {"event": hazard, "hazard": wording.hazard}
        )
    if warning.report:
        level = report_tag(locale)
    else:
        names = _level(warning.level, locale)
        level = say(locale, N_("%(colour)s (Level %(numeral)s, %(grade)s)"), names)
    arrival = warning.expected_arrival
    if arrival is None:
        lead = say(locale, N_("unknown"))
    elif arrival <= sent:
        lead = say(locale, N_("already arrived"))
    else:
        lead = lead_time(arrival - sent, locale)
    facts = [
        (N_("Origin"), wording.origin or "—"),
        (N_("Hazard"), hazard),
        *([(N_("Substance released"), wording.substance)] if wording.substance else []),
        (N_("Affected"), wording.area),
        (N_("Level"), level),
        (N_("Lead time"), lead),
        (N_("Acknowledge by"), when(warning.ack_deadline, locale)),
    ]
    return [labelled(say(locale, label), value, locale) for label, value in facts]


def labelled(label: str, value: str, locale: str) -> str:
    """A line "label: value", with the colon of the language."""
    return say(locale, N_("%(label)s: %(value)s"), {"label": label, "value": value})


def lead_time(lead: timedelta, locale: str) -> str:
    """How long before arrival a message goes out: minutes under an hour, else hours."""
    hours = lead.total_seconds() / 3600.0
    if hours < 1:
        return say(locale, N_("about %(minutes)d minutes"), {"minutes": round(hours * 60)})
    return say(locale, N_("about %(hours).1f hours"), {"hours": hours})


def notice_label(purpose: str, locale: str) -> str:
    """What an e-mail's subject says the message is: a reminder, an escalation or a copy."""
    labels = {
        "reminder": N_("Reminder"),
        "escalation": N_("Not acknowledged"),
        "copy": N_("Copy for information"),
    }
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
