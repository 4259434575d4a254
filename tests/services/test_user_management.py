"""Administrators manage their organisation's users; one's own password; on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import InvalidInput, NotAuthenticated, NotPermitted, TooManyRequests
from crossrisk.domain.organisation import Actor, Role, system_actor
from crossrisk.services import demo, sessions, users
from crossrisk.services.credentials import PasswordChecks
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, TEST_PASSWORD, actor

CHECKS = PasswordChecks(2)
NEW_PASSWORD = "a new and long passphrase"


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return sum(1 for _ in tx.journal.entries())


def add_admin(uow: UnitOfWork, username: str, organisation: str) -> Actor:
    users.add_user(
        uow,
        system_actor(),
        username=username,
        password=TEST_PASSWORD,
        organisation_code=organisation,
        role=Role.OFFICER,
        display_name=f"{username} 管理员",
        admin=True,
        now=T0,
    )
    return users.authenticate(uow, username=username, password=TEST_PASSWORD, now=T0)


def test_an_admin_adds_renames_disables_and_enables_a_user_of_its_city(uow: UnitOfWork) -> None:
    admin = add_admin(uow, "hs-admin", "ema-341000")
    assert admin.admin and admin.display_name == "hs-admin 管理员"
    users.add_user(
        uow,
        admin,
        username="hs-duty",
        password=TEST_PASSWORD,
        organisation_code="ema-341000",
        role=Role.VIEWER,
        display_name="值班员甲",
        now=T0,
    )
    renamed = users.rename_user(uow, admin, username="hs-duty", display_name="张三", now=T0)
    assert renamed.display_name == "张三"
    session_id = sessions.start_session(
        uow, username="hs-duty", password=TEST_PASSWORD, address=None, now=T0, checks=CHECKS
    ).id
    revoked = users.disable_user(uow, admin, username="hs-duty", now=T0)
    assert (revoked.sessions, revoked.tokens) == (1, 0)
    # Disabling ends the session and refuses logins.
    with pytest.raises(NotAuthenticated):
        sessions.actor_for_session(uow, session_id, now=T0 + timedelta(minutes=1))
    with pytest.raises(NotAuthenticated):
        users.authenticate(uow, username="hs-duty", password=TEST_PASSWORD, now=T0)
    users.enable_user(uow, admin, username="hs-duty", now=T0)
    again = users.authenticate(uow, username="hs-duty", password=TEST_PASSWORD, now=T0)
    assert again.display_name == "张三" and again.role is Role.VIEWER
    with uow.read_only() as tx:
        actions = [entry.action for entry in tx.journal.about("user:hs-duty")]
        disabled = tx.journal.about("user:hs-duty")[2]
    assert actions == ["user.added", "user.renamed", "user.disabled", "user.enabled"]
    assert disabled.actor == "hs-admin" and disabled.payload["sessions_revoked"] == 1


def test_the_committee_admin_manages_every_organisation_of_its_region(uow: UnitOfWork) -> None:
    committee = add_admin(uow, "yrd-admin", "yrd-committee")
    users.rename_user(uow, committee, username="hangzhou", display_name="杭州值班", now=T0)
    managed = {o.code for o in users.managed_organisations(uow, committee)}
    assert {"ema-341000", "ema-330100", "yrd-committee"} <= managed
    assert "pearl-committee" not in managed and "ema-440100" not in managed


@pytest.mark.parametrize(
    "who",
    [
        "other-city-admin",  # Hangzhou's admin and Huangshan's users
        "viewer",  # a viewer of Huangshan
        "officer",  # an officer of Huangshan who is no administrator
        "committee-officer",  # the committee, not as an administrator
    ],
)
def test_who_may_not_manage_the_users_is_refused_and_nothing_changes(
    uow: UnitOfWork, who: str
) -> None:
    match who:
        case "other-city-admin":
            refused = add_admin(uow, "hz-admin", "ema-330100")
        case "viewer":
            refused = actor(uow, "ema-341000", Role.VIEWER)
        case "officer":
            refused = actor(uow, "ema-341000")
        case _:
            refused = actor(uow, "yrd-committee")
    before = journal_length(uow)
    with pytest.raises(NotPermitted) as raised:
        users.disable_user(uow, refused, username="huangshan", now=T0)
    assert raised.value.key == "users-not-permitted"
    with pytest.raises(NotPermitted):
        users.rename_user(uow, refused, username="huangshan", display_name="x", now=T0)
    with pytest.raises(NotPermitted):
        users.add_user(
            uow,
            refused,
            username="intruder",
            password=TEST_PASSWORD,
            organisation_code="ema-341000",
            role=Role.OFFICER,
            admin=True,
            now=T0,
        )
    assert journal_length(uow) == before
    assert users.authenticate(uow, username="huangshan", password=TEST_PASSWORD, now=T0)
    with uow.read_only() as tx:
        assert tx.organisations.user_by_name("intruder") is None


def test_the_last_admin_cannot_disable_themself(uow: UnitOfWork) -> None:
    admin = add_admin(uow, "hs-admin", "ema-341000")
    before = journal_length(uow)
    with pytest.raises(InvalidInput) as raised:
        users.disable_user(uow, admin, username="hs-admin", now=T0)
    assert raised.value.key == "user-last-admin"
    assert journal_length(uow) == before
    # With a second administrator, the first may step down.
    add_admin(uow, "hs-admin-2", "ema-341000")
    users.disable_user(uow, admin, username="hs-admin", now=T0)
    with pytest.raises(NotAuthenticated):
        users.authenticate(uow, username="hs-admin", password=TEST_PASSWORD, now=T0)


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(
    uow: UnitOfWork,
) -> None:
    this = sessions.start_session(
        uow, username="huangshan", password=TEST_PASSWORD, address=None, now=T0, checks=CHECKS
    )
    other = sessions.start_session(
        uow, username="huangshan", password=TEST_PASSWORD, address=None, now=T0, checks=CHECKS
    )
    token = users.issue_token(uow, username="huangshan", password=TEST_PASSWORD, now=T0)
    revoked = users.change_own_password(
        uow,
        this.actor,
        current_password=TEST_PASSWORD,
        new_password=NEW_PASSWORD,
        address="203.0.113.9",
        now=T0,
        checks=CHECKS,
        keep_session=this.id,
    )
    # The template's own token of huangshan ends too.
    assert (revoked.sessions, revoked.tokens) == (1, 2)
    later = T0 + timedelta(minutes=1)
    assert sessions.actor_for_session(uow, this.id, now=later).username == "huangshan"
    with pytest.raises(NotAuthenticated):
        sessions.actor_for_session(uow, other.id, now=later)
    with pytest.raises(NotAuthenticated):
        users.actor_for_token(uow, token, now=later)
    assert users.authenticate(uow, username="huangshan", password=NEW_PASSWORD, now=later)
    with uow.read_only() as tx:
        entry = tx.journal.about("user:huangshan")[-1]
    assert entry.action == "user.password_changed" and entry.actor == "huangshan"


def test_a_wrong_current_password_changes_nothing_and_is_throttled_like_a_login(
    uow: UnitOfWork,
) -> None:
    me = users.authenticate(uow, username="huangshan", password=TEST_PASSWORD, now=T0)
    before = journal_length(uow)

    def attempt() -> None:
        users.change_own_password(
            uow,
            me,
            current_password="not my password",
            new_password=NEW_PASSWORD,
            address="203.0.113.9",
            now=T0,
            checks=CHECKS,
        )

    with pytest.raises(InvalidInput) as raised:
        attempt()
    assert raised.value.key == "password-current-wrong"
    for _ in range(10):
        try:
            attempt()
        except TooManyRequests:
            break
        except InvalidInput:
            continue
    else:
        pytest.fail("wrong current passwords were never throttled")
    assert journal_length(uow) == before
    assert users.authenticate(
        uow, username="huangshan", password=TEST_PASSWORD, now=T0 + timedelta(days=1)
    )


def test_a_new_password_against_the_policy_is_refused(uow: UnitOfWork) -> None:
    me = users.authenticate(uow, username="huangshan", password=TEST_PASSWORD, now=T0)
    with pytest.raises(InvalidInput) as raised:
        users.change_own_password(
            uow, me, current_password=TEST_PASSWORD, new_password="short", address=None, now=T0
        )
    assert raised.value.key == "password-too-short"


def test_every_demo_account_is_its_organisations_administrator(uow: UnitOfWork) -> None:
    account = next(a for a in demo.demo_accounts(uow, region_code="yrd") if not a.exists)
    demo.seed_demo_account(uow, system_actor("demo"), account, password=NEW_PASSWORD, now=T0)
    seeded = users.authenticate(uow, username=account.username, password=NEW_PASSWORD, now=T0)
    assert seeded.admin and seeded.display_name.endswith("值班员")
    assert account.organisation in {o.code for o in users.managed_organisations(uow, seeded)}


def test_a_refused_change_leaves_the_rename_made_with_it_undone(uow: UnitOfWork) -> None:
    admin = add_admin(uow, "hs-admin", "ema-341000")
    before = journal_length(uow)
    with pytest.raises(InvalidInput):
        users.change_user(
            uow, admin, username="hs-admin", display_name="改过的名字", active=False, now=T0
        )
    assert users.user_named(uow, admin, "hs-admin").display_name == "hs-admin 管理员"
    assert journal_length(uow) == before
