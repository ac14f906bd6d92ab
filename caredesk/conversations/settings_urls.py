"""Settings → Topics, under /w/<workspace>/settings/topics/."""

from django.urls import path

from caredesk.conversations import settings_views as views

urlpatterns = [
    path("", views.topic_settings, name="topic_settings"),
    path("<int:topic_id>/", views.topic_edit, name="topic_edit"),
    path("<int:topic_id>/toggle/", views.topic_toggle, name="topic_toggle"),
    path("<int:topic_id>/delete/", views.topic_delete, name="topic_delete"),
    path("suggestions/add/", views.topic_suggestion_add, name="topic_suggestion_add"),
]
