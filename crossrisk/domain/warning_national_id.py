"""A warning's identifier in the form of the national early-warning release system.

A city that passes a warning on into the national system (国家突发事件预警信息发布系统)
identifies it as that system's message standard prescribes (GB/T 35965.1—2018 应急信息
交互协议 第1部分：预警信息, Appendix A "取值规则及说明", A.1.1–A.1.3):

    ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N

- ZZZZZZ: the issuing unit's six-digit administrative division code (GB/T 2260);
- DDD: its three-digit organisation code (GB/T 4657);
- UUU: a three-digit code of the unit inside it, by default 000;
- XX: a two-digit extension, by default 00;
- YYYYMMDDhhmmss: when the message was entered, in Beijing time;
- N: one digit telling apart messages of the same unit entered in the same second,
  counted from 0. Feeds often leave it off, so a reader accepts the shorter form too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from crossrisk.domain.errors import InvalidInput

# The standard fixes Beijing time (UTC+8, no daylight saving) for the time part.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
_FORM = re.compile(r"(\d{6})(\d{3})(\d{3})(\d{2})_(\d{14})(?:_(\d))?")


@dataclass(frozen=True, slots=True)
class NationalWarningId:
    """The parts of a national warning identifier."""

    area_code: str  # GB/T 2260, six digits
    department: str  # GB/T 4657, three digits
    entered_at: datetime  # aware; written in Beijing time to the second
    unit: str = "000"
    extension: str = "00"
    serial: int | None = 0  # None: the short form without "_N"

    def __post_init__(self) -> None:
        for name, value, digits in (
            ("area code", self.area_code, 6),
            ("department code", self.department, 3),
            ("unit code", self.unit, 3),
            ("extension", self.extension, 2),
        ):
            if not re.fullmatch(rf"\d{{{digits}}}", value):
                raise InvalidInput(
                    f"the {name} of a national warning identifier is {digits} digits, "
                    f"got {value!r}",
                    key="national-id-part",
                    params={"part": name, "value": value},
                )
        if self.serial is not None and not 0 <= self.serial <= 9:
            raise InvalidInput(
                f"the serial of a national warning identifier is one digit 0–9, got {self.serial}",
                key="national-id-part",
                params={"part": "serial", "value": str(self.serial)},
            )
        if self.entered_at.tzinfo is None or self.entered_at.utcoffset() is None:
            raise InvalidInput("the time of a national warning identifier needs its UTC offset")

    @property
    def unit_code(self) -> str:
        """The issuing unit's code, ZZZZZZDDDUUUXX (A.1.2)."""
        return f"{self.area_code}{self.department}{self.unit}{self.extension}"

    def __str__(self) -> str:
        stamp = self.entered_at.astimezone(BEIJING).strftime("%Y%m%d%H%M%S")
        serial = "" if self.serial is None else f"_{self.serial}"
        return f"{self.unit_code}_{stamp}{serial}"


def national_warning_id(
    *,
    area_code: str,
    department: str,
    entered_at: datetime,
    unit: str = "000",
    extension: str = "00",
    serial: int | None = 0,
) -> str:
    """The identifier a warning takes in the national release system."""
    return str(
        NationalWarningId(
            area_code=area_code,
            department=department,
            entered_at=entered_at,
            unit=unit,
            extension=extension,
            serial=serial,
        )
    )


def parse_national_warning_id(text: str) -> NationalWarningId:
    """Read a national warning identifier, with or without its serial, or refuse it."""
    found = _FORM.fullmatch(text.strip())
    if found is None:
        raise InvalidInput(
            f"{text!r} is not a national warning identifier "
            "(ZZZZZZDDDUUUXX_YYYYMMDDhhmmss, optionally _N)",
            key="national-id-invalid",
            params={"value": text},
        )
    area, department, unit, extension, stamp, serial = found.groups()
    try:
        entered = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=BEIJING)
    except ValueError:
        raise InvalidInput(
            f"{stamp} in {text!r} is not a calendar time",
            key="national-id-invalid",
            params={"value": text},
        ) from None
    return NationalWarningId(
        area_code=area,
        department=department,
        entered_at=entered,
        unit=unit,
        extension=extension,
        serial=None if serial is None else int(serial),
    )
