"""Websocket endpoints of the live chat. Protocol: docs/realtime.md.

- `/ws/v1/chat/{org}.{workspace}/`: the customer's chat widget, anonymous.
- `/ws/v1/desk/{workspace}/`: the agent's desk (session auth, `use_care`).

The consumers stay thin: every write goes through caredesk.routing.services, and anything
sent to the other side goes through the channel layer after the write has committed."""

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404

from caredesk.core.errors import FieldErrors
from caredesk.routing import services
from caredesk.routing.events import agent_group, conversation_group
from caredesk.routing.models import (
    AgentProfile,
    Conversation,
    ConversationStatus,
    Offer,
    OfferStatus,
    Sender,
)
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import Workspace

PROTOCOL_VERSION = 1
MAX_PENDING_NAVIGATION = 200


def _error(exc: FieldErrors) -> dict:
    field, message = next(iter(exc.errors.items()))
    return {"type": "error", "field": field, "message": message}


def _public_workspace(key: str) -> Workspace | None:
    """`{org}.{workspace}`: workspace slugs are unique only inside an organization."""
    org_slug, _, ws_slug = key.partition(".")
    if not org_slug or not ws_slug:
        return None
    return (
        Workspace.objects.filter(organization__slug=org_slug, slug=ws_slug)
        .select_related("organization")
        .first()
    )


class TypedJsonConsumer(AsyncJsonWebsocketConsumer):
    """Dispatches {"type": "x", ...} to on_x for the types in `handlers`; bad input is answered
    with an error message naming the field, and the connection stays open."""

    handlers: tuple[str, ...] = ()

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind not in self.handlers:
            await self.send_json({"type": "error", "field": "type", "message": "Unknown type."})
            return
        try:
            await getattr(self, f"on_{kind}")(content)
        except FieldErrors as exc:
            await self.send_json(_error(exc))

    async def on_ping(self, content):
        await self.send_json({"type": "pong"})


class CustomerChatConsumer(TypedJsonConsumer):
    """One browser tab of the chat widget. Anonymous: holding a conversation's public token is
    what lets a customer resume it."""

    conversation: Conversation | None = None

    async def connect(self):
        key = self.scope["url_route"]["kwargs"]["workspace"]
        self.workspace = await database_sync_to_async(_public_workspace)(key)
        if self.workspace is None:
            await self.close(code=4404)
            return
        self.pending_navigation: list[dict] = []
        await self.accept()
        await self.send_json({"type": "hello", "version": PROTOCOL_VERSION})

    async def disconnect(self, code):
        if self.conversation is not None:
            await self.channel_layer.group_discard(
                conversation_group(self.conversation.pk), self.channel_name
            )

    handlers = ("start", "resume", "message", "navigation", "end", "ping")

    async def _join(self, conversation: Conversation):
        if self.conversation is not None:
            await self.channel_layer.group_discard(
                conversation_group(self.conversation.pk), self.channel_name
            )
        self.conversation = conversation
        await self.channel_layer.group_add(conversation_group(conversation.pk), self.channel_name)

    async def on_start(self, content):
        if self.conversation is not None:
            raise FieldErrors.one("type", "This connection already has a conversation.")

        def start():
            conversation = services.conversation_start(
                workspace=self.workspace,
                pre_chat=content.get("pre_chat"),
                visitor=content.get("visitor"),
                navigation=self.pending_navigation,
            )
            return conversation, conversation.queue.name

        conversation, queue_name = await database_sync_to_async(start)()
        self.pending_navigation = []
        await self._join(conversation)
        await self.send_json(
            {
                "type": "started",
                "conversation": conversation.public_token,
                "queue": queue_name,
                "status": conversation.status,
            }
        )
        await database_sync_to_async(services.offer_next)(conversation.pk)

    async def on_resume(self, content):
        token = content.get("conversation")

        def find():
            return Conversation.objects.filter(
                workspace=self.workspace, public_token=token if isinstance(token, str) else ""
            ).first()

        conversation = await database_sync_to_async(find)()
        if conversation is None:
            raise FieldErrors.one("conversation", "No such conversation.")
        # Join the group before reading the history, so a message stored in between is at
        # worst delivered twice (the widget keeps messages by id), never lost.
        await self._join(conversation)

        def load():
            current = Conversation.objects.get(pk=conversation.pk)
            return current, services.conversation_history(current)

        conversation, history = await database_sync_to_async(load)()
        self.conversation = conversation
        await self.send_json(
            {
                "type": "history",
                "conversation": conversation.public_token,
                "status": conversation.status,
                "messages": history,
            }
        )

    async def on_message(self, content):
        if self.conversation is None:
            raise FieldErrors.one("conversation", "Start or resume a conversation first.")

        def post():
            conversation = Conversation.objects.get(pk=self.conversation.pk)
            return services.message_post(
                conversation=conversation,
                sender=Sender.CUSTOMER,
                client_id=content.get("client_id"),
                body=content.get("body"),
            )

        message, _ = await database_sync_to_async(post)()
        await self.send_json({"type": "ack", "client_id": message.client_id, "id": message.pk})

    async def on_navigation(self, content):
        event = {
            "kind": content.get("kind"),
            "value": content.get("value"),
            "at": content.get("at"),
        }
        if self.conversation is None:
            # Before the chat begins the events are kept and stored with the conversation.
            services.navigation_clean(**event)  # validate now, answer errors now
            if len(self.pending_navigation) >= MAX_PENDING_NAVIGATION:
                raise FieldErrors.one("type", "Too many navigation events before the chat.")
            self.pending_navigation.append(event)
            return
        conversation = self.conversation
        await database_sync_to_async(services.navigation_record)(conversation=conversation, **event)

    async def on_end(self, content):
        if self.conversation is None:
            raise FieldErrors.one("conversation", "Start or resume a conversation first.")

        def end():
            conversation = services.conversation_end(
                conversation_id=self.conversation.pk, by=Sender.CUSTOMER
            )
            services.offer_waiting(workspace=self.workspace)
            return conversation

        conversation = await database_sync_to_async(end)()
        await self.send_json({"type": "ended", "conversation": conversation.public_token})

    async def chat_message(self, event):
        message = event["message"]
        if message["sender"] != Sender.CUSTOMER:
            await self.send_json({"type": "message", **message})

    async def chat_status(self, event):
        if event.get("by") == Sender.CUSTOMER:
            return  # the customer's own `end`, already answered with `ended`
        await self.send_json({"type": "status", "status": event["status"], "agent": event["agent"]})


