"""Websocket endpoint for live workspace events (ticket created/updated), used to refresh
counters and lists without polling. Protocol: docs/realtime.md."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from caredesk.care.models import shared_case_ids
from caredesk.realtime.auth import workspace_member
from caredesk.realtime.fanout import workspace_group
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

PROTOCOL_VERSION = 1


class WorkspaceEventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        access = await workspace_member(self)
        if access is None:
            return
        await database_sync_to_async(self._learn_visibility)(access)
        self.group = workspace_group(access.workspace.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        slug = self.scope["url_route"]["kwargs"]["workspace"]
        await self.send_json({"type": "hello", "version": PROTOCOL_VERSION, "workspace": slug})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    def _learn_visibility(self, access: Access) -> None:
        """What the case rule (care.models.case_visibility_q) needs, read once at connect so
        that each event is checked without a query. A ticket shared with the user later is
        announced after they reconnect (the page they open then reads it anyway)."""
        self.sees_all = access.sees_whole_workspace
        self.user_id = access.user.pk
        self.area = access.area_paths if not self.sees_all else ()
        # Coaching cases reach a member through their area only if they evaluate.
        self.evaluates = access.has(Perm.EVALUATE)
        self.shared = frozenset(shared_case_ids(access)) if not self.sees_all else frozenset()

    def may_receive(self, audience: dict | None) -> bool:
        if audience is None or self.sees_all:
            return True
        if self.user_id in (audience.get("owner"), audience.get("created_by")):
            return True
        if audience.get("case") in self.shared:
            return True
        if audience.get("about_agent") and not self.evaluates:
            return False
        path = audience.get("segment_path") or ""
        return bool(path) and any(path.startswith(a) for a in self.area)

    async def workspace_event(self, message):
        if self.may_receive(message.get("audience")):
            await self.send_json({"type": "event", "event": message["event"]})
