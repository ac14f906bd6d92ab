from django.urls import path

from caredesk.webchat import settings_views

urlpatterns = [
    path("", settings_views.settings_chat_widget, name="settings_chat_widget"),
]
