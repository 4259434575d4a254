"""Reading what national feeds say in words: colours, grades, county codes, freshness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crossrisk.alerts.cap.colour import stated_colour
from crossrisk.alerts.cap.freshness import MAX_SENT_AHEAD, check_sent, has_expired
from crossrisk.alerts.cap.parse import parse_cap
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.warning import WarningLevel
from crossrisk.geo.cap_area import county_code
from tests.alerts.feed_samples import national_rainstorm

SENT = datetime(2026, 7, 1, 1, 30, tzinfo=UTC)  # national_rainstorm's 09:30 +08:00


@pytest.mark.parametrize(
    "text, level",
    [
        ("黄山市气象台发布暴雨红色预警信号[Ⅰ级/红色]", WarningLevel.RED),
        ("暴雨橙色预警", WarningLevel.ORANGE),
        ("黄山市气象台发布大风蓝色预警信号", WarningLevel.BLUE),
        ("[Ⅲ级/较重]", WarningLevel.YELLOW),
        ("[IV级/一般]", WarningLevel.BLUE),
        ("[II级/严重]", WarningLevel.ORANGE),
        ("【3级】", WarningLevel.YELLOW),
        ("Rainstorm warning [Level I]", WarningLevel.RED),
        ("Yellow", WarningLevel.YELLOW),
        # A colour and a tag that disagree: the graver one.
        ("暴雨黄色预警信号[Ⅱ级/严重]", WarningLevel.ORANGE),
    ],
)
def test_the_stated_colour_is_read_from_words_and_tags(text: str, level: WarningLevel) -> None:
    assert stated_colour([text]) is level


@pytest.mark.parametrize(
    "text",
    [
        "黄山市气象台发布大风预警：阵风4级",
        "黄山市暴雨预警",
        "Category 5 hurricane, level 5",
        "Bluetooth",
        "",
    ],
)
def test_words_that_name_no_colour_give_none(text: str) -> None:
    # 黄山 is a city, not yellow; wind force 4 (风力4级) is no grade.
    assert stated_colour([text, None]) is None


@pytest.mark.parametrize(
    "name, value, code",
    [
        ("CPEAS Geographic Code", "341002000000", "341002"),
        ("cpeas geographic code", "341021105000", "341021"),
        ("GB/T 2260", "341002", "341002"),
        ("GB2260", "341002", "341002"),
        ("CPEAS Geographic Code", "341002", None),  # not 12 digits
        ("SAME", "006037", None),
        ("FIPS6", "006037", None),
        ("EMMA_ID", "AT009", None),
    ],
)
def test_county_codes_are_read_from_gb2260_and_cpeas_geocodes(
    name: str, value: str, code: str | None
) -> None:
    assert county_code(name, value) == code


def test_an_alert_is_expired_only_when_every_block_has_expired() -> None:
    alert = parse_cap(national_rainstorm(expires="2026-07-01T10:00:00+08:00"))
    assert not has_expired(alert, now=SENT)
    assert has_expired(alert, now=SENT + timedelta(minutes=30))
    no_expiry = parse_cap(
        national_rainstorm().replace(b"<expires>2026-07-02T09:30:00+08:00</expires>", b"")
    )
    assert not has_expired(no_expiry, now=SENT + timedelta(days=365))


def test_an_alert_sent_beyond_the_skew_is_refused() -> None:
    alert = parse_cap(national_rainstorm())
    check_sent(alert, now=SENT - MAX_SENT_AHEAD)  # exactly at the bound: accepted
    with pytest.raises(InvalidInput) as caught:
        check_sent(alert, now=SENT - MAX_SENT_AHEAD - timedelta(seconds=1))
    assert caught.value.key == "cap-sent-in-future"
