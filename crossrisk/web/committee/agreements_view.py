"""What the agreement pages and the document show: names, kinds, statuses and figures in
the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crossrisk.domain.agreements.agreement import (
    Agreement,
    AgreementState,
    Obligation,
    ObligationKind,
    ReviewOutcome,
)
from crossrisk.domain.agreements.compensation import CompensationRuleName
from crossrisk.domain.agreements.obligation_status import ObligationStatus
from crossrisk.locale import N_
from crossrisk.services.agreement_checks import ObligationCheck
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage

STATE = {
    AgreementState.SIGNING: N_("Awaiting signatures"),
    AgreementState.IN_FORCE: N_("In force"),
    AgreementState.SUPERSEDED: N_("Superseded"),
}
KIND = {
    ObligationKind.REPORT_WITHIN: N_("Report a risk within a time"),
    ObligationKind.KEEP_RESERVE: N_("Keep a reserve of an item"),
    ObligationKind.MAINTAIN_GAUGE: N_("Maintain a gauge"),
    ObligationKind.ANSWER_AID_WITHIN: N_("Answer aid requests within a time"),
    ObligationKind.CONTRIBUTE_FUND: N_("Contribute to the regional fund"),
}
STATUS = {
    ObligationStatus.KEPT: N_("Kept"),
    ObligationStatus.UNMET: N_("Unmet"),
    ObligationStatus.NOT_CHECKABLE: N_("Not yet checkable"),
    ObligationStatus.PENDING: N_("Pending: recorded by the compensation work, not yet built"),
}
OUTCOME = {
    ReviewOutcome.NO_FAULT: N_("No fault found"),
    ReviewOutcome.CORRECTIVE_ACTION: N_("Corrective action"),
    ReviewOutcome.NOTICE_OF_CRITICISM: N_("Notice of criticism"),
    ReviewOutcome.COMPENSATION: N_("Compensation"),
    ReviewOutcome.REFERRAL: N_("Referral to the superior authority"),
}
RULE = {
    CompensationRuleName.REIMBURSE_AID_COSTS: N_("The requester reimburses aid costs"),
    CompensationRuleName.PROPORTIONAL_TO_COST: N_("Shared in proportion to cost"),
    CompensationRuleName.PROPORTIONAL_TO_POPULATION: N_("Shared in proportion to population"),
    CompensationRuleName.BENEFICIARY_PAYS: N_("The beneficiary pays"),
    CompensationRuleName.SHAPLEY: N_("Shapley value of the joint-response cost"),
    CompensationRuleName.XINAN_WATER_QUALITY: N_("Xin'an River water-quality rule"),
}


@dataclass(frozen=True, slots=True)
class SignatureLine:
    code: str
    name: str
    coordinator: bool
    signed_by: str | None
    signed_at: Any


@dataclass(frozen=True, slots=True)
class ObligationLine:
    position: int
    party: str
    kind: str
    what: str  # the obligation as a sentence
    note: str
    status: str | None  # the status's class name; None when not in force
    status_text: str
    evidence: str


def agreement_name(agreement: Agreement, lang: PageLanguage) -> str:
    """The title in the page's language (the Chinese one when no English is given)."""
    return lang.pick(agreement.text.title, agreement.text.title_en or agreement.text.title)


def obligation_sentence(obligation: Obligation, lang: PageLanguage) -> str:
    """What the obligation binds its party to, with its figures."""
    _ = lang.gettext
    match obligation.kind:
        case ObligationKind.REPORT_WITHIN:
            return _("Report each risk it leads within %(minutes)s minutes") % {
                "minutes": obligation.minutes
            }
        case ObligationKind.KEEP_RESERVE:
            item = aid_catalogue().item(obligation.item_code or "")
            return _("Keep at least %(quantity)s %(unit)s of %(item)s") % {
                "quantity": f"{obligation.quantity or 0:,.6g}",
                "unit": item.unit_name(lang.locale.code),
                "item": item.name(lang.locale.code),
            }
        case ObligationKind.MAINTAIN_GAUGE:
            return _("Keep station %(station)s reporting at least every %(hours)s hours") % {
                "station": obligation.station_code,
                "hours": obligation.hours,
            }
        case ObligationKind.ANSWER_AID_WITHIN:
            return _("Answer other members' approved aid requests within %(hours)s hours") % {
                "hours": obligation.hours
            }
        case ObligationKind.CONTRIBUTE_FUND:
            return _("Contribute %(amount)s yuan to the regional fund") % {
                "amount": f"{obligation.amount_yuan or 0:,.2f}"
            }
    return ""  # pragma: no cover - every kind is matched


