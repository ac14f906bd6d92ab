"""The customer chat socket must open from any site that embeds the widget, while every other
websocket keeps the Origin check against ALLOWED_HOSTS (they authenticate with the session
cookie, so a foreign page must not be able to open them in a logged-in browser).

The chat socket carries no ambient authority: it ignores the session, and what lets a client
into a conversation is the conversation's unguessable token. So a foreign origin gains
nothing a plain script outside any browser could not already do.

Use in caredesk/asgi.py:

    "websocket": chat_from_any_origin(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
"""

from channels.security.websocket import AllowedHostsOriginValidator

CHAT_PREFIX = "/ws/v1/chat/"


class ChatFromAnyOrigin:
    def __init__(self, application):
        self.application = application
        self.checked = AllowedHostsOriginValidator(application)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and scope.get("path", "").startswith(CHAT_PREFIX):
            return await self.application(scope, receive, send)
        return await self.checked(scope, receive, send)


def chat_from_any_origin(application):
    return ChatFromAnyOrigin(application)
