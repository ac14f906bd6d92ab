"""The desk socket answers in the agent's language (issue 12): its error messages are shown on
the desk. A reload during a call gets the call back in `hello`."""

import pytest
from asgiref.sync import sync_to_async

from caredesk.voice import services as voice
from caredesk.workspaces.models import User
from tests.routing.conftest import DESK_PATH, connect, desk
from tests.waiting import WAIT

pytestmark = pytest.mark.django_db(transaction=True)


async def test_errors_come_in_the_agents_language(world, make_agent):
    iva = await sync_to_async(make_agent)("iva")
    await User.objects.filter(pk=iva.pk).aupdate(language="bg")
    iva = await User.objects.aget(pk=iva.pk)
    comm = await desk(iva)
    await comm.send_json_to({"type": "accept", "offer": 999})
    assert await comm.receive_json_from(timeout=WAIT) == {
        "type": "error",
        "field": "offer",
        "message": "Няма такава покана.",
    }
    await comm.send_json_to({"type": "presence", "presence": "online"})
    message = await comm.receive_json_from(timeout=WAIT)
    assert (
        message["message"] == "Присъствието е една от стойностите: available, busy, away, offline."
    )
    await comm.disconnect()


async def test_hello_carries_the_calls_the_agent_is_on(world, make_agent):
    iva = await sync_to_async(make_agent)("iva")

    def calls():
        for call_id, event in (("c-1", "answered"), ("c-2", "ringing"), ("c-3", "answered")):
            voice.call_event_record(
                workspace=world.support,
                call_id=call_id,
                event=event,
                caller="+351 912 345 678",
                queue="Billing",
                agent="iva",
            )
        voice.call_event_record(
            workspace=world.support, call_id="c-3", event="ended", caller="+351 912 345 678"
        )
        return voice.call_get(workspace=world.support, call_id="c-1")

    answered = await sync_to_async(calls)()
    comm, connected, _ = await connect(DESK_PATH, iva)
    assert connected
    hello = await comm.receive_json_from(timeout=WAIT)
    assert hello["calls"] == [
        {
            "event": "answered",
            "activity": answered.pk,
            "caller": "+351912345678",
            "queue": "Billing",
            "contact": None,
            "state": "in_progress",
            "started_at": answered.started_at.isoformat(),
        }
    ]
    await comm.disconnect()
