"""Pure delivery rules: retry schedule, addresses per channel, webhook signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.delivery import (
    ChannelKind,
    DeliveryStatus,
    Outcome,
    RetryPolicy,
    after_attempt,
    check_target,
    secret_fingerprint,
    webhook_key,
)
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import (
    Actor,
    Organisation,
    OrganisationKind,
    Role,
    system_actor,
)
from crossrisk.domain.permissions.channels import can_configure_channels
from tests.support import T0

SECRET = "0123456789abcdef-hangzhou"


def test_delays_grow_by_the_factor_up_to_the_cap_then_give_up() -> None:
    policy = RetryPolicy(max_attempts=6, first_delay_seconds=2, factor=3, max_delay_seconds=50)
    assert [policy.delay_after(n) for n in range(1, 7)] == [2.0, 6.0, 18.0, 50.0, 50.0, None]


def test_default_policy_gives_up_after_six_attempts() -> None:
    policy = RetryPolicy()
    assert policy.delay_after(1) == 2.0
    assert policy.delay_after(5) == 32.0
    assert policy.delay_after(6) is None


@pytest.mark.parametrize(
    "arguments",
    [
        {"max_attempts": 0},
        {"first_delay_seconds": 0},
        {"first_delay_seconds": 10, "max_delay_seconds": 5},
        {"factor": 0.5},
    ],
)
def test_nonsense_policies_are_refused(arguments: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        RetryPolicy(**arguments)  # type: ignore[arg-type]


def test_after_attempt_retries_transient_and_stops_permanent_failures() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert after_attempt(Outcome(True, "HTTP 200"), attempt=1, policy=policy, at=T0) == (
        DeliveryStatus.DELIVERED,
        None,
    )
    assert after_attempt(Outcome(False, "HTTP 503"), attempt=1, policy=policy, at=T0) == (
        DeliveryStatus.PENDING,
        T0 + timedelta(seconds=2),
    )
    assert after_attempt(
        Outcome(False, "HTTP 404", permanent=True), attempt=1, policy=policy, at=T0
    ) == (DeliveryStatus.FAILED, None)
    assert after_attempt(Outcome(False, "HTTP 503"), attempt=3, policy=policy, at=T0) == (
        DeliveryStatus.FAILED,
        None,
    )


def test_long_details_are_cut_to_fit_the_record() -> None:
    assert len(Outcome(False, "x" * 2000).detail) == 500


@pytest.mark.parametrize(
    "kind, address, secret",
    [
        (ChannelKind.WEBHOOK, "https://ema.hangzhou.example/hooks/warning?via=crossrisk", SECRET),
        (ChannelKind.WEBHOOK, "http://127.0.0.1:8080/hook", SECRET),
        (ChannelKind.EMAIL, "duty.officer@ema.hangzhou.example", None),
        (ChannelKind.MQTT, "", None),
        (ChannelKind.MQTT, "hangzhou/ema/warnings in", None),
    ],
)
def test_good_addresses_are_accepted(kind: ChannelKind, address: str, secret: str | None) -> None:
    assert check_target(kind, f"  {address} ", secret).address == address


@pytest.mark.parametrize(
    "kind, address, secret, key",
    [
        (ChannelKind.WEBHOOK, "ftp://ema.hangzhou.example/x", SECRET, "channel-address-invalid"),
        (ChannelKind.WEBHOOK, "hangzhou.example/hook", SECRET, "channel-address-invalid"),
        (ChannelKind.WEBHOOK, "https://user:pw@h.example/", SECRET, "channel-address-invalid"),
        (ChannelKind.WEBHOOK, "https://h.example/a b", SECRET, "channel-address-invalid"),
        (ChannelKind.WEBHOOK, "https://h.example:99999/", SECRET, "channel-address-invalid"),
        (ChannelKind.WEBHOOK, "https://h.example/", None, "channel-secret-too-short"),
        (ChannelKind.WEBHOOK, "https://h.example/", "short", "channel-secret-too-short"),
        (ChannelKind.EMAIL, "duty-officer", None, "channel-address-invalid"),
        (ChannelKind.EMAIL, "duty@hangzhou", None, "channel-address-invalid"),
        (ChannelKind.EMAIL, "a@b.example\r\nBcc: x@y.example", None, "channel-address-invalid"),
        (ChannelKind.EMAIL, "duty@h.example", SECRET, "channel-secret-unexpected"),
        (ChannelKind.MQTT, "crossrisk/+/warnings", None, "channel-address-invalid"),
        (ChannelKind.MQTT, "crossrisk/#", None, "channel-address-invalid"),
        (ChannelKind.MQTT, "$SYS/broker", None, "channel-address-invalid"),
    ],
)
def test_bad_addresses_are_refused_with_a_key(
    kind: ChannelKind, address: str, secret: str | None, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_target(kind, address, secret)
    assert refused.value.key == key


def test_a_webhook_secret_no_verifier_could_share_is_refused_when_registered() -> None:
    url = "https://ema.hangzhou.example/hook"
    # Sixteen characters, but nothing base64 reads: a stock verifier would get no key.
    with pytest.raises(InvalidInput) as refused:
        check_target(ChannelKind.WEBHOOK, url, "-" * 16 + "!" * 4)
    assert refused.value.key == "channel-secret-invalid"
    target = check_target(ChannelKind.WEBHOOK, url, "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZg==")
    assert webhook_key(target.secret or "") == b"0123456789abcdef"


def test_fingerprint_tells_secrets_apart_without_showing_them() -> None:
    fingerprint = secret_fingerprint(SECRET)
    assert fingerprint is not None and SECRET not in fingerprint
    assert fingerprint != secret_fingerprint(SECRET + "!")
    assert secret_fingerprint(None) is None


def _actor(code: str, kind: OrganisationKind, role: Role = Role.OFFICER, regions=("yrd",)) -> Actor:
    organisation = Organisation(code, kind, code, code)
    return Actor(code, organisation, role, frozenset(regions))


def test_who_may_configure_an_organisations_channels() -> None:
    huangshan = Organisation("ema-341000", OrganisationKind.JURISDICTION, "黄山", "Huangshan")
    regions = {"yrd"}
    assert can_configure_channels(system_actor(), huangshan, regions)
    assert can_configure_channels(
        _actor("ema-341000", OrganisationKind.JURISDICTION), huangshan, regions
    )
    assert can_configure_channels(
        _actor("yrd-committee", OrganisationKind.COORDINATION_BODY), huangshan, regions
    )
    refused = [
        _actor("ema-341000", OrganisationKind.JURISDICTION, Role.VIEWER),
        _actor("ema-330100", OrganisationKind.JURISDICTION),
        _actor("pearl-committee", OrganisationKind.COORDINATION_BODY, regions=("pearl",)),
        _actor("yrd-evaluator", OrganisationKind.EVALUATOR),
    ]
    for actor in refused:
        assert not can_configure_channels(actor, huangshan, regions), actor.username
