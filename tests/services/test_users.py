"""Users, passwords and tokens, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crossrisk.domain.errors import InvalidInput, NotAuthenticated, NotFound, NotPermitted
from crossrisk.domain.organisation import OrganisationKind, Role, system_actor
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, TEST_PASSWORD, actor


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return sum(1 for _ in tx.journal.entries())


def test_added_user_has_an_argon2_hash_and_logs_in(uow: UnitOfWork) -> None:
    created = users.add_user(
        uow,
        system_actor(),
        username="ningbo",
        password="a long enough secret",
        organisation_code="ema-330200",
        role=Role.OFFICER,
        now=T0,
    )
    assert created.password_hash.startswith("$argon2id$")
    logged_in = users.authenticate(uow, username="ningbo", password="a long enough secret", now=T0)
    assert logged_in.jurisdiction_code == "330200"
    assert logged_in.region_codes == frozenset({"yrd"})
    with uow.read_only() as tx:
        assert tx.journal.about("user:ningbo")[0].action == "user.added"


@pytest.mark.parametrize(
    "username, password", [("huangshan", "wrong password!"), ("nobody", TEST_PASSWORD)]
)
def test_bad_login_is_refused_alike(uow: UnitOfWork, username: str, password: str) -> None:
    with pytest.raises(NotAuthenticated, match="unknown username or wrong password"):
        users.authenticate(uow, username=username, password=password, now=T0)


def test_token_identifies_its_user_until_it_expires(uow: UnitOfWork) -> None:
    token = users.issue_token(uow, username="committee", password=TEST_PASSWORD, now=T0)
    found = users.actor_for_token(uow, token, now=T0 + timedelta(hours=1))
    assert found.kind is OrganisationKind.COORDINATION_BODY
    with pytest.raises(NotAuthenticated):
        users.actor_for_token(uow, token, now=T0 + users.TOKEN_LIFETIME)
    with pytest.raises(NotAuthenticated):
        users.actor_for_token(uow, "forged", now=T0)


@pytest.mark.parametrize(
    "username, password, organisation, message",
    [
        ("Bad Name", "a long enough secret", "ema-330200", "username must be"),
        ("ningbo", "short", "ema-330200", "at least 10 characters"),
        ("huangshan", "a long enough secret", "ema-330200", "already exists"),
    ],
)
def test_bad_user_is_refused_and_nothing_written(
    uow: UnitOfWork, username: str, password: str, organisation: str, message: str
) -> None:
    before = journal_length(uow)
    with pytest.raises(InvalidInput, match=message):
        users.add_user(
            uow,
            system_actor(),
            username=username,
            password=password,
            organisation_code=organisation,
            role=Role.OFFICER,
            now=T0,
        )
    assert journal_length(uow) == before


def test_unknown_organisation_is_refused(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound, match="organisation 'ema-999999'"):
        users.add_user(
            uow,
            system_actor(),
            username="ghost",
            password="a long enough secret",
            organisation_code="ema-999999",
            role=Role.OFFICER,
            now=T0,
        )


def test_only_the_operator_adds_users(uow: UnitOfWork) -> None:
    with pytest.raises(NotPermitted):
        users.add_user(
            uow,
            actor(uow, "central-office"),
            username="ghost",
            password="a long enough secret",
            organisation_code="ema-330200",
            role=Role.OFFICER,
            now=datetime.now(UTC),
        )
