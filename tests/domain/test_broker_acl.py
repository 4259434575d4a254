"""Who may read and write which broker topics, drawn from organisations and stations."""

from __future__ import annotations

import pytest

from crossrisk.domain.broker_acl import AccountKind, BrokerAccount, acl_text, broker_accounts
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Organisation, OrganisationKind
from tests.monitoring_support import station

HUANGSHAN = Organisation("ema-341000", OrganisationKind.JURISDICTION, "黄山", "Huangshan", "341000")
HANGZHOU = Organisation("ema-330100", OrganisationKind.JURISDICTION, "杭州", "Hangzhou", "330100")
COMMITTEE = Organisation(
    "yrd-committee", OrganisationKind.COORDINATION_BODY, "委员会", "Committee", region_code="yrd"
)
CENTRAL = Organisation("central-office", OrganisationKind.CENTRAL_OFFICE, "中央", "Central")
EVALUATOR = Organisation("evaluator", OrganisationKind.EVALUATOR, "评估", "Evaluator")
YRD = frozenset({"yrd"})


def accounts(platform: str = "crossrisk") -> dict[str, BrokerAccount]:
    found = broker_accounts(
        prefix="cr",
        platform_username=platform,
        organisations=[
            (HUANGSHAN, YRD),
            (HANGZHOU, YRD),
            (COMMITTEE, YRD),
            (CENTRAL, frozenset()),
            (EVALUATOR, frozenset()),
        ],
        stations=[
            station(code="tunxi", region_code="yrd", jurisdiction_code="341000"),
            station(code="fuyang", region_code="yrd", jurisdiction_code="330100"),
        ],
    )
    return {a.username: a for a in found}


def test_each_party_is_kept_to_its_own_topics() -> None:
    found = accounts()
    platform = found["crossrisk"]
    assert platform.kind is AccountKind.PLATFORM
    assert platform.read == ("cr/+/observations/#",)
    assert found["ema-341000"].read == (
        "cr/warnings/ema-341000/#",
        "cr/yrd/warnings/341000/#",
        "cr/yrd/checkpoints/341000/#",
        "cr/yrd/duties/341000/#",
        "cr/yrd/meetings/341000/#",
    )
    # Duty reminders, case notices and meeting invitations go out on topics of their own.
    assert {"cr/+/checkpoints/#", "cr/+/duties/#", "cr/+/meetings/#"} <= set(platform.write)
    assert found["ema-341000"].write == ()
    assert found["ema-341000.gateway"].write == ("cr/yrd/observations/tunxi/#",)
    assert found["ema-330100.gateway"].write == ("cr/yrd/observations/fuyang/#",)
    assert found["ema-341000.gateway"].read == ()
    # The committee reads its members' warnings; the central office every region's.
    assert "cr/yrd/warnings/#" in found["yrd-committee"].read
    assert "cr/+/warnings/#" in found["central-office"].read
    assert "evaluator" not in found
    text = acl_text(list(found.values()))
    assert "user ema-341000.gateway\ntopic write cr/yrd/observations/tunxi/#\n" in text


@pytest.mark.parametrize("platform", ["ema-341000", "with space", "a:b"])
def test_a_platform_username_that_clashes_or_breaks_the_files_is_refused(platform: str) -> None:
    with pytest.raises(InvalidInput):
        accounts(platform)
