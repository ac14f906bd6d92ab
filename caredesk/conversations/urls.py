"""Conversations tab pages, under /w/<workspace>/conversations/."""

from django.urls import path

from caredesk.conversations import views

urlpatterns = [
    path("", views.conversations_overview, name="conversations_overview"),
    path("list/", views.conversations_list, name="conversations_list"),
    path("<str:source>/<int:source_id>/", views.conversation_detail, name="conversation_detail"),
]
