"""The page catalogs: every page text has a Chinese translation that fits its placeholders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from crossrisk import locale as catalogs

ROOT = Path(__file__).resolve().parents[3]
# Babel's config reader carries no type hints.
read_mapping: Any = parse_mapping_cfg


def extracted_messages() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = read_mapping(config)
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map
        )
        if isinstance(message, str)
    }


def catalog(locale: str) -> Catalog:
    with (catalogs.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=locale)


def test_every_page_text_is_in_both_catalogs() -> None:
    wanted = extracted_messages()
    assert len(wanted) > 100
    for locale in ("zh_CN", "en"):
        known = {message.id for message in catalog(locale) if message.id}
        assert wanted - known == set(), f"{locale}: run pybabel update (see babel.cfg)"


def test_every_chinese_translation_is_done_and_fits_its_placeholders() -> None:
    chinese = catalog("zh_CN")
    untranslated = [m.id for m in chinese if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    problems = [(message.id, errors) for message, errors in chinese.check() if errors]
    assert problems == []


def test_catalogs_compile_in_memory() -> None:
    assert catalogs.translations("zh_CN").gettext("Risk register") == "风险清单"
    assert catalogs.translations("en").gettext("Risk register") == "Risk register"
