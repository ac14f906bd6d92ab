from django.urls import path

from caredesk.realtime.consumers import WorkspaceEventsConsumer

websocket_urlpatterns = [
    path("ws/v1/workspaces/<slug:workspace>/events/", WorkspaceEventsConsumer.as_asgi()),
]
