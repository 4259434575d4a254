"""Server-side sessions, revocation and password changes, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import InvalidInput, NotAuthenticated, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import sessions, users
from crossrisk.services.credentials import PasswordChecks
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, TEST_PASSWORD, actor

CHECKS = PasswordChecks(2)
NEW_PASSWORD = "a new and long passphrase"


def start(uow: UnitOfWork, username: str = "huangshan", password: str = TEST_PASSWORD) -> str:
    started = sessions.start_session(
        uow, username=username, password=password, address="203.0.113.7", now=T0, checks=CHECKS
    )
    assert started.actor.username == username
    return started.id


def test_a_session_names_its_user_until_it_expires(uow: UnitOfWork) -> None:
    session_id = start(uow)
    found = sessions.actor_for_session(uow, session_id, now=T0 + timedelta(hours=1))
    assert found.jurisdiction_code == "341000"
    with pytest.raises(NotAuthenticated, match="the session has ended"):
        sessions.actor_for_session(uow, session_id, now=T0 + sessions.SESSION_LIFETIME)
    with pytest.raises(NotAuthenticated):
        sessions.actor_for_session(uow, "forged", now=T0)


def test_only_a_digest_of_the_session_id_is_kept(uow: UnitOfWork) -> None:
    session_id = start(uow)
    with uow.read_only() as tx:
        assert tx.sessions.user_id_of(session_id, now=T0) is None


def test_logging_out_ends_the_session_on_the_server(uow: UnitOfWork) -> None:
    session_id = start(uow)
    other = start(uow)
    sessions.end_session(uow, session_id, now=T0 + timedelta(minutes=1))
    with pytest.raises(NotAuthenticated):
        sessions.actor_for_session(uow, session_id, now=T0 + timedelta(minutes=2))
    # The user's other session (another browser) goes on.
    assert sessions.actor_for_session(uow, other, now=T0 + timedelta(minutes=2))


def test_revoking_a_user_ends_every_session_and_token_and_is_journaled(
    uow: UnitOfWork, tokens: dict[str, str]
) -> None:
    announced: list[Event] = []
    uow.bus.subscribe(announced.append)
    session_id = start(uow)
    token = users.issue_token(uow, username="huangshan", password=TEST_PASSWORD, now=T0)
    kept = users.issue_token(uow, username="hangzhou", password=TEST_PASSWORD, now=T0)

    revoked = users.revoke_user(uow, system_actor(), username="huangshan", now=T0)

    # This test's token and the one every test database holds for the user.
    assert (revoked.sessions, revoked.tokens) == (1, 2)
    later = T0 + timedelta(minutes=1)
    with pytest.raises(NotAuthenticated):
        sessions.actor_for_session(uow, session_id, now=later)
    for old in (token, tokens["huangshan"]):
        with pytest.raises(NotAuthenticated, match="revoked"):
            users.actor_for_token(uow, old, now=later)
    assert users.actor_for_token(uow, kept, now=later).username == "hangzhou"
    with uow.read_only() as tx:
        (entry,) = tx.journal.about("user:huangshan")[-1:]
    assert entry.action == "user.revoked"
    assert entry.payload == {"username": "huangshan", "sessions_revoked": 1, "tokens_revoked": 2}
    assert [(e.name, e.subject, e.payload) for e in announced] == [
        ("user.revoked", "user:huangshan", entry.payload)
    ]
    # Logging in again works: revocation ends what was, it locks no one out.
    assert start(uow)


def test_changing_a_password_ends_every_session_and_token(uow: UnitOfWork) -> None:
    announced: list[Event] = []
    uow.bus.subscribe(announced.append)
    session_id = start(uow)
    token = users.issue_token(uow, username="huangshan", password=TEST_PASSWORD, now=T0)

    revoked = users.change_password(
        uow, system_actor(), username="huangshan", password=NEW_PASSWORD, now=T0
    )

    assert (revoked.sessions, revoked.tokens) == (1, 2)
    with pytest.raises(NotAuthenticated):
        sessions.actor_for_session(uow, session_id, now=T0)
    with pytest.raises(NotAuthenticated):
        users.actor_for_token(uow, token, now=T0)
    with pytest.raises(NotAuthenticated):
        start(uow, password=TEST_PASSWORD)
    assert start(uow, password=NEW_PASSWORD)
    with uow.read_only() as tx:
        entry = tx.journal.about("user:huangshan")[-1]
    assert entry.action == "user.password_changed"
    # The journal says that it changed, never what to.
    assert entry.payload == {"username": "huangshan", "sessions_revoked": 1, "tokens_revoked": 2}
    assert ("user.password_changed", entry.payload) in [(e.name, e.payload) for e in announced]


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "at least 10 characters"),
        ("zzzzzzzzzzzz", "one character repeated"),
        ("qwertyuiop", "most common passwords"),
        ("Password123", "most common passwords"),
    ],
)
def test_a_weak_new_password_is_refused_and_nothing_changes(
    uow: UnitOfWork, password: str, message: str
) -> None:
    token = users.issue_token(uow, username="huangshan", password=TEST_PASSWORD, now=T0)
    with uow.read_only() as tx:
        before = sum(1 for _ in tx.journal.entries())
    with pytest.raises(InvalidInput, match=message):
        users.change_password(uow, system_actor(), username="huangshan", password=password, now=T0)
    with uow.read_only() as tx:
        assert sum(1 for _ in tx.journal.entries()) == before
    assert users.actor_for_token(uow, token, now=T0).username == "huangshan"


@pytest.mark.parametrize("password", ["1234567890", "aaaaaaaaaaaaaa", "iloveyou12"])
def test_a_user_with_a_weak_password_is_not_added(uow: UnitOfWork, password: str) -> None:
    with pytest.raises(InvalidInput):
        users.add_user(
            uow,
            system_actor(),
            username="ningbo",
            password=password,
            organisation_code="ema-330200",
            role=Role.OFFICER,
            now=T0,
        )
    with uow.read_only() as tx:
        assert tx.organisations.user_by_name("ningbo") is None


def test_only_the_operator_revokes_or_changes_passwords(uow: UnitOfWork) -> None:
    committee = actor(uow, "yrd-committee")
    with pytest.raises(NotPermitted):
        users.revoke_user(uow, committee, username="huangshan", now=T0)
    with pytest.raises(NotPermitted):
        users.change_password(uow, committee, username="huangshan", password=NEW_PASSWORD, now=T0)


def test_revoking_an_unknown_user_is_refused(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound, match="user 'ghost'"):
        users.revoke_user(uow, system_actor(), username="ghost", now=T0)
