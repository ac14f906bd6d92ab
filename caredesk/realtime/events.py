"""Fan-out of workspace events to websocket clients. Called after commit, never inside one."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def workspace_group(workspace_id: int) -> str:
    return f"workspace.{workspace_id}"


def case_audience(case) -> dict:
    """Who may receive an event about this case: what the consumer needs to apply the case
    visibility rule (care.models.case_visibility_q) without a query per event. Stays on the
    server: the consumer strips it before sending."""
    return {
        "case": case.pk,
        "segment_path": case.segment_path,
        "owner": case.owner_id,
        "created_by": case.created_by_id,
    }


def workspace_message(payload: dict, audience: dict | None) -> dict:
    return {"type": "workspace.event", "event": payload, "audience": audience}


def publish_workspace_event(workspace_id: int, payload: dict, audience: dict | None) -> None:
    """`audience`: case_audience() for an event about a case; None for one every member of
    the workspace may receive."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            workspace_group(workspace_id), workspace_message(payload, audience)
        )
    except Exception:  # a live-update failure must never fail the write that already committed
        log.exception("could not publish workspace event")
