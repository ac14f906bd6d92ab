"""Shared fixtures: one organization "acme" with workspaces support and sales, a segment tree
Portugal → Lisbon → Lisbon Store 1 / Lisbon Store 2, and one user per user type; plus a second
organization "other" to prove isolation."""

import pytest
from django.test import Client

from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind

from . import browser as browsers
from .factories import make_case


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.org = ws.organization_create(name="Acme", slug="acme")
    w.support = ws.workspace_create(organization=w.org, slug="support", name="Support")
    w.sales = ws.workspace_create(organization=w.org, slug="sales", name="Sales")
    w.portugal = ws.segment_create(organization=w.org, name="Portugal")
    w.lisbon = ws.segment_create(organization=w.org, name="Lisbon", parent=w.portugal)
    w.store1 = ws.segment_create(organization=w.org, name="Lisbon Store 1", parent=w.lisbon)
    w.store2 = ws.segment_create(organization=w.org, name="Lisbon Store 2", parent=w.lisbon)
    w.italy = ws.segment_create(organization=w.org, name="Italy")

    def user(username, kind, *workspaces):
        u = ws.user_create(
            organization=w.org,
            username=username,
            password="pw-12345678",
            first_name=username.title(),
        )
        for workspace in workspaces or (w.support,):
            ws.membership_set(workspace=workspace, user=u, kind=kind)
        return u

    w.admin = user("admin", UserKind.CX_ADMIN, w.support, w.sales)
    w.manager = user("manager", UserKind.MANAGER)
    w.manager2 = user("manager2", UserKind.MANAGER)
    w.italy_manager = user("italymgr", UserKind.MANAGER)
    w.coach = user("coach", UserKind.COACH)
    w.agent = user("agent", UserKind.AGENT)
    # manager runs Lisbon (and so both stores); store2 has two managers, store1 none directly.
    ws.segment_set_managers(segment=w.lisbon, managers=[w.manager])
    ws.segment_set_managers(segment=w.store2, managers=[w.manager, w.manager2])
    ws.segment_set_managers(segment=w.italy, managers=[w.italy_manager])

    w.other_org = ws.organization_create(name="Other", slug="other")
    w.other_ws = ws.workspace_create(organization=w.other_org, slug="support", name="Other support")
    w.outsider = ws.user_create(
        organization=w.other_org, username="outsider", password="pw-12345678"
    )
    ws.membership_set(workspace=w.other_ws, user=w.outsider, kind=UserKind.CX_ADMIN)
    w.make_case = make_case
    return w


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture
def api_client():
    """A client authenticating with a Bearer token, as an integration would."""

    def make(user):
        token = ws.api_token_create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium (tests/browser.py); skips the test where there is none."""
    browsers.allow_sync_orm(monkeypatch)
    with browsers.chromium() as b:
        yield b


@pytest.fixture
def asgi_server(transactional_db, monkeypatch):
    """A real ASGI server (HTTP + websockets) against the test database, which the test may
    stop and start again on the same port (tests/browser.py: RestartableServer)."""
    browsers.allow_sync_orm(monkeypatch)
    started = browsers.server_connections_mark()
    server = browsers.RestartableServer()
    try:
        yield server
    finally:
        server.stop()
        # Connections opened by the server's threads and by ORM calls made while Playwright
        # runs; PostgreSQL refuses to drop the test database while any is open.
        browsers.server_connections_end(started)


@pytest.fixture(autouse=True)
def throttle_reset():
    """Login failures and public-form posts of one test must not lock out the next one."""
    from django.core.cache import caches

    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture(scope="session", autouse=True)
def channel_layers_checked():
    """Every channel-layer message an event is delivered as is checked against the event's
    schema while the tests run (tests/event_schema.py)."""
    from . import event_schema

    with event_schema.checking_channel_layers():
        yield


@pytest.fixture(autouse=True)
def channel_messages_match_their_event_schema(channel_layers_checked):
    """Fails the test that sent a channel-layer message its event's schema does not allow
    (checked at the send; reported here because a failed send is only logged)."""
    from . import event_schema

    yield
    if found := event_schema.take_violations():
        pytest.fail(f"channel-layer messages that do not match their event schema: {found}")
