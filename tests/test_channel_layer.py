"""The Redis channel layer's prefix: Redis pub/sub channels are server-wide, so two
installations on different databases of one Redis server must not hear each other."""

import asyncio
import json
import os
import subprocess
import sys

import pytest

from tests.waiting import WAIT


def layer_config(redis_url: str, **env) -> dict:
    """caredesk.settings' channel layer for this REDIS_URL, read in a fresh interpreter."""
    code = "import json, caredesk.settings as s; print(json.dumps(s.CHANNEL_LAYERS['default']))"
    clean = {k: v for k, v in os.environ.items() if k != "CAREDESK_CHANNEL_PREFIX"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "REDIS_URL": redis_url, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_prefix_follows_the_redis_database_unless_set():
    assert layer_config("redis://127.0.0.1:6379/3")["CONFIG"]["prefix"] == "caredesk.3."
    assert layer_config("redis://127.0.0.1:6379")["CONFIG"]["prefix"] == "caredesk.0."
    named = layer_config("redis://127.0.0.1:6379/3", CAREDESK_CHANNEL_PREFIX="shop-a.")
    assert named["CONFIG"]["prefix"] == "shop-a."


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")
def test_installations_on_two_databases_of_one_server_do_not_hear_each_other():
    from channels_redis.pubsub import RedisPubSubChannelLayer

    base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    configs = [layer_config(f"{base}/{db}")["CONFIG"] for db in (11, 12)]
    first, second = (RedisPubSubChannelLayer(**config) for config in configs)

    async def scenario():
        mine = await first.new_channel()
        theirs = await second.new_channel()
        await first.group_add("chat.conversation.1", mine)
        await second.group_add("chat.conversation.1", theirs)
        await second.group_send("chat.conversation.1", {"type": "test.message", "n": 2})
        assert (await asyncio.wait_for(second.receive(theirs), WAIT))["n"] == 2
        await first.group_send("chat.conversation.1", {"type": "test.message", "n": 1})
        assert (await asyncio.wait_for(first.receive(mine), WAIT))["n"] == 1
        # The second installation got only its own messages: Redis executed the first's
        # PUBLISH before this one, so a wrong delivery of it would come before this marker
        # (no fixed wait that a busy machine may outlast).
        await second.group_send("chat.conversation.1", {"type": "test.message", "n": 3})
        assert (await asyncio.wait_for(second.receive(theirs), WAIT))["n"] == 3
        await first.flush()
        await second.flush()

    asyncio.run(scenario())
