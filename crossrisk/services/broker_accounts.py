"""The MQTT broker's accounts and ACL, drawn from the platform's organisations and stations."""

from __future__ import annotations

from crossrisk.domain.broker_acl import BrokerAccount, broker_accounts
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_operator
from crossrisk.services.delivery import regions_of_organisation
from crossrisk.store.uow import UnitOfWork


def accounts_for_broker(
    uow: UnitOfWork, actor: Actor, *, prefix: str, platform_username: str
) -> list[BrokerAccount]:
    """Every broker account with its topics, for the operator who writes the broker's files."""
    require_operator(actor)
    with uow.read_only() as tx:
        organisations = [
            (o, frozenset(regions_of_organisation(tx, o))) for o in tx.organisations.all()
        ]
        stations = tx.stations.list(region_codes=None)
    return broker_accounts(
        prefix=prefix,
        platform_username=platform_username,
        organisations=organisations,
        stations=stations,
    )
