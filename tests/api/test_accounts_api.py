"""Own passwords, user management and channel tests over HTTP, on both databases."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import users
from crossrisk.store.models import JournalEntryRow, UserRow
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import SECRET
from tests.delivery.servers import WebhookReceiver
from tests.support import T0, TEST_PASSWORD, assert_problem, auth

NEW_PASSWORD = "a new and long passphrase"


def journal_length(client: TestClient) -> int:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)) or 0)


def admin_token(client: TestClient, username: str, organisation: str) -> dict[str, str]:
    uow = UnitOfWork(client.app.state.engine)  # type: ignore[attr-defined]
    users.add_user(
        uow,
        system_actor(),
        username=username,
        password=TEST_PASSWORD,
        organisation_code=organisation,
        role=Role.OFFICER,
        admin=True,
        now=T0,
    )
    answer = client.post("/api/auth/token", json={"username": username, "password": TEST_PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_changing_ones_password_keeps_the_token_used_and_ends_the_others(
    client: TestClient, tokens: dict[str, str]
) -> None:
    other = client.post(
        "/api/auth/token", json={"username": "huangshan", "password": TEST_PASSWORD}
    ).json()["access_token"]
    changed = client.post(
        "/api/me/password",
        json={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
        headers=auth(tokens, "huangshan"),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"sessions_revoked": 0, "tokens_revoked": 1}
    assert client.get("/api/auth/me", headers=auth(tokens, "huangshan")).status_code == 200
    gone = client.get("/api/auth/me", headers={"Authorization": f"Bearer {other}"})
    assert gone.status_code == 401
    relogin = client.post(
        "/api/auth/token", json={"username": "huangshan", "password": NEW_PASSWORD}
    )
    assert relogin.status_code == 200


def test_a_wrong_current_password_is_refused_and_changes_nothing(
    client: TestClient, tokens: dict[str, str]
) -> None:
    before = journal_length(client)
    refused = client.post(
        "/api/me/password",
        json={"current_password": "not the password", "new_password": NEW_PASSWORD},
        headers=auth(tokens, "huangshan"),
    )
    assert_problem(refused, 422, key="password-current-wrong")
    assert journal_length(client) == before
    login = client.post(
        "/api/auth/token", json={"username": "huangshan", "password": TEST_PASSWORD}
    )
    assert login.status_code == 200


def test_an_admin_adds_renames_and_disables_users_of_its_organisation(
    client: TestClient,
) -> None:
    admin = admin_token(client, "hs-admin", "ema-341000")
    added = client.post(
        "/api/organisations/ema-341000/users",
        json={
            "username": "hs-duty",
            "password": TEST_PASSWORD,
            "role": "viewer",
            "display_name": "值班员甲",
        },
        headers=admin,
    )
    assert added.status_code == 201, added.text
    assert added.json() == {
        "username": "hs-duty",
        "display_name": "值班员甲",
        "organisation": "ema-341000",
        "role": "viewer",
        "admin": False,
        "active": True,
    }
    duty = client.post("/api/auth/token", json={"username": "hs-duty", "password": TEST_PASSWORD})
    duty_auth = {"Authorization": f"Bearer {duty.json()['access_token']}"}
    changed = client.patch(
        "/api/users/hs-duty", json={"display_name": "张三", "active": False}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["display_name"], changed.json()["active"]) == ("张三", False)
    # Disabling ended the user's token at once.
    assert client.get("/api/auth/me", headers=duty_auth).status_code == 401
    me = client.get("/api/auth/me", headers=admin).json()
    assert (me["username"], me["admin"]) == ("hs-admin", True)
    listed = client.get("/api/organisations/ema-341000/users", headers=admin).json()
    assert {u["username"]: u["active"] for u in listed}["hs-duty"] is False
    assert "password_hash" not in str(listed)


def test_another_citys_admin_and_a_viewer_are_refused_and_nothing_changes(
    client: TestClient, tokens: dict[str, str]
) -> None:
    hangzhou_admin = admin_token(client, "hz-admin", "ema-330100")
    before = journal_length(client)
    for headers in (hangzhou_admin, auth(tokens, "huangshan-viewer"), auth(tokens, "huangshan")):
        refused = client.patch("/api/users/huangshan", json={"active": False}, headers=headers)
        assert_problem(refused, 403, key="users-not-permitted")
        refused = client.post(
            "/api/organisations/ema-341000/users",
            json={"username": "intruder", "password": TEST_PASSWORD, "role": "officer"},
            headers=headers,
        )
        assert_problem(refused, 403, key="users-not-permitted")
    assert journal_length(client) == before
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        assert connection.scalar(select(UserRow.active).where(UserRow.username == "huangshan"))
        names = connection.scalars(select(UserRow.username)).all()
    assert "intruder" not in names


def test_a_channel_test_reaches_the_receiver_and_shows_among_the_deliveries(
    client: TestClient, tokens: dict[str, str], receiver: WebhookReceiver
) -> None:
    url = "/api/organisations/ema-341000/channels"
    created = client.post(
        url,
        json={"kind": "webhook", "address": receiver.url, "secret": SECRET},
        headers=auth(tokens, "huangshan"),
    )
    assert created.status_code == 201, created.text
    channel = created.json()["id"]
    tested = client.post(f"{url}/{channel}/test", headers=auth(tokens, "huangshan"))
    assert tested.status_code == 201, tested.text
    assert (tested.json()["status"], tested.json()["purpose"]) == ("delivered", "test")
    assert len(receiver.received) == 1
    assert b"<status>Test</status>" in receiver.received[0].body
    disabled = client.patch(
        f"{url}/{channel}", json={"enabled": False}, headers=auth(tokens, "huangshan")
    )
    assert disabled.json()["enabled"] is False
    latest = client.get(
        "/api/organisations/ema-341000/deliveries", headers=auth(tokens, "huangshan")
    ).json()
    assert [(d["channel"], d["status"]) for d in latest] == [(channel, "delivered")]
    # Another city neither tests nor reads them, and nothing is sent.
    refused = client.post(f"{url}/{channel}/test", headers=auth(tokens, "hangzhou"))
    assert_problem(refused, 403, key="channel-not-permitted")
    assert len(receiver.received) == 1
