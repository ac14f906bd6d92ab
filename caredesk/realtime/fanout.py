"""The workspace events socket's fan-out: each case event goes to its workspace's group with
the case's audience, which the consumer checks (`WorkspaceEventsConsumer.may_receive`) and
strips before sending. An after-commit listener (RealtimeConfig.ready), never inside one."""

from caredesk import events


def workspace_group(workspace_id: int) -> str:
    return f"workspace.{workspace_id}"


def case_changed(event: events.CaseCreated | events.CaseUpdated) -> None:
    events.deliver(
        workspace_group(event.workspace),
        {
            "type": "workspace.event",
            "event": {"type": event.type, **event.payload()},
            "audience": event.audience.model_dump(),
        },
    )
