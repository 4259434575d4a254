"""Warning tables of the pages: the inbox, a risk's warnings, and what their scripts say."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from crossrisk.data import substances
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.warnings import can_warn
from crossrisk.domain.risk import Risk, RiskStatus
from crossrisk.domain.substance import substance_names
from crossrisk.domain.warning import WarningLevel
from crossrisk.http.deps import csrf_token, utc_now
from crossrisk.http.problems import STATUS as PROBLEM_STATUS
from crossrisk.services import live, risks, warnings
from crossrisk.services.policy_tables import hazard_types
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared import refusal_labels
from crossrisk.web.shared.directory import Directory, read_directory
from crossrisk.web.shared.i18n import PageLanguage
from crossrisk.web.warnings.view import RiskFacts, WarningRow, level_tag, warning_rows


def inbox_rows(uow: UnitOfWork, actor: Actor, lang: PageLanguage) -> list[WarningRow]:
    """The actor's inbox as table rows, newest first."""
    messages = warnings.inbox(uow, actor)
    wanted = {message.warning.risk_id for message in messages}
    regions = {message.warning.region_code for message in messages}
    directory = read_directory(uow, actor, region_codes=regions) if regions else Directory()
    facts = {
        risk.id: risk_facts(risk, directory, lang)
        for risk in risks.list_risks(uow, actor)
        if risk.id is not None and risk.id in wanted
    }
    return warning_rows(
        messages, actor=actor, directory=directory, risks=facts, lang=lang, now=utc_now()
    )


def risk_facts(risk: Risk, directory: Directory, lang: PageLanguage) -> RiskFacts:
    """What a warning row says of its risk: title, origin, hazard and substance, pathway."""
    found = hazard_types().get(risk.hazard_type)
    # A hazard type's name says how it travels in brackets; the pathway column says that.
    hazard = (
        lang.pick(found.name_zh.split("（")[0], found.name_en.split(" (")[0])
        if found
        else risk.hazard_type
    )
    substance = risk.parameters.get("substance")
    if substance:  # a spill or a release names what it was
        name = lang.pick(*substance_names(substances(), str(substance)))
        hazard = f"{hazard}{lang.gettext(': ')}{name}"
    origin = lang.gettext(", ").join(
        directory.jurisdiction_name(code, chinese=lang.is_chinese) for code in risk.origin_codes
    )
    return RiskFacts(
        title=risk.title_for(chinese=lang.is_chinese),
        origin=origin,
        hazard=hazard,
        pathway=found.pathway if found else None,
    )


def risk_warning_rows(
    uow: UnitOfWork, actor: Actor, risk: Risk, lang: PageLanguage
) -> list[WarningRow]:
    """The newest message to each recipient of a risk, as table rows."""
    assert risk.id is not None
    messages = warnings.warnings_of_risk(uow, actor, risk.id)
    directory = read_directory(uow, actor, region_codes={risk.region_code})
    return warning_rows(
        messages,
        actor=actor,
        directory=directory,
        risks={risk.id: risk_facts(risk, directory, lang)},
        lang=lang,
        now=utc_now(),
    )


def risk_warnings_context(
    request: Request, uow: UnitOfWork, actor: Actor, risk: Risk, directory: Directory
) -> dict[str, Any]:
    """What the risk page's warnings section and its script need."""
    assert risk.id is not None
    lang = PageLanguage.of(request)
    position = live.head_position(uow)
    rows = risk_warning_rows(uow, actor, risk, lang)
    may_warn = (
        can_warn(actor, region_code=risk.region_code, origin_codes=risk.origin_codes)
        and risk.status is not RiskStatus.CLOSED
    )
    recipients = sorted(
        (
            (code, directory.jurisdiction_name(code, chinese=lang.is_chinese))
            for code in directory.jurisdictions
            if code != actor.jurisdiction_code
        ),
        key=lambda item: item[0],
    )
    return {
        "warning_rows": rows,
        "may_warn": may_warn,
        "warning_recipients": recipients,
        "warning_levels": [(level.value, level_tag(level, lang)) for level in WarningLevel],
        "warnings_data": {
            "after": position,
            "riskId": risk.id,
            "tableUrl": f"/risks/{risk.id}/warnings",
            "issueUrl": f"/api/risks/{risk.id}/warnings",
            "instructionsField": "instructions_zh" if lang.is_chinese else "instructions_en",
            "csrfToken": csrf_token(request),
            "texts": live_texts(lang),
        },
    }


def live_texts(lang: PageLanguage) -> dict[str, Any]:
    """What the warning scripts say, in the page's language."""
    return {
        **refusal_texts(lang),
        "live": lang.gettext("Live"),
        "connecting": lang.gettext("Connecting…"),
        "paused": lang.gettext("Live updates paused; retrying…"),
        "acknowledged": lang.gettext("Receipt acknowledged."),
        "issued": lang.gettext("The warning was issued."),
        "failed": lang.gettext("The request failed"),
        "reload": lang.gettext("The page is out of date; reload it."),
        # The lead time as the script counts it down (view.lead_time_text says it first).
        "arrived": lang.gettext("Arrived"),
        "leadMinutes": lang.gettext("in %(minutes)d min"),
        "leadHoursMinutes": lang.gettext("in %(hours)d h %(minutes)d min"),
    }


def notice_texts(lang: PageLanguage) -> dict[str, Any]:
    """What the duty desk's notices of a new warning say (static/js/warning-inbox.js)."""
    return {
        "noticeTitle": lang.gettext("New warning"),
        "noticesBlocked": lang.gettext(
            "The browser does not allow notifications from this page; allow them in its "
            "site settings."
        ),
        "noticesUnsupported": lang.gettext("This browser cannot show notifications."),
    }


def refusal_texts(lang: PageLanguage) -> dict[str, Any]:
    """How a script says an API refusal: by its key, else by its status, never its detail.

    The API's detail is English for its clients; a script has no directory to name the
    codes of a sentence with facts, so only the sentences without any are given by key.
    """

    def by_status(texts: dict[str, str]) -> dict[str, str]:
        return {
            str(status): lang.gettext(texts.get(kind.code, texts["error"]))
            for kind, status in PROBLEM_STATUS.items()
        }

    return {
        "refusals": {
            key: lang.gettext(sentence)
            for key, sentence in refusal_labels.REFUSAL.items()
            if "%(" not in sentence
        },
        "headlineByStatus": by_status(refusal_labels.ERROR_HEADLINE),
        "refusedByStatus": by_status(refusal_labels.GENERIC_REFUSAL),
        "refused": lang.gettext(refusal_labels.GENERIC_REFUSAL["error"]),
        "separator": lang.gettext(": "),
    }
