"""Who wrote an entry, as pages name them: people by name, a drill's parties by the
organisation the drill acted as, the platform's own processes by what they do."""

from __future__ import annotations

from crossrisk.domain.organisation import Organisation, OrganisationKind
from crossrisk.locale import translations
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import EN, ZH, PageLanguage

HUANGSHAN = Organisation(
    code="ema-341000",
    kind=OrganisationKind.JURISDICTION,
    name_zh="黄山市应急管理局",
    name_en="Huangshan Emergency Management Bureau",
)
NAMES = Directory(organisations={HUANGSHAN.code: HUANGSHAN}, people={"officer-341000": "张明"})
CHINESE = PageLanguage(ZH, translations(ZH.code))
ENGLISH = PageLanguage(EN, translations(EN.code))


def test_each_kind_of_writer_is_named_in_the_pages_language() -> None:
    assert NAMES.actor_name("officer-341000", CHINESE) == "张明"
    assert NAMES.actor_name("drill:ema-341000", CHINESE) == "黄山市应急管理局（演练）"
    assert NAMES.actor_name("drill:ema-341000", ENGLISH) == (
        "Huangshan Emergency Management Bureau (drill)"
    )
    assert NAMES.actor_name("deadlines", CHINESE) == "时限巡检"
    assert NAMES.actor_name("case-detector", ENGLISH) == "accountability check"
    assert NAMES.actor_name("drill", CHINESE) == "演练程序"
    assert NAMES.actor_name("cli", CHINESE) == "命令行"


def test_an_unknown_writer_keeps_its_account_name_and_none_is_blank() -> None:
    assert NAMES.actor_name("someone-else", CHINESE) == "someone-else"
    assert NAMES.actor_name("drill:", CHINESE) == "drill:"
    assert NAMES.actor_name(None, CHINESE) == ""
