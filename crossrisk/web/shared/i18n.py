"""Page languages: the gettext catalogs, the visitor's choice, and local times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from babel.support import Translations
from starlette.requests import Request

from crossrisk.domain.duty import ShownStatus
from crossrisk.domain.errors import CrossriskError, InvalidInput
from crossrisk.domain.reach import Pathway
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.domain.risk import EventLevel, RiskCategory, RiskStatus
from crossrisk.domain.situation import Situation

# The catalogs and the display zone are the platform's, shared with every generated text.
from crossrisk.locale import DISPLAY_ZONE, translations
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.web.shared import (
    action_labels,
    aid_labels,
    reach_labels,
    refusal_labels,
    responsibility_labels,
    risk_labels,
)

SESSION_LOCALE = "locale"


@dataclass(frozen=True, slots=True)
class Locale:
    code: str  # the catalog's folder under crossrisk/locale
    html_lang: str  # BCP 47, for <html lang> and the browser's number formats
    label: str  # how the switch names it, in its own language


ZH = Locale("zh_CN", "zh-CN", "中文")
EN = Locale("en", "en", "English")
LOCALES = {locale.code: locale for locale in (ZH, EN)}
DEFAULT_LOCALE = ZH


def chosen_locale(request: Request) -> Locale:
    """The language the visitor chose, or Chinese."""
    return LOCALES.get(str(request.session.get(SESSION_LOCALE, "")), DEFAULT_LOCALE)


@dataclass(frozen=True, slots=True)
class PageLanguage:
    """Everything a page needs to speak one language."""

    locale: Locale
    catalog: Translations

    @classmethod
    def of(cls, request: Request) -> PageLanguage:
        """The language of this request's pages."""
        locale = chosen_locale(request)
        return cls(locale, translations(locale.code))

    @property
    def is_chinese(self) -> bool:
        return self.locale is ZH

    def gettext(self, message: str) -> str:
        """The message in this language."""
        return self.catalog.gettext(message)

    def pick(self, name_zh: str, name_en: str) -> str:
        """The name in this language, from a record that carries both."""
        return name_zh if self.is_chinese else (name_en or name_zh)

    def time(self, moment: datetime) -> str:
        """A stored UTC time as shown to officers: China Standard Time to the minute.

        Officers read deadlines and arrivals, which no one keeps to the second; the
        <time datetime> beside it keeps the exact moment.
        """
        return moment.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%d %H:%M")

    def category(self, category: RiskCategory) -> str:
        return self.gettext(risk_labels.CATEGORY[category])

    def status(self, status: RiskStatus) -> str:
        return self.gettext(risk_labels.STATUS[status])

    def level(self, level: EventLevel) -> str:
        return self.gettext(risk_labels.LEVEL[level])

    def likelihood(self, value: int) -> str:
        return self.gettext(risk_labels.LIKELIHOOD.get(value, str(value)))

    def consequence(self, value: int) -> str:
        return self.gettext(risk_labels.CONSEQUENCE.get(value, str(value)))

    def action(self, action: str) -> str:
        return self.gettext(action_labels.ACTION.get(action, action))

    def risk_field(self, name: str) -> str:
        return self.gettext(risk_labels.RISK_FIELD.get(name, name))

    def situation(self, situation: Situation) -> str:
        return self.gettext(responsibility_labels.SITUATION[situation])

    def role(self, role: PartyRole) -> str:
        return self.gettext(responsibility_labels.PARTY_ROLE[role])

    def duty(self, duty: DutyKind, title: str | None = None, title_en: str | None = None) -> str:
        """A duty's name: a titled line's own title, else its kind's label."""
        if title:
            return self.pick(title, title_en or title)
        return self.gettext(responsibility_labels.DUTY[duty])

    def duty_status(self, status: ShownStatus) -> str:
        return self.gettext(responsibility_labels.DUTY_STATUS[status])

    def escalation_reason(self, reason: str) -> str:
        return self.gettext(responsibility_labels.ESCALATION.get(reason, reason))

    def pathway(self, pathway: Pathway) -> str:
        return self.gettext(reach_labels.PATHWAY[pathway])

    def intensity_unit(self, pathway: Pathway, hazard_type: str | None = None) -> str:
        # A hazard type's own words apply to the river pathway only (see INTENSITY_BY_HAZARD).
        found = (
            reach_labels.INTENSITY_BY_HAZARD.get(hazard_type or "")
            if pathway is Pathway.RIVER
            else None
        )
        return self.gettext(found or reach_labels.INTENSITY[pathway])

    def parameter(self, name: str, hazard_type: str | None = None) -> str:
        found = reach_labels.PARAMETER_BY_HAZARD.get((hazard_type or "", name))
        return self.gettext(found or reach_labels.PARAMETER.get(name, name))

    def parameter_hint(self, name: str) -> str:
        found = reach_labels.PARAMETER_HINT.get(name)
        return self.gettext(found) if found else ""

    def unit(self, unit: str) -> str:
        return self.gettext(reach_labels.UNIT[unit]) if unit in reach_labels.UNIT else unit

    def choice(self, parameter: str, value: str) -> str:
        found = reach_labels.CHOICE.get((parameter, value))
        return self.gettext(found) if found else value

    def error_headline(self, error: CrossriskError) -> str:
        """A translated headline for a refusal, by its kind."""
        return self.gettext(
            refusal_labels.ERROR_HEADLINE.get(error.code, refusal_labels.ERROR_HEADLINE["error"])
        )

    def error_detail(self, error: CrossriskError, names: Names | None = None) -> str:
        """The refusal as a whole sentence in this language; codes named from `names`."""
        if isinstance(error, PageRefusal):
            return error.detail
        generic = self.gettext(
            refusal_labels.GENERIC_REFUSAL.get(error.code, refusal_labels.GENERIC_REFUSAL["error"])
        )
        sentence = refusal_labels.REFUSAL.get(error.key or "")
        if sentence is None:
            # The English detail is for API clients; a page never shows it.
            return generic
        try:
            return self.gettext(sentence) % self._refusal_params(error.params, names)
        except (KeyError, TypeError, ValueError):
            # A sentence whose facts the raising code did not give is not said half-filled.
            return generic

    def _refusal_params(
        self, params: Mapping[str, object], names: Names | None
    ) -> dict[str, object]:
        filled: dict[str, object] = {}
        for name, value in params.items():
            if name.endswith("_en"):
                continue
            if name.endswith("_zh"):
                # A name given in both languages (river_zh, river_en) is offered as one (river).
                base = name.removesuffix("_zh")
                filled[base] = value if self.is_chinese else params.get(f"{base}_en", value)
            else:
                filled[name] = self._refusal_value(name, value, names)
        return filled

    def _refusal_value(self, name: str, value: object, names: Names | None) -> object:
        if isinstance(value, list | tuple):
            return self.gettext(", ").join(
                str(self._refusal_value(name, item, names)) for item in value
            )
        if name == "state" and str(value) in aid_labels.AID_STATE:
            return self.gettext(aid_labels.AID_STATE[str(value)])
        if name in ("from_status", "to_status"):
            try:
                return self.status(RiskStatus(str(value)))
            except ValueError:
                return value
        if name == "field":
            return self.risk_field(str(value))
        if isinstance(value, float) and value.is_integer():
            return int(value)  # a quantity of 1200.0 reads as 1200
        if name == "item" and isinstance(value, str) and value in aid_catalogue():
            return aid_catalogue().item(value).name(self.locale.code)
        if names is None or not isinstance(value, str):
            return value
        match name:
            case "organisation":
                return names.organisation_name(value, chinese=self.is_chinese)
            case "region":
                return names.region_name(value, chinese=self.is_chinese)
            case "origins" | "lead" | "code" | "jurisdiction" | "donor":
                return names.jurisdiction_name(value, chinese=self.is_chinese)
            case "by":  # who did it: a person, named as pages name people
                return names.person_name(value)
        return value


class Names(Protocol):
    """Names of the codes a refusal carries (the page's directory)."""

    def organisation_name(self, code: str, *, chinese: bool) -> str: ...

    def region_name(self, code: str, *, chinese: bool) -> str: ...

    def jurisdiction_name(self, code: str, *, chinese: bool) -> str: ...

    def person_name(self, username: str | None) -> str: ...


class PageRefusal(InvalidInput):
    """An input refusal a page wrote itself, already in the visitor's language."""