def evidence_text(check: ObligationCheck, lang: PageLanguage) -> str:
    """The figures a status was decided on, as a short sentence."""
    _ = lang.gettext
    figures = check.checked.evidence
    match check.obligation.kind:
        case ObligationKind.KEEP_RESERVE:
            return _("Usable stock %(held)s of %(required)s") % {
                "held": f"{figures['held']:,.6g}",
                "required": f"{figures['required']:,.6g}",
            }
        case ObligationKind.MAINTAIN_GAUGE:
            if figures.get("last_observation") is None:
                return _("No observation recorded")
            return _("Last observation %(age)s hours ago") % {"age": figures["age_hours"]}
        case ObligationKind.REPORT_WITHIN | ObligationKind.ANSWER_AID_WITHIN:
            return _("%(on_time)s of %(occasions)s on time, %(late)s late") % {
                "on_time": figures["on_time"],
                "occasions": figures["occasions"],
                "late": figures["late"],
            }
        case ObligationKind.CONTRIBUTE_FUND:
            return _("Payments are recorded once the compensation work is built")
    return ""  # pragma: no cover


def obligation_lines(
    agreement: Agreement,
    checks: list[ObligationCheck],
    directory: Directory,
    lang: PageLanguage,
) -> list[ObligationLine]:
    """Each obligation with its status and evidence when the version is in force."""
    by_position = {c.position: c for c in checks}
    lines = []
    for n, obligation in enumerate(agreement.text.obligations, start=1):
        check = by_position.get(n)
        lines.append(
            ObligationLine(
                position=n,
                party=directory.organisation_name(obligation.party, chinese=lang.is_chinese),
                kind=lang.gettext(KIND[obligation.kind]),
                what=obligation_sentence(obligation, lang),
                note=obligation.note,
                status=None if check is None else check.checked.status.value,
                status_text="" if check is None else lang.gettext(STATUS[check.checked.status]),
                evidence="" if check is None else evidence_text(check, lang),
            )
        )
    return lines


def signature_lines(
    agreement: Agreement, directory: Directory, lang: PageLanguage
) -> list[SignatureLine]:
    """Each signatory: who signed for it and when, or nobody yet."""
    lines = []
    for code in agreement.signatories:
        signature = agreement.signature_of(code)
        lines.append(
            SignatureLine(
                code=code,
                name=directory.organisation_name(code, chinese=lang.is_chinese),
                coordinator=code == agreement.coordinator,
                signed_by=None if signature is None else directory.person_name(signature.signed_by),
                signed_at=None if signature is None else signature.signed_at,
            )
        )
    return lines


def document_context(
    agreement: Agreement,
    checks: list[ObligationCheck],
    directory: Directory,
    lang: PageLanguage,
) -> dict[str, Any]:
    """What the detail page and the printed document share."""
    text = agreement.text
    return {
        "agreement": agreement,
        "name": agreement_name(agreement, lang),
        "subject": lang.pick(text.subject, text.subject_en or text.subject),
        "state_text": lang.gettext(STATE[agreement.state]),
        "signatures": signature_lines(agreement, directory, lang),
        "obligations": obligation_lines(agreement, checks, directory, lang),
        "rule": lang.gettext(RULE[text.compensation.name]),
        "rule_parameters": dict(text.compensation.parameters),
        "reviewer": directory.organisation_name(
            text.accountability.reviewer, chinese=lang.is_chinese
        ),
        "outcomes": [lang.gettext(OUTCOME[o]) for o in text.accountability.outcomes],
        "drafted_by": directory.person_name(agreement.drafted_by),
    }
