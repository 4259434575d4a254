"""The gettext catalogs of pages and generated texts, and local times formatted by Babel.

Pages, CAP messages, e-mails and the texts the platform writes into records (a firing's
risk title, say) all read the same catalogs here. Message ids are English; Chinese comes
first wherever a text is written in both languages, as the users work in Chinese first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent
ZH_CN = "zh_CN"
EN = "en"
# Times are stored in UTC and shown in China Standard Time (DESIGN §4).
DISPLAY_ZONE = ZoneInfo("Asia/Shanghai")


def N_(message: str) -> str:
    """Mark a message for the catalogs (pybabel extracts it); translated where it is shown."""
    return message


@cache
def translations(locale_code: str) -> Translations:
    """The locale's catalog, compiled from its .po file in memory (no .mo file is shipped)."""
    path = LOCALE_DIR / locale_code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale_code)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return Translations(fp=compiled)


def say(locale_code: str, message: str, params: Mapping[str, object] | None = None) -> str:
    """The message in a locale, its %(name)s placeholders filled."""
    text: str = translations(locale_code).gettext(message)
    return text % dict(params) if params else text


def local_time(moment: datetime, locale_code: str, pattern: str) -> str:
    """A moment in Beijing time by a CLDR pattern that the catalog translates per locale.

    The pattern is itself a message (e.g. "HH:mm 'on' d MMM", in Chinese "M月d日HH:mm"),
    so each language orders the parts its own way and Babel supplies the month names.
    """
    local = moment.astimezone(DISPLAY_ZONE)
    return format_datetime(local, say(locale_code, pattern), locale=locale_code)
