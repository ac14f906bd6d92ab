"""Websocket endpoints of the live chat. Protocol: docs/realtime.md.

- `/ws/v1/chat/{org}.{workspace}/`: the customer's chat widget, anonymous.
- `/ws/v1/desk/{workspace}/`: the agent's desk (session auth, `use_care`).

The consumers stay thin: every write goes through caredesk.routing.services, and anything
sent to the other side is an event (caredesk.events), delivered through the channel layer
after the write has committed; what stores nothing (typing, what one desk tells the agent's
other desks) is relayed at once."""

import asyncio
import time

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk import events
from caredesk.core import throttle
from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import supported
from caredesk.core.limits import NUL_MESSAGE, JSONError, has_nul, json_loads
from caredesk.realtime.auth import workspace_member
from caredesk.routing import selectors, services
from caredesk.routing.db import run_db, run_db_deferred
from caredesk.routing.fanout import agent_group, conversation_group
from caredesk.routing.models import (
    AgentProfile,
    Conversation,
    ConversationStatus,
    Offer,
    OfferStatus,
    Sender,
)
from caredesk.voice.selectors import calls_in_progress
from caredesk.webchat import selectors as webchat_selectors
from caredesk.webchat import services as webchat
from caredesk.webchat import visitor as webchat_visitor
from caredesk.workspaces.models import Workspace

PROTOCOL_VERSION = 1
MAX_PENDING_NAVIGATION = 200


def _error(exc: FieldErrors) -> dict:
    field, message = next(iter(exc.errors.items()))
    return {"type": "error", "field": field, "message": message}


def _typing_flag(content) -> bool:
    typing = content.get("typing")
    if not isinstance(typing, bool):
        raise FieldErrors.one("typing", "typing is true or false.")
    return typing


TYPING_REPEAT_SECONDS = 1.0


def _typing_repeat(consumer, conversation_id: int, typing: bool) -> bool:
    """True for the same typing state again within a second: not relayed, so a client that
    sends it on every keystroke does not flood the other side."""
    seen = consumer.__dict__.setdefault("_typing_seen", {})
    now = time.monotonic()
    last = seen.get(conversation_id)
    if last is not None and last[0] == typing and now - last[1] < TYPING_REPEAT_SECONDS:
        return True
    seen[conversation_id] = (typing, now)
    return False


