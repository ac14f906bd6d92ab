"""Rate limits of the anonymous public forms: the survey page's answers (per client address
and survey) and the chat widget's starts (per address and workspace). Beyond the limit:
429 (or an `error` naming `start`), nothing stored; other addresses and surveys are not
affected, and a minute later it is accepted again (the clock is moved, nothing sleeps)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from caredesk.asgi import application
from caredesk.care.models import Case
from caredesk.core import throttle
from caredesk.feedback.models import Response
from caredesk.feedback.services import survey_create
from caredesk.routing.models import Conversation


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        t = 1_800_000_000.0  # the start of a minute

        def advance(self, seconds):
            self.t += seconds

    c = Clock()
    monkeypatch.setattr(throttle, "now", lambda: c.t)
    return c


def answer(survey, ip="203.0.113.5", score="0"):
    return Client().post(
        f"/s/{survey.token}/", {"score": score, "comment": "Awful"}, REMOTE_ADDR=ip
    )


def test_eleventh_answer_in_a_minute_from_one_address_is_refused(
    world, clock, django_capture_on_commit_callbacks
):
    nps = survey_create(workspace=world.support, kind="nps", name="Visit")
    other = survey_create(workspace=world.support, kind="nps", name="Delivery")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(10):
            assert answer(nps).status_code == 200, i
    stored = (Response.objects.count(), Case.objects.count())
    assert stored == (10, 10)

    r = answer(nps)
    assert r.status_code == 429
    assert r["Retry-After"] == "60"
    html = r.content.decode()
    assert (
        '<p class="error" role="alert" id="try-later"><b>Please try again later.</b> '
        "We received many answers from your connection in a short time. Please wait a minute "
        "and send yours again.</p>"
    ) in html
    # The form comes back as it was sent, to send again later.
    assert 'value="0" checked' in html
    assert ">Awful</textarea>" in html
    assert (Response.objects.count(), Case.objects.count()) == stored

    # Another address, or another survey from the same address, is not affected.
    assert answer(nps, ip="198.51.100.7").status_code == 200
    assert answer(other).status_code == 200
    # The page itself still opens.
    assert Client().get(f"/s/{nps.token}/", REMOTE_ADDR="203.0.113.5").status_code == 200

    # The window slides: half a minute on, half of the previous minute still counts.
    clock.advance(90)
    assert answer(nps).status_code == 200
    assert Response.objects.filter(survey=nps).count() == 12


def test_a_limit_of_zero_turns_it_off(world, clock, settings):
    settings.CAREDESK_SURVEY_POSTS_PER_MINUTE = 0
    nps = survey_create(workspace=world.support, kind="nps", name="Visit")
    assert [answer(nps, score="9").status_code for _ in range(15)] == [200] * 15


async def chat_from(ip):
    comm = WebsocketCommunicator(
        application,
        "/ws/v1/chat/acme.support/",
        headers=[(b"origin", b"https://shop.example"), (b"host", b"127.0.0.1:8000")],
    )
    comm.scope["client"] = (ip, 40000)
    connected, _ = await comm.connect()
    assert connected
    assert (await comm.receive_json_from(timeout=5))["type"] == "hello"
    return comm


async def start(comm):
    await comm.send_json_to({"type": "start", "pre_chat": {"name": "Rita"}, "visitor": {}})
    return await comm.receive_json_from(timeout=5)


@pytest.mark.django_db(transaction=True)
async def test_eleventh_chat_start_in_a_minute_from_one_address_is_refused(world, clock):
    comms = []
    for i in range(10):
        comms.append(await chat_from("203.0.113.5"))
        assert (await start(comms[-1]))["type"] == "started", i
    count = sync_to_async(Conversation.objects.count)
    assert await count() == 10

    refused = await chat_from("203.0.113.5")
    assert await start(refused) == {
        "type": "error",
        "field": "start",
        "message": "Too many chats started from your connection. Please try again later.",
    }
    assert await count() == 10
    # The socket stays usable; another address starts at once.
    other = await chat_from("198.51.100.7")
    assert (await start(other))["type"] == "started"
    clock.advance(120)
    assert (await start(refused))["type"] == "started"
    assert await count() == 12
    for comm in [*comms, refused, other]:
        await comm.disconnect()
