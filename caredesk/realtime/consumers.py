"""Websocket endpoint for live workspace events (ticket created/updated), used to refresh
counters and lists without polling. Protocol: docs/realtime.md."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404

from caredesk.realtime.events import workspace_group
from caredesk.workspaces.access import get_access

PROTOCOL_VERSION = 1


class WorkspaceEventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        slug = self.scope["url_route"]["kwargs"]["workspace"]
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        try:
            access = await database_sync_to_async(get_access)(user, slug)
        except (PermissionDenied, Http404):
            await self.close(code=4403)
            return
        self.group = workspace_group(access.workspace.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "version": PROTOCOL_VERSION, "workspace": slug})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def workspace_event(self, message):
        await self.send_json({"type": "event", "event": message["event"]})