class AgentDeskConsumer(TypedJsonConsumer):
    """The agent's desk: receives offers, accepts / declines them, chats in accepted
    conversations. Presence is set by the client; closing the socket sets it to offline."""

    agent: AgentProfile | None = None

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
        self.user = user
        self.workspace = access.workspace

        def state():
            agent = services.agent_profile_for(workspace=access.workspace, user=user)
            active = list(
                Conversation.objects.filter(agent=agent, status=ConversationStatus.ACTIVE)
                .order_by("accepted_at")
                .values_list("pk", "public_token")
            )
            offers = [
                services.offer_payload(o)
                for o in Offer.objects.filter(agent=agent, status=OfferStatus.OFFERED)
                .select_related("conversation__queue")
                .order_by("pk")
            ]
            return agent, active, offers

        self.agent, active, offers = await database_sync_to_async(state)()
        self.conversations = {token: pk for pk, token in active}
        self.timers: dict[int, asyncio.Task] = {}
        for offer in offers:
            self._start_timer(offer["offer"])
        await self.channel_layer.group_add(agent_group(self.agent.pk), self.channel_name)
        for pk in self.conversations.values():
            await self.channel_layer.group_add(conversation_group(pk), self.channel_name)
        await self.accept()
        await self.send_json(
            {
                "type": "hello",
                "version": PROTOCOL_VERSION,
                "workspace": slug,
                "presence": self.agent.presence,
                "capacity": self.agent.capacity,
                "conversations": list(self.conversations),
                "offers": offers,
            }
        )

    async def disconnect(self, code):
        if self.agent is None:
            return
        await self.channel_layer.group_discard(agent_group(self.agent.pk), self.channel_name)
        for pk in self.conversations.values():
            await self.channel_layer.group_discard(conversation_group(pk), self.channel_name)
        for timer in self.timers.values():
            timer.cancel()
        await database_sync_to_async(services.agent_leave)(agent=self.agent)

    def _start_timer(self, offer_id: int):
        async def expire_later():
            await asyncio.sleep(services.offer_timeout_seconds())
            self.timers.pop(offer_id, None)
            await database_sync_to_async(services.offer_expire)(offer_id=offer_id)

        self.timers[offer_id] = asyncio.get_running_loop().create_task(expire_later())

    def _stop_timer(self, offer_id):
        timer = self.timers.pop(offer_id, None) if isinstance(offer_id, int) else None
        if timer is not None:
            timer.cancel()

    handlers = ("presence", "accept", "decline", "message", "history", "end", "ping")

    async def on_presence(self, content):
        self.agent = await database_sync_to_async(services.agent_presence_set)(
            agent=self.agent, presence=content.get("presence")
        )
        await self.send_json({"type": "presence", "presence": self.agent.presence})
        if self.agent.presence == "available":
            await database_sync_to_async(services.offer_waiting)(workspace=self.workspace)

    async def on_accept(self, content):
        def accept():
            conversation = services.offer_accept(offer_id=content.get("offer"), agent=self.agent)
            return conversation, services.conversation_history(conversation)

        conversation, history = await database_sync_to_async(accept)()
        self._stop_timer(content.get("offer"))
        self.conversations[conversation.public_token] = conversation.pk
        await self.channel_layer.group_add(conversation_group(conversation.pk), self.channel_name)
        await self.send_json(
            {
                "type": "accepted",
                "offer": content.get("offer"),
                "conversation": conversation.public_token,
                "pre_chat": conversation.pre_chat,
                "visitor": conversation.visitor,
                "wait_seconds": conversation.wait_seconds,
                "messages": history,
            }
        )

    async def on_decline(self, content):
        await database_sync_to_async(services.offer_decline)(
            offer_id=content.get("offer"), agent=self.agent
        )
        self._stop_timer(content.get("offer"))
        await self.send_json({"type": "declined", "offer": content.get("offer")})

    def _mine(self, token) -> Conversation:
        pk = self.conversations.get(token) if isinstance(token, str) else None
        conversation = Conversation.objects.filter(pk=pk, agent=self.agent).first() if pk else None
        if conversation is None:
            raise FieldErrors.one("conversation", "Not one of your conversations.")
        return conversation

    async def on_message(self, content):
        def post():
            return services.message_post(
                conversation=self._mine(content.get("conversation")),
                sender=Sender.AGENT,
                client_id=content.get("client_id"),
                body=content.get("body"),
                author=self.user,
            )

        message, _ = await database_sync_to_async(post)()
        await self.send_json(
            {
                "type": "ack",
                "conversation": content.get("conversation"),
                "client_id": message.client_id,
                "id": message.pk,
            }
        )

    async def on_history(self, content):
        def load():
            return services.conversation_history(self._mine(content.get("conversation")))

        messages = await database_sync_to_async(load)()
        await self.send_json(
            {"type": "history", "conversation": content.get("conversation"), "messages": messages}
        )

    async def on_end(self, content):
        token = content.get("conversation")

        def end():
            conversation = services.conversation_end(
                conversation_id=self._mine(token).pk, by=Sender.AGENT
            )
            services.offer_waiting(workspace=self.workspace)
            return conversation

        conversation = await database_sync_to_async(end)()
        await self._leave(conversation.public_token)
        await self.send_json({"type": "ended", "conversation": token})

    async def _leave(self, token):
        pk = self.conversations.pop(token, None)
        if pk is not None:
            await self.channel_layer.group_discard(conversation_group(pk), self.channel_name)

    async def desk_offer(self, event):
        await self.send_json({"type": "offer", **event["offer"]})
        self._start_timer(event["offer"]["offer"])

    async def desk_offer_expired(self, event):
        self._stop_timer(event["offer"])
        await self.send_json({"type": "offer_expired", "offer": event["offer"]})

    async def chat_message(self, event):
        message = event["message"]
        if message["sender"] == Sender.AGENT:
            return
        token = next(
            (t for t, pk in self.conversations.items() if pk == event.get("conversation")), None
        )
        await self.send_json({"type": "message", "conversation": token, **message})

    async def chat_status(self, event):
        if event["status"] != ConversationStatus.ENDED or event.get("by") == Sender.AGENT:
            return
        token = next(
            (t for t, pk in self.conversations.items() if pk == event.get("conversation")), None
        )
        if token is not None:
            await self._leave(token)
            await self.send_json({"type": "ended", "conversation": token, "by": event["by"]})
