"""Channel-layer groups of the chat and the desk. Everything is sent after the transaction
that stored it has committed, never before, and a failed send never fails the write."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


def agent_group(agent_id: int) -> str:
    return f"desk.agent.{agent_id}"


def _send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        log.exception("could not publish to %s", group)


def publish_after_commit(group: str, message: dict) -> None:
    transaction.on_commit(lambda: _send(group, message))
