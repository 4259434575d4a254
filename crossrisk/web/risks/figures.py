"""How figures read on the risk pages: arrival times in hours or days, round numbers."""

from __future__ import annotations

from crossrisk.web.shared.i18n import PageLanguage

HOURS_PER_DAY = 24.0


def arrival_text(lang: PageLanguage, hours: float) -> str:
    """An arrival time in hours, and in days as well once it is more than two days."""
    text = lang.gettext("%(hours)s h") % {"hours": f"{hours:,.1f}"}
    if hours > 2 * HOURS_PER_DAY:
        days = lang.gettext("%(days)s d") % {"days": f"{hours / HOURS_PER_DAY:,.1f}"}
        text = lang.gettext("%(hours)s (%(days)s)") % {"hours": text, "days": days}
    return text


def short_arrival(lang: PageLanguage, hours: float) -> str:
    """An arrival time short enough for a map label: hours, or days beyond two days."""
    if hours > 2 * HOURS_PER_DAY:
        return lang.gettext("%(days)s d") % {"days": f"{hours / HOURS_PER_DAY:,.1f}"}
    return lang.gettext("%(hours)s h") % {"hours": f"{hours:,.1f}"}


def plain_number(value: float) -> str:
    """A number without needless decimals, for a legend's round steps."""
    rounded = round(value, 6)  # 0.1 * 3 is 0.30000000000000004
    return str(int(rounded)) if float(rounded).is_integer() else f"{rounded:g}"


def significant(value: float) -> str:
    """Three significant digits, with thousands separators for large values."""
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == 0:
        return "0"
    return f"{value:.3g}"