def _header_language(scope) -> str | None:
    """The first of our languages the browser asks for (Accept-Language of the handshake)."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            for tag, _q in parse_accept_lang_header(value.decode("latin-1")):
                if supported(tag):
                    return supported(tag)
    return None


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

    async def dispatch(self, message):
        # Channels (4.2+) first hops to its one sync thread to close stale database
        # connections before *every* message, each channel-layer event included: 17.6% of an
        # app process's CPU samples in bench/chat.py, and a queue behind that one thread.
        # Here every database call goes through run_db, which does that in the thread that
        # holds the connection.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # A frame that is not JSON, nests too deeply or carries NaN is bad input like any
        # other: answered, and the connection stays open.
        try:
            content = json_loads(
                text_data if text_data is not None else bytes_data or b"", "The message"
            )
        except JSONError as exc:
            await self.send_json({"type": "error", "field": "frame", "message": str(exc)})
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind not in self.handlers:
            await self.send_json({"type": "error", "field": "type", "message": _("Unknown type.")})
            return
        if has_nul(content):
            # PostgreSQL cannot store it; refused before any handler, naming the field, so the
            # widget drops the message instead of resending it on every reconnect.
            field = next(k for k, v in content.items() if has_nul(k) or has_nul(v))
            await self.send_json({"type": "error", "field": field, "message": str(NUL_MESSAGE)})
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
        self.workspace = await run_db(_public_workspace, key)
        if self.workspace is None:
            await self.close(code=4404)
            return
        self.pending_navigation: list[dict] = []
        self.pending_visitor: dict = {}
        await self.accept()
        await self.send_json({"type": "hello", "version": PROTOCOL_VERSION})

    async def disconnect(self, code):
        if self.conversation is not None:
            await self.channel_layer.group_discard(
                conversation_group(self.conversation.pk), self.channel_name
            )

    handlers = (
        "start",
        "resume",
        "message",
        "navigation",
        "visitor",
        "typing",
        "read",
        "end",
        "ping",
    )

    async def _join(self, conversation: Conversation):
        if self.conversation is not None:
            await self.channel_layer.group_discard(
                conversation_group(self.conversation.pk), self.channel_name
            )
        self.conversation = conversation
        await self.channel_layer.group_add(conversation_group(conversation.pk), self.channel_name)

    async def on_start(self, content):
        if self.conversation is not None:
            raise FieldErrors.one("type", _("This connection already has a conversation."))
        # Each start offers a conversation to an agent: one address may not flood the queue.
        client = self.scope.get("client") or ("unknown",)
        if await asyncio.to_thread(
            throttle.over_limit,
            scope="chat-start",
            key=f"{self.workspace.pk}:{client[0]}",
            limit=settings.CAREDESK_CHAT_STARTS_PER_MINUTE,
            window=60,
        ):
            raise FieldErrors.one(
                "start", _("Too many chats started from your connection. Please try again later.")
            )

        visitor = content.get("visitor")
        if self.pending_visitor and (visitor is None or isinstance(visitor, dict)):
            visitor = {**self.pending_visitor, **(visitor or {})}

        def start():
            # The language the widget speaks, remembered for the emails and surveys to come;
            # the pre-chat form's errors are in it.
            detected = webchat_visitor.detect(self.scope)
            language = webchat.chat_language(
                content.get("language"), detected.get("accept_language", ""), self.workspace
            )
            conversation = services.conversation_start(
                workspace=self.workspace,
                # The workspace's pre-chat form rules and the server-detected visitor details.
                pre_chat=webchat.pre_chat_clean(
                    workspace=self.workspace, pre_chat=content.get("pre_chat"), language=language
                ),
                visitor=webchat_visitor.merge(visitor, self.scope),
                navigation=self.pending_navigation,
                language=language,
            )
            # Routed in the same trip to the database thread; the offer is published only
            # after this socket has joined the conversation, so the agent's first words
            # cannot come before the customer listens.
            services.offer_next(conversation.pk)
            return conversation, conversation.queue.name

        (conversation, queue_name), offer = await run_db_deferred(start)
        self.pending_navigation = []
        self.pending_visitor = {}
        await self._join(conversation)
        await self.send_json(
            {
                "type": "started",
                "conversation": conversation.public_token,
                "queue": queue_name,
                "status": conversation.status,
                "language": conversation.language,
            }
        )
        await events.publish(offer)

    async def on_resume(self, content):
        token = content.get("conversation")

        def find():
            return Conversation.objects.filter(
                workspace=self.workspace, public_token=token if isinstance(token, str) else ""
            ).first()

        conversation = await run_db(find)
        if conversation is None:
            raise FieldErrors.one("conversation", _("No such conversation."))
        # Join the group before reading the history, so a message stored in between is at
        # worst delivered twice (the widget keeps messages by id), never lost.
        await self._join(conversation)

        def load():
            current = Conversation.objects.get(pk=conversation.pk)
            return (
                current,
                services.conversation_history(current),
                webchat_selectors.conversation_language(self.workspace, current.public_token),
            )

        conversation, history, language = await run_db(load)
        self.conversation = conversation
        await self.send_json(
            {
                "type": "history",
                "conversation": conversation.public_token,
                "status": conversation.status,
                "messages": history,
                "agent_read_up_to": conversation.agent_read_up_to,
                # What we know of the customer's language now (their record's, else the
                # chat's): the widget asks for it when it starts again.
                "language": language,
            }
        )

    async def on_message(self, content):
        if self.conversation is None:
            raise FieldErrors.one("conversation", _("Start or resume a conversation first."))

        message, _new = await run_db(
            services.message_post,
            conversation=self.conversation,
            sender=Sender.CUSTOMER,
            client_id=content.get("client_id"),
            body=content.get("body"),
        )
        await self.send_json({"type": "ack", "client_id": message.client_id, "id": message.pk})

    async def on_navigation(self, content):
        event = {
            "kind": content.get("kind"),
            "value": content.get("value"),
            "at": content.get("at"),
            "url": content.get("url"),
        }
        if self.conversation is None:
            # Before the chat begins the events are kept and stored with the conversation.
            services.navigation_clean(**event)  # validate now, answer errors now
            if len(self.pending_navigation) >= MAX_PENDING_NAVIGATION:
                raise FieldErrors.one("type", _("Too many navigation events before the chat."))
            self.pending_navigation.append(event)
            return
        conversation = self.conversation
        await run_db(services.navigation_record, conversation=conversation, **event)

    async def on_visitor(self, content):
        visitor = content.get("visitor")
        if self.conversation is None:
            # Before the chat begins: kept and merged into `start`'s visitor details.
            visitor = services.visitor_clean(visitor)
            self.pending_visitor = services.visitor_clean({**self.pending_visitor, **visitor})
            return
        await run_db(
            services.conversation_visitor_update,
            conversation=self.conversation,
            visitor=webchat_visitor.merge(visitor, self.scope),
        )

    async def on_typing(self, content):
        if self.conversation is None:
            raise FieldErrors.one("conversation", _("Start or resume a conversation first."))
        typing = _typing_flag(content)
        if _typing_repeat(self, self.conversation.pk, typing):
            return
        # Not stored: relayed as it comes (the widget sends it at most every 2 s).
        await events.relay(
            events.ConversationTyping(
                conversation=self.conversation.pk,
                sender=Sender.CUSTOMER,
                typing=typing,
                origin=self.channel_name,
            )
        )

    async def on_read(self, content):
        if self.conversation is None:
            raise FieldErrors.one("conversation", _("Start or resume a conversation first."))
        await run_db(
            services.conversation_read,
            conversation=self.conversation,
            reader=Sender.CUSTOMER,
            up_to=content.get("up_to"),
            origin=self.channel_name,
        )

    async def on_end(self, content):
        if self.conversation is None:
            raise FieldErrors.one("conversation", _("Start or resume a conversation first."))

        def end():
            conversation = services.conversation_end(
                conversation_id=self.conversation.pk, by=Sender.CUSTOMER
            )
            services.offer_waiting(workspace=self.workspace)
            return conversation

        conversation = await run_db(end)
        await self.send_json({"type": "ended", "conversation": conversation.public_token})

    async def chat_message(self, event):
        message = event["message"]
        if message["sender"] != Sender.CUSTOMER:
            await self.send_json({"type": "message", **message})

    async def chat_status(self, event):
        if event.get("by") == Sender.CUSTOMER:
            return  # the customer's own `end`, already answered with `ended`
        await self.send_json({"type": "status", "status": event["status"], "agent": event["agent"]})

    async def chat_typing(self, event):
        if event["sender"] == Sender.AGENT:
            await self.send_json({"type": "typing", "sender": "agent", "typing": event["typing"]})

    async def chat_read(self, event):
        if event["reader"] == Sender.AGENT:
            await self.send_json({"type": "read", "reader": "agent", "up_to": event["up_to"]})

    async def chat_navigation(self, event):
        pass  # the customer's own events; only the desk shows them

    async def chat_visitor(self, event):
        pass


class AgentDeskConsumer(TypedJsonConsumer):
    """The agent's desk: receives offers, accepts / declines them, chats in accepted
    conversations. Presence is set by the client. An agent may have the desk open in several
    tabs: each is a DeskConnection, the agent goes offline when the last one closes, and what
    one tab does (accept, decline, send, end, read) is mirrored to the others."""

    agent: AgentProfile | None = None

    async def connect(self):
        access = await workspace_member(self, run_db)
        if access is None:
            return
        user = self.scope["user"]
        slug = self.scope["url_route"]["kwargs"]["workspace"]
        self.user = user
        self.workspace = access.workspace
        # The agent's language, as their pages use it (caredesk.core.i18n): the error messages
        # this socket sends are shown on the desk.
        self.language = (
            supported(getattr(user, "language", ""))
            or _header_language(self.scope)
            or supported(access.workspace.language)
            or "en"
        )

        def state():
            agent = services.agent_profile_for(workspace=access.workspace, user=user)
            services.desk_connect(agent=agent, channel_name=self.channel_name)
            agent.refresh_from_db()
            tasks = selectors.agent_tasks(agent)
            offers = [
                services.offer_payload(o)
                for o in Offer.objects.filter(agent=agent, status=OfferStatus.OFFERED)
                .select_related("conversation__queue")
                .order_by("pk")
            ]
            pks = dict(
                Conversation.objects.filter(
                    public_token__in=[t["conversation"] for t in tasks]
                ).values_list("public_token", "pk")
            )
            calls = calls_in_progress(workspace=access.workspace, user=user)
            return agent, tasks, offers, pks, calls

        with translation.override(self.language):  # the tasks' names ("Visitor")
            self.agent, tasks, offers, pks, calls = await run_db(state)
        self.conversations = {t["conversation"]: pks[t["conversation"]] for t in tasks}
        self.timers: dict[int, asyncio.Task] = {}
        # client_ids this socket sent: their echo (meant for the agent's other tabs) is skipped.
        self.sent: set[str] = set()
        # Message ids each accepted conversation's history carried, so their live echo is not
        # shown twice.
        self.in_history: dict[int, set[int]] = {}
        self.ending: set[str] = set()
        self.last_touch = time.monotonic()
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
                "tasks": tasks,
                "offers": offers,
                "calls": calls,
                "offer_timeout": services.offer_timeout_seconds(),
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
        await run_db(services.desk_disconnect, agent=self.agent, channel_name=self.channel_name)

    async def receive_json(self, content, **kwargs):
        with translation.override(self.language):
            await self._receive_json(content, **kwargs)

    async def _receive_json(self, content, **kwargs):
        # Anything the desk sends shows it is alive; the stale-desk sweep relies on it.
        if time.monotonic() - self.last_touch > services.DESK_TOUCH_EVERY_SECONDS:
            self.last_touch = time.monotonic()
            await run_db(services.desk_touch, channel_name=self.channel_name)
        await super().receive_json(content, **kwargs)

    def _start_timer(self, offer_id: int):
        async def expire_later():
            await asyncio.sleep(services.offer_timeout_seconds())
            self.timers.pop(offer_id, None)
            await run_db(services.offer_expire, offer_id=offer_id)

        self._stop_timer(offer_id)
        self.timers[offer_id] = asyncio.get_running_loop().create_task(expire_later())

    def _stop_timer(self, offer_id):
        timer = self.timers.pop(offer_id, None) if isinstance(offer_id, int) else None
        if timer is not None:
            timer.cancel()

    def _token(self, conversation_id) -> str | None:
        return next((t for t, pk in self.conversations.items() if pk == conversation_id), None)

    handlers = (
        "presence",
        "accept",
        "decline",
        "message",
        "history",
        "typing",
        "read",
        "end",
        "ping",
    )

    async def on_presence(self, content):
        self.agent = await run_db(
            services.agent_presence_set, agent=self.agent, presence=content.get("presence")
        )
        await self.send_json({"type": "presence", "presence": self.agent.presence})
        await events.relay(
            events.AgentPresence(
                agent=self.agent.pk, presence=self.agent.presence, origin=self.channel_name
            )
        )
        if self.agent.presence == "available":
            await run_db(services.offer_waiting, workspace=self.workspace)

    async def on_accept(self, content):
        offer_id = content.get("offer")

        conversation = await run_db(services.offer_accept, offer_id=offer_id, agent=self.agent)
        # Join the conversation before reading its history: a message the customer stores in
        # between then arrives live as well, and chat_message drops what the history carried.
        await self.channel_layer.group_add(conversation_group(conversation.pk), self.channel_name)

        def read():
            history = services.conversation_history(conversation)
            return history, selectors.accepted_task(conversation.pk, history)

        history, task = await run_db(read)
        accepted = {
            "type": "accepted",
            "offer": offer_id,
            **task,
            "pre_chat": conversation.pre_chat,
            "visitor": conversation.visitor,
            "messages": history,
        }
        await self._take(accepted, conversation.pk, joined=True)
        await events.relay(
            events.AgentAccepted(
                agent=self.agent.pk,
                accepted=accepted,
                conversation_id=conversation.pk,
                origin=self.channel_name,
            )
        )

    async def _take(self, accepted: dict, conversation_id: int, *, joined: bool = False):
        self._stop_timer(accepted["offer"])
        self.conversations[accepted["conversation"]] = conversation_id
        self.in_history[conversation_id] = {m["id"] for m in accepted["messages"]}
        if not joined:  # another tab accepted it
            await self.channel_layer.group_add(
                conversation_group(conversation_id), self.channel_name
            )
        await self.send_json(accepted)

    async def on_decline(self, content):
        offer_id = content.get("offer")
        await run_db(services.offer_decline, offer_id=offer_id, agent=self.agent)
        self._stop_timer(offer_id)
        await self.send_json({"type": "declined", "offer": offer_id})
        await events.relay(
            events.AgentDeclined(agent=self.agent.pk, offer=offer_id, origin=self.channel_name)
        )

    def _mine(self, token) -> Conversation:
        pk = self.conversations.get(token) if isinstance(token, str) else None
        conversation = Conversation.objects.filter(pk=pk, agent=self.agent).first() if pk else None
        if conversation is None:
            raise FieldErrors.one("conversation", _("Not one of your conversations."))
        return conversation

    async def on_message(self, content):
        client_id = content.get("client_id")
        if isinstance(client_id, str):
            self.sent.add(client_id)

        token = content.get("conversation")
        pk = self.conversations.get(token) if isinstance(token, str) else None
        if pk is None:
            raise FieldErrors.one("conversation", _("Not one of your conversations."))
        try:
            # The INSERT itself checks that the conversation is still this agent's.
            message, _new = await run_db(
                services.message_post,
                conversation=Conversation(pk=pk),
                sender=Sender.AGENT,
                client_id=client_id,
                body=content.get("body"),
                author=self.user,
                agent_id=self.agent.pk,
            )
        except FieldErrors:
            self.sent.discard(client_id)
            raise
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
            conversation = self._mine(content.get("conversation"))
            return conversation, services.conversation_history(conversation)

        conversation, messages = await run_db(load)
        await self.send_json(
            {
                "type": "history",
                "conversation": content.get("conversation"),
                "messages": messages,
                "customer_read_up_to": conversation.customer_read_up_to,
                "agent_read_up_to": conversation.agent_read_up_to,
            }
        )

    async def on_typing(self, content):
        token = content.get("conversation")
        pk = self.conversations.get(token) if isinstance(token, str) else None
        if pk is None:
            raise FieldErrors.one("conversation", _("Not one of your conversations."))
        typing = _typing_flag(content)
        if _typing_repeat(self, pk, typing):
            return
        await events.relay(
            events.ConversationTyping(
                conversation=pk, sender=Sender.AGENT, typing=typing, origin=self.channel_name
            )
        )

    async def on_read(self, content):
        def read():
            return services.conversation_read(
                conversation=self._mine(content.get("conversation")),
                reader=Sender.AGENT,
                up_to=content.get("up_to"),
                origin=self.channel_name,
            )

        await run_db(read)

    async def on_end(self, content):
        token = content.get("conversation")

        def end():
            conversation = services.conversation_end(
                conversation_id=self._mine(token).pk, by=Sender.AGENT
            )
            services.offer_waiting(workspace=self.workspace)
            return conversation

        if isinstance(token, str):
            self.ending.add(token)
        try:
            conversation = await run_db(end)
        finally:
            self.ending.discard(token)
        await self._leave(conversation.public_token)
        await self.send_json({"type": "ended", "conversation": token})

    async def _leave(self, token):
        pk = self.conversations.pop(token, None)
        if pk is not None:
            await self.channel_layer.group_discard(conversation_group(pk), self.channel_name)

    # --- from the channel layer -----------------------------------------------------------

    async def desk_offer(self, event):
        await self.send_json({"type": "offer", **event["offer"]})
        self._start_timer(event["offer"]["offer"])

    async def desk_offer_expired(self, event):
        self._stop_timer(event["offer"])
        await self.send_json({"type": "offer_expired", "offer": event["offer"]})

    async def desk_accepted(self, event):
        if event["origin"] != self.channel_name:
            await self._take(event["accepted"], event["conversation_id"])

    async def desk_declined(self, event):
        if event["origin"] != self.channel_name:
            self._stop_timer(event["offer"])
            await self.send_json({"type": "declined", "offer": event["offer"]})

    async def desk_presence(self, event):
        if event["origin"] != self.channel_name:
            await self.send_json({"type": "presence", "presence": event["presence"]})

    async def desk_call(self, event):
        """A telephony event for this agent (call.event, emitted by the voice app)."""
        await self.send_json({"type": "call", **{k: v for k, v in event.items() if k != "type"}})

    async def chat_message(self, event):
        message = event["message"]
        if message["sender"] == Sender.AGENT and message["client_id"] in self.sent:
            return  # this tab sent it and has its ack; other tabs of the agent show it
        if message["id"] in self.in_history.get(event.get("conversation"), ()):
            return  # already delivered in `accepted`'s history
        token = self._token(event.get("conversation"))
        await self.send_json({"type": "message", "conversation": token, **message})

    async def chat_typing(self, event):
        token = self._token(event["conversation"])
        if event["sender"] == Sender.CUSTOMER and token is not None:
            await self.send_json(
                {
                    "type": "typing",
                    "conversation": token,
                    "sender": "customer",
                    "typing": event["typing"],
                }
            )

    async def chat_read(self, event):
        token = self._token(event["conversation"])
        if token is None or event.get("origin") == self.channel_name:
            return
        await self.send_json(
            {
                "type": "read",
                "conversation": token,
                "reader": event["reader"],
                "up_to": event["up_to"],
            }
        )

    async def chat_navigation(self, event):
        token = self._token(event["conversation"])
        if token is not None:
            await self.send_json(
                {"type": "navigation", "conversation": token, **event["navigation"]}
            )

    async def chat_visitor(self, event):
        token = self._token(event["conversation"])
        if token is not None:
            await self.send_json(
                {"type": "visitor", "conversation": token, "visitor": event["visitor"]}
            )

    async def chat_status(self, event):
        if event["status"] != ConversationStatus.ENDED:
            return
        token = self._token(event.get("conversation"))
        if token is None or token in self.ending:
            return  # not ours, or this tab's own `end`, answered with `ended`
        await self._leave(token)
        await self.send_json({"type": "ended", "conversation": token, "by": event["by"]})
