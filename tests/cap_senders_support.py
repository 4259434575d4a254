"""The CAP senders the sample alerts name, registered as the committee would register them.

Receiving an alert needs its sender registered (or the caller's own); the tests of what
receiving does register the samples' senders first and allow the organisations that send
them in those tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crossrisk.domain.organisation import system_actor
from crossrisk.services import cap_senders
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.alerts.cap_samples import ENV_SENDER, FLOOD_SENDER
from tests.alerts.feed_samples import FEED_SENDERS
from tests.support import T0

# Who delivers each sample sender in the tests: the cities, the committee, the central
# office; the evaluator and viewers are refused for who they are, not for the sender.
SAMPLE_SENDERS = {
    FLOOD_SENDER: "黄山市水文局 Huangshan Hydrology Bureau",
    ENV_SENDER: "杭州市生态环境局 Hangzhou Ecology and Environment Bureau",
    **FEED_SENDERS,
}
DELIVERERS = ("ema-341000", "ema-330100", "yrd-committee", "central-office", "yrd-evaluator")


def register_sample_senders(uow: UnitOfWork) -> None:
    """Register the samples' senders for the region yrd and allow the usual deliverers."""
    operator = system_actor("setup")
    for sender_id, name in SAMPLE_SENDERS.items():
        cap_senders.add_sender(
            uow,
            operator,
            cap_senders.SenderDraft(sender_id=sender_id, name=name, region_code="yrd"),
            now=T0,
        )
        for organisation in DELIVERERS:
            cap_senders.allow_sender(
                uow, operator, sender_id, organisation_code=organisation, now=T0
            )


@pytest.fixture
def sample_senders(request: pytest.FixtureRequest) -> Iterator[None]:
    """The samples' senders registered on the test's database, when it has one."""
    if "database_url" not in request.fixturenames:
        yield
        return
    engine = make_engine(request.getfixturevalue("database_url"))
    register_sample_senders(UnitOfWork(engine))
    engine.dispose()
    yield
