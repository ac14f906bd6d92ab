from django.urls import path

from caredesk.realtime.consumers import WorkspaceEventsConsumer

websocket_urlpatterns = [
    path("ws/v1/workspaces/<slug:workspace>/events/", WorkspaceEventsConsumer.as_asgi()),
]

# Live chat (customer widget and agent desk), protocol in docs/realtime.md.
from caredesk.realtime.chat import AgentDeskConsumer, CustomerChatConsumer  # noqa: E402

websocket_urlpatterns += [
    path("ws/v1/chat/<str:workspace>/", CustomerChatConsumer.as_asgi()),
    path("ws/v1/desk/<slug:workspace>/", AgentDeskConsumer.as_asgi()),
]
