"""Live workspace events over the websocket, through the real ASGI application (session
cookie auth, allowed-hosts origin check)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from caredesk.asgi import application
from caredesk.care import services
from caredesk.workspaces.access import get_access
from tests.waiting import WAIT, close, receive, settle

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie_for(user) -> bytes:
    c = Client()
    c.force_login(user)
    return f"sessionid={c.cookies['sessionid'].value}".encode()


async def _connect(path, user=None):
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_cookie_for)(user)))
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await comm.connect(timeout=WAIT)
    return comm, connected, code


async def test_member_receives_ticket_events_after_commit(world):
    comm, connected, _ = await _connect("/ws/v1/workspaces/support/events/", world.admin)
    assert connected
    assert await comm.receive_json_from(timeout=WAIT) == {
        "type": "hello",
        "version": 1,
        "workspace": "support",
    }

    def create():
        access = get_access(world.admin, "support")
        return services.case_create(
            access=access, customer_email="Live@Example.com", comment="phoned in"
        )

    case = await sync_to_async(create)()
    assert await receive(comm, "event") == {
        "type": "event",
        "event": {"type": "case.created", "number": case.number, "status": "new"},
    }
    await settle(comm)  # and that event only once
    await close(comm)


async def test_anonymous_is_refused(world):
    comm, connected, code = await _connect("/ws/v1/workspaces/support/events/")
    assert (connected, code) == (False, 4401)


async def test_user_without_use_care_is_refused(world):
    from caredesk.workspaces.models import UserType

    await sync_to_async(UserType.objects.filter(organization=world.org, kind="agent").update)(
        permissions=[]
    )
    comm, connected, code = await _connect("/ws/v1/workspaces/support/events/", world.agent)
    assert (connected, code) == (False, 4403)


async def test_other_organization_cannot_listen(world):
    comm, connected, code = await _connect("/ws/v1/workspaces/sales/events/", world.outsider)
    assert (connected, code) == (False, 4403)


async def test_other_workspace_events_are_not_delivered(world):
    comm, connected, _ = await _connect("/ws/v1/workspaces/sales/events/", world.admin)
    assert connected
    await receive(comm, "hello")

    def create():
        access = get_access(world.admin, "support")
        services.case_create(access=access, customer_email="a@example.com", comment="x")

    await sync_to_async(create)()  # publishes its events before it returns
    await settle(comm)
    await close(comm)


def test_a_long_garbage_collection_is_logged(monkeypatch, caplog):
    # An app process logs collections long enough for websocket users to feel (a pause of
    # the whole process, told apart from a slow query in the logs).
    import gc

    from caredesk import asgi

    monkeypatch.setattr(asgi, "SLOW_GC_SECONDS", -1.0)
    with caplog.at_level("WARNING", logger="caredesk.gc"):
        gc.collect(0)
    # (An automatic collection may also happen meanwhile, and is logged too.)
    assert "garbage collection of generation 0" in [
        r.getMessage().split(" took ")[0] for r in caplog.records
    ]
