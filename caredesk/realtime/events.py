"""Fan-out of workspace events to websocket clients. Called after commit, never inside one."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def workspace_group(workspace_id: int) -> str:
    return f"workspace.{workspace_id}"


def publish_workspace_event(workspace_id: int, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            workspace_group(workspace_id), {"type": "workspace.event", "event": payload}
        )
    except Exception:  # a live-update failure must never fail the write that already committed
        log.exception("could not publish workspace event")
