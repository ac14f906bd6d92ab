"""Live ticket events of a coaching case reach the coach, the area's manager and admins, never
an agent colleague whose management area covers the case's segment."""

import pytest
from asgiref.sync import sync_to_async

from caredesk.care import services
from caredesk.workspaces.access import get_access
from tests.test_realtime import _connect
from tests.waiting import close, receive, settle

from . import cases_scene

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS = "/ws/v1/workspaces/support/events/"


async def test_a_coaching_case_update_is_not_pushed_to_a_colleague(q):
    cc = await sync_to_async(cases_scene.build)(q)
    listeners = {}
    for name in ("colleague", "coach", "manager", "admin"):
        comm, connected, _ = await _connect(EVENTS, getattr(cc, name))
        assert connected, name
        await receive(comm, "hello")
        listeners[name] = comm

    def update(case):
        access = get_access(cc.coach, "support")
        services.case_comment_add(access=access, case=case, body="Talked it through")

    await sync_to_async(update)(cc.case)
    expected = {
        "type": "event",
        "event": {"type": "case.updated", "number": cc.case.number, "status": "new"},
    }
    for name in ("coach", "manager", "admin"):
        assert await receive(listeners[name], "event") == expected, name
    await settle(listeners["colleague"])
    # The ordinary ticket of the same store still reaches the colleague.
    await sync_to_async(update)(cc.ticket)
    assert await receive(listeners["colleague"], "event") == {
        "type": "event",
        "event": {"type": "case.updated", "number": cc.ticket.number, "status": "new"},
    }
    await close(*listeners.values())
