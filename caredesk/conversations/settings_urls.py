"""Settings → Topics, under /w/<workspace>/settings/topics/."""

from django.urls import path

from caredesk.conversations import settings_views

urlpatterns = [
    path("", settings_views.topic_settings, name="topic_settings"),
]
