"""What every aid request page says the same way: quantities as officers read them, times
in Beijing time to the minute (the forms' datetime-local value), the units an item is
counted in, and the names of organisations, items and states in the page's language."""

from __future__ import annotations

import math
from dataclasses import dataclass

from crossrisk.domain.aid.catalogue import Catalogue, Item
from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.aid.request import Priority, RequestState
from crossrisk.domain.errors import InvalidInput
from crossrisk.web.shared import aid_labels
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage


def amount(quantity: float) -> str:
    """A quantity as officers read it: thousands grouped, no trailing zeros."""
    if float(quantity).is_integer():
        return f"{int(quantity):,}"
    return f"{quantity:,.3f}".rstrip("0").rstrip(".")


def parse_quantity(text: str) -> float:
    """A number typed in a form (thousands separators allowed), or InvalidInput."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    try:
        if not cleaned or len(cleaned) > 32:
            raise ValueError(cleaned)
        number = float(cleaned)
    except ValueError:
        raise InvalidInput("a quantity must be a number", key="quantity-not-number") from None
    if not math.isfinite(number):
        raise InvalidInput("a quantity must be finite", key="quantity-not-finite")
    return number


def unit_choices(item: Item, lang: PageLanguage) -> list[tuple[str, str]]:
    """(value, label) of the units a quantity of the item may be given in."""
    return [("", item.unit_name(lang.locale.code))] + [
        (pack.code, f"{pack.name_zh if lang.is_chinese else pack.name_en} ({amount(pack.content)})")
        for pack in item.packs
    ]


@dataclass(frozen=True, slots=True)
class Names:
    """What the request pages name: cities, organisations, people and items."""

    lang: PageLanguage
    directory: Directory
    catalogue: Catalogue

    def city(self, code: str) -> str:
        return self.directory.jurisdiction_name(code, chinese=self.lang.is_chinese)

    def organisation(self, code: str) -> str:
        return self.directory.organisation_name(code, chinese=self.lang.is_chinese)

    def person(self, username: str | None) -> str:
        return self.directory.person_name(username)

    def item(self, code: str) -> str:
        return (
            self.catalogue.item(code).name(self.lang.locale.code)
            if code in self.catalogue
            else code
        )

    def unit(self, code: str) -> str:
        return (
            self.catalogue.item(code).unit_name(self.lang.locale.code)
            if code in self.catalogue
            else ""
        )

    def quantity(self, code: str, quantity: float) -> str:
        return f"{amount(quantity)} {self.unit(code)}".strip()

    def state(self, state: RequestState) -> str:
        return self.lang.gettext(aid_labels.REQUEST_STATE[state])

    def priority(self, priority: Priority) -> str:
        return self.lang.gettext(aid_labels.PRIORITY[priority])

    def outcome(self, outcome: Outcome) -> str:
        return self.lang.gettext(aid_labels.OUTCOME[outcome])
