"""Officers with known passwords, for the page tests and the browser tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork

PASSWORD = "page-test-password"
HUANGSHAN_OFFICER = "officer-341000"  # 黄山市应急管理局
HANGZHOU_OFFICER = "officer-330100"  # 杭州市应急管理局
EVALUATOR = "page-evaluator"  # reads only
COMMITTEE_OFFICER = "page-committee"  # 长三角区域跨域风险协同治理联席会议办公室
OFFICERS = {
    HUANGSHAN_OFFICER: "ema-341000",
    HANGZHOU_OFFICER: "ema-330100",
    EVALUATOR: "yrd-evaluator",
    COMMITTEE_OFFICER: "yrd-committee",
}
SEEDED_AT = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)

_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed_officers(uow: UnitOfWork) -> None:
    """Add the test officers to a database that holds the bundled region."""
    for username, organisation in OFFICERS.items():
        users.add_user(
            uow,
            system_actor(),
            username=username,
            password=PASSWORD,
            organisation_code=organisation,
            role=Role.OFFICER,
            now=SEEDED_AT,
        )


def csrf_token_in(html: str) -> str:
    """The CSRF token a rendered page put into its forms."""
    found = _CSRF_FIELD.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)
