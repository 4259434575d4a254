"""Page languages: the gettext catalogs, the visitor's choice, and local times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.support import Translations
from starlette.requests import Request

from crossrisk.domain.errors import CrossriskError
from crossrisk.domain.reach import Pathway
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.domain.risk import EventLevel, RiskCategory, RiskStatus
from crossrisk.domain.situation import Situation

# The catalogs and the display zone are the platform's, shared with every generated text.
from crossrisk.locale import DISPLAY_ZONE, translations
from crossrisk.web.shared import labels

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
        """A stored UTC time as shown to officers: China Standard Time to the second."""
        return moment.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%d %H:%M:%S")

    def category(self, category: RiskCategory) -> str:
        return self.gettext(labels.CATEGORY[category])

    def status(self, status: RiskStatus) -> str:
        return self.gettext(labels.STATUS[status])

    def level(self, level: EventLevel) -> str:
        return self.gettext(labels.LEVEL[level])

    def likelihood(self, value: int) -> str:
        return self.gettext(labels.LIKELIHOOD.get(value, str(value)))

    def consequence(self, value: int) -> str:
        return self.gettext(labels.CONSEQUENCE.get(value, str(value)))

    def action(self, action: str) -> str:
        return self.gettext(labels.ACTION.get(action, action))

    def risk_field(self, name: str) -> str:
        return self.gettext(labels.RISK_FIELD.get(name, name))

    def situation(self, situation: Situation) -> str:
        return self.gettext(labels.SITUATION[situation])

    def role(self, role: PartyRole) -> str:
        return self.gettext(labels.PARTY_ROLE[role])

    def duty(self, duty: DutyKind) -> str:
        return self.gettext(labels.DUTY[duty])

    def escalation_reason(self, reason: str) -> str:
        return self.gettext(labels.ESCALATION.get(reason, reason))

    def pathway(self, pathway: Pathway) -> str:
        return self.gettext(labels.PATHWAY[pathway])

    def intensity_unit(self, pathway: Pathway) -> str:
        return self.gettext(labels.INTENSITY[pathway])

    def parameter(self, name: str) -> str:
        return self.gettext(labels.PARAMETER.get(name, name))

    def unit(self, unit: str) -> str:
        return self.gettext(labels.UNIT[unit]) if unit in labels.UNIT else unit

    def choice(self, parameter: str, value: str) -> str:
        found = labels.CHOICE.get((parameter, value))
        return self.gettext(found) if found else value

    def error_headline(self, error: CrossriskError) -> str:
        """A translated headline for a refusal, by its kind."""
        return self.gettext(labels.ERROR_HEADLINE.get(error.code, labels.ERROR_HEADLINE["error"]))

    def error_detail(self, error: CrossriskError) -> str:
        """The refusal's detail, translated where the catalog knows it."""
        known = labels.SERVICE_MESSAGE.get(error.key or "")
        if not known:
            return error.detail
        if not error.params:
            return self.gettext(known)
        # A name given in both languages (river_zh, river_en) is offered as one (river).
        params = dict(error.params)
        for name in [n for n in error.params if n.endswith("_zh")]:
            base = name.removesuffix("_zh")
            params[base] = error.params[name] if self.is_chinese else error.params.get(f"{base}_en")
        return self.gettext(known) % params
